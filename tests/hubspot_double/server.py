"""A local HubSpot double: a real HTTP server on 127.0.0.1 that behaves as HubSpot documents.

It implements the endpoints the project uses (batch upsert by unique property, default
associations, GDPR delete, property groups and properties, deal pipelines, CRM search, owners)
in both the v3/v4 and the 2026-09 paths. Every request and every answer is checked against
HubSpot's OpenAPI descriptions; departures are collected in ``violations``. Tests inject faults:
5xx answers, slow answers (applied, then answered late), 429 storms with HubSpot's
TEN_SECONDLY_ROLLING and DAILY bodies and headers, rejected inputs (207), and outages (the port
refuses connections).

The roadshow team's side: ``move_deal``, ``set_deal_owner``, ``delete_deal``,
``merge_contacts``, ``privacy_delete_contact`` and ``delete_contact`` change the data as a user
in HubSpot would and queue the webhook events HubSpot would send; ``webhook_request`` signs a
batch as HubSpot does (v3), or wrongly on request (bad signature, stale timestamp, v1 only).
Search answers as HubSpot's does: filters, ascending or descending sorts, pages of at most 200,
a 400 past the 10,000th result (``search_ceiling``) and its own limit of five requests a second.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.hubspot_double.validation import SpecBook

_BOOK: SpecBook | None = None
_BOOK_LOCK = threading.Lock()


def spec_book() -> SpecBook:
    """Return the OpenAPI descriptions, loaded once per process."""
    global _BOOK
    with _BOOK_LOCK:
        if _BOOK is None:
            _BOOK = SpecBook()
        return _BOOK


STANDARD_PROPERTIES = {
    "contacts": {
        "email",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "phone",
        "country",
        "lifecyclestage",
        "hs_lead_status",
    },
    "companies": {"name", "domain"},
    "deals": {"dealname", "pipeline", "dealstage", "amount", "closedate"},
    "notes": {"hs_note_body", "hs_timestamp"},
}
LIFECYCLE_STAGES = {
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
}
LEAD_STATUSES = {
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "ATTEMPTED_TO_CONTACT",
    "CONNECTED",
    "BAD_TIMING",
}
# Read-only properties HubSpot keeps on every object (never written by the project).
MODIFIED_PROPERTY = {
    "contacts": "lastmodifieddate",
    "companies": "hs_lastmodifieddate",
    "deals": "hs_lastmodifieddate",
    "notes": "hs_lastmodifieddate",
}
DEFAULT_SEARCH_PROPERTIES = {
    "contacts": (
        "createdate",
        "email",
        "firstname",
        "lastname",
        "hs_object_id",
        "lastmodifieddate",
    ),
    "deals": (
        "dealname",
        "amount",
        "closedate",
        "pipeline",
        "dealstage",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    "companies": ("name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"),
    "notes": ("hs_createdate", "hs_lastmodifieddate", "hs_object_id"),
}
SEARCH_CEILING = 10_000
SEARCH_RATE_LIMIT = 5  # requests per second, per account (HubSpot's search guide)
APP_ID = 4242
PORTAL_ID = 777
OBJECT_ALIASES = {"0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-46": "notes"}
# HubSpot's default association type ids, per direction.
ASSOCIATION_TYPES = {
    ("contacts", "companies"): 279,
    ("companies", "contacts"): 280,
    ("deals", "contacts"): 3,
    ("contacts", "deals"): 4,
    ("deals", "companies"): 341,
    ("companies", "deals"): 342,
    ("notes", "contacts"): 202,
    ("contacts", "notes"): 201,
    ("notes", "deals"): 214,
    ("deals", "notes"): 213,
}


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next matching request."""

    status: int | None = None
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    path_contains: str = ""


@dataclass
class Record:
    method: str
    path: str
    body: object
    status: int
    at: float


class HubSpotDouble:
    """The HubSpot double; ``url`` is its base URL, ``requests`` what it received."""

    def __init__(self, token: str = "test-token", *, rate_limit: int | None = None, window=10.0):
        self.token = token
        self.rate_limit = rate_limit
        self.window = window
        self.daily_limit_reached = False
        self.daily_limit = 250_000
        self.delay = 0.0  # seconds every answer waits (after the work is done)
        self.lock = threading.RLock()
        self.faults: collections.deque[Fault] = collections.deque()
        self.reject_values: dict[str, str] = {}
        self.requests: list[Record] = []
        self.violations: list[str] = []
        self._ids = itertools.count(1001)
        self._event_ids = itertools.count(9_000_001)
        self.search_ceiling = SEARCH_CEILING
        self.search_rate_limit = SEARCH_RATE_LIMIT
        self.search_times: list[float] = []
        self.reset_data()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.connections: set[socket.socket] = set()
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    def reset_data(self) -> None:
        with self.lock:
            self.objects: dict[str, dict[str, dict]] = {t: {} for t in STANDARD_PROPERTIES}
            self.associations: set[tuple[str, str, str, str]] = set()
            self.groups: set[tuple[str, str]] = set()
            self.properties: dict[str, dict[str, dict]] = {t: {} for t in STANDARD_PROPERTIES}
            self.pipelines: list[dict] = [self._pipeline("default", "Sales Pipeline", [])]
            self.gdpr_deleted: list[str] = []
            self.owners: dict[str, dict] = {}
            self.webhook_events: list[dict] = []

    def start(self) -> HubSpotDouble:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering: the port refuses connections until ``start`` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        # Kept-alive connections die with the server, as they do when HubSpot goes away.
        with self.lock:
            connections, self.connections = self.connections, set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- fault injection -------------------------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 503, path_contains: str = "") -> None:
        """Answer the next ``count`` requests with a HubSpot error of ``status``."""
        for _ in range(count):
            self.faults.append(Fault(status=status, path_contains=path_contains))

    def slow_next(self, count: int = 1, delay: float = 2.0, path_contains: str = "") -> None:
        """Carry out the next ``count`` requests, then answer only after ``delay`` seconds."""
        for _ in range(count):
            self.faults.append(Fault(delay=delay, path_contains=path_contains))

    def storm(self, count: int) -> None:
        """Answer the next ``count`` requests with HubSpot's ten-secondly 429."""
        for _ in range(count):
            self.faults.append(Fault(status=429, body={"policyName": "TEN_SECONDLY_ROLLING"}))

    def reject(self, value: str, message: str = "Email address is invalid") -> None:
        """Reject any upsert input whose unique key is ``value`` (a 207 per-input error)."""
        self.reject_values[value.lower()] = message

    # -- inspection ------------------------------------------------------------------------

    def find(self, object_type: str, prop: str, value: str) -> list[dict]:
        with self.lock:
            return [
                o
                for o in self.objects[object_type].values()
                if str(o["properties"].get(prop, "")).lower() == str(value).lower()
            ]

    def associated(self, from_type: str, from_id: str, to_type: str) -> set[str]:
        with self.lock:
            return {
                t_id
                for f_type, f_id, t_type, t_id in self.associations
                if (f_type, f_id, t_type) == (from_type, from_id, to_type)
            }

    def calls(self, path_contains: str = "") -> list[Record]:
        return [r for r in self.requests if path_contains in r.path]

    def peak(self, window: float | None = None, path_ends: str = "") -> int:
        """Return the most requests (to paths ending ``path_ends``) in any ``window`` seconds."""
        window = window or self.window
        times = sorted(r.at for r in self.requests if r.path.endswith(path_ends))
        best, start = 0, 0
        for end, t in enumerate(times):
            while times[start] <= t - window:
                start += 1
            best = max(best, end - start + 1)
        return best

    # -- request handling ------------------------------------------------------------------

    def _rate_headers(self, remaining: int) -> dict:
        limit = self.rate_limit or 190
        return {
            "X-HubSpot-RateLimit-Max": str(limit),
            "X-HubSpot-RateLimit-Remaining": str(max(remaining, 0)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.window * 1000)),
            "X-HubSpot-RateLimit-Daily": str(self.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": "0"
            if self.daily_limit_reached
            else str(self.daily_limit - len(self.requests)),
        }

    def error(self, status: int, message: str, category: str, **extra) -> tuple[int, dict]:
        body = {
            "status": "error",
            "message": message,
            "correlationId": str(uuid.uuid4()),
            "category": category,
        }
        body.update(extra)
        return status, body

    def rate_limited(self, policy: str) -> tuple[int, dict]:
        if policy == "DAILY":
            return self.error(
                429,
                "You have reached your daily limit.",
                "RATE_LIMITS",
                errorType="RATE_LIMIT",
                policyName="DAILY",
            )
        return self.error(
            429,
            "You have reached your ten_secondly_rolling limit.",
            "RATE_LIMITS",
            errorType="RATE_LIMIT",
            policyName="TEN_SECONDLY_ROLLING",
        )

    def handle(self, method: str, raw_path: str, headers, raw_body: bytes):
        """Return (status, body, headers, delay) for one request."""
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = "<invalid json>"
        now = time.monotonic()
        book = spec_book()
        is_search = method == "POST" and path.endswith("/search")
        with self.lock:
            recent = sum(1 for r in self.requests if r.at > now - self.window)
            record = Record(method, path, body, 0, now)
            self.requests.append(record)
            fault = self._claim_fault(path)
        extra_headers = self._rate_headers((self.rate_limit or 190) - recent - 1)
        delay = 0.0
        refused = self._refusal(headers, fault, is_search, recent, now, extra_headers)
        if refused is not None:
            status, answer = refused
        else:
            problems = book.validate_request(method, path, query, body)
            if problems:
                self.violations += problems
                status, answer = self.error(400, "; ".join(problems), "VALIDATION_ERROR")
            else:
                with self.lock:
                    status, answer = self.dispatch(method, path, body)
            delay = self.delay
            if fault is not None:
                delay = max(delay, fault.delay)
        record.status = status
        problems = book.validate_response(method, path, status, answer)
        if problems:
            self.violations += problems
        correlation = answer.get("correlationId") if isinstance(answer, dict) else None
        extra_headers["X-HubSpot-Correlation-Id"] = correlation or str(uuid.uuid4())
        return status, answer, extra_headers, delay

    def _claim_fault(self, path: str):
        """Take the first planned fault for this path, if any (call under the lock)."""
        fault = next((f for f in self.faults if f.path_contains in path), None)
        if fault is not None:
            self.faults.remove(fault)
        return fault

    def _refusal(self, headers, fault, is_search: bool, recent: int, now: float, extra_headers):
        """Return (status, body) when HubSpot would refuse the request before serving it."""
        if headers.get("Authorization") != f"Bearer {self.token}":
            return self.error(
                401, "Authentication credentials not found.", "INVALID_AUTHENTICATION"
            )
        if self.daily_limit_reached:
            return self.rate_limited("DAILY")
        if fault is not None and fault.status is not None:
            if fault.status == 429:
                extra_headers["X-HubSpot-RateLimit-Remaining"] = "0"
                return self.rate_limited((fault.body or {}).get("policyName", ""))
            return self.error(fault.status, "internal error", "INTERNAL_ERROR")
        if is_search and self._search_throttled(now):
            return self.error(
                429,
                "You have reached your secondly limit.",
                "RATE_LIMITS",
                errorType="RATE_LIMIT",
                policyName="SECONDLY",
            )
        if not is_search and self.rate_limit is not None and recent >= self.rate_limit:
            return self.rate_limited("TEN_SECONDLY_ROLLING")
        return None

    def _search_throttled(self, now: float) -> bool:
        with self.lock:
            self.search_times = [t for t in self.search_times if t > now - 1.0]
            if len(self.search_times) >= self.search_rate_limit:
                return True
            self.search_times.append(now)
            return False

    def search_peak(self, window: float = 1.0) -> int:
        """Return the most search requests that arrived in any ``window`` seconds."""
        return self.peak(window, "/search")

    # -- the roadshow team at work in HubSpot ------------------------------------------------

    def touch(self, object_type: str, obj: dict, stamp: str | None = None) -> None:
        stamp = stamp or now_iso()
        obj["updatedAt"] = stamp
        obj["properties"][MODIFIED_PROPERTY[object_type]] = stamp

    def queue_event(self, subscription_type: str, object_id: str, **fields) -> dict:
        """Queue the webhook event HubSpot would send for a change made now."""
        event = {
            "eventId": next(self._event_ids),
            "subscriptionId": 1 + sorted(WEBHOOK_TYPES).index(subscription_type)
            if subscription_type in WEBHOOK_TYPES
            else 99,
            "portalId": PORTAL_ID,
            "appId": APP_ID,
            "occurredAt": int(time.time() * 1000),
            "subscriptionType": subscription_type,
            "attemptNumber": 0,
            "objectId": int(object_id),
            "changeSource": "CRM_UI",
            **fields,
        }
        with self.lock:
            self.webhook_events.append(event)
        return event

    def stage_id(self, label: str, pipeline_label: str = "Western Balkans Outsourcing") -> str:
        for pipeline in self.pipelines:
            if pipeline["label"] == pipeline_label:
                for stage in pipeline["stages"]:
                    if stage["label"] == label:
                        return stage["id"]
        raise KeyError(label)

    def move_deal(self, deal_id: str, stage_label: str) -> dict:
        """Move a deal to the stage of that label, as someone in HubSpot would."""
        stage = self.stage_id(stage_label)
        with self.lock:
            obj = self.objects["deals"][deal_id]
            obj["properties"]["dealstage"] = stage
            self.touch("deals", obj)
        return self.queue_event(
            "deal.propertyChange", deal_id, propertyName="dealstage", propertyValue=stage
        )

    def add_owner(self, email: str, first_name: str = "Ana", last_name: str = "Owner") -> str:
        """Add a HubSpot user who can own records; return the owner id."""
        owner_id = str(next(self._ids))
        stamp = now_iso()
        with self.lock:
            self.owners[owner_id] = {
                "id": owner_id,
                "email": email,
                "type": "PERSON",
                "firstName": first_name,
                "lastName": last_name,
                "userId": int(owner_id) + 500_000,
                "userIdIncludingInactive": int(owner_id) + 500_000,
                "createdAt": stamp,
                "updatedAt": stamp,
                "archived": False,
                "teams": [],
            }
        return owner_id

    def set_deal_owner(self, deal_id: str, owner_id: str | None) -> dict:
        with self.lock:
            obj = self.objects["deals"][deal_id]
            obj["properties"]["hubspot_owner_id"] = owner_id or ""
            self.touch("deals", obj)
        return self.queue_event(
            "deal.propertyChange",
            deal_id,
            propertyName="hubspot_owner_id",
            propertyValue=owner_id or "",
        )

    def delete_deal(self, deal_id: str) -> dict:
        with self.lock:
            del self.objects["deals"][deal_id]
        return self.queue_event("deal.deletion", deal_id)

    def merge_contacts(self, primary_id: str, merged_id: str) -> dict:
        """Merge a contact into another; the primary survives with the merged id recorded."""
        with self.lock:
            merged = self.objects["contacts"].pop(merged_id)
            primary = self.objects["contacts"][primary_id]
            ids = [x for x in primary["properties"].get("hs_merged_object_ids", "").split(";") if x]
            primary["properties"]["hs_merged_object_ids"] = ";".join([*ids, merged_id])
            for key, value in merged["properties"].items():
                primary["properties"].setdefault(key, value)
            self.touch("contacts", primary)
        return self.queue_event(
            "contact.merge",
            primary_id,
            primaryObjectId=int(primary_id),
            mergedObjectIds=[int(merged_id)],
            newObjectId=int(primary_id),
            numberOfPropertiesMoved=3,
        )

    def privacy_delete_contact(self, contact_id: str) -> dict:
        """Delete a contact under GDPR from HubSpot's side."""
        with self.lock:
            del self.objects["contacts"][contact_id]
        return self.queue_event("contact.privacyDeletion", contact_id, changeSource="GDPR")

    def delete_contact(self, contact_id: str) -> dict:
        with self.lock:
            del self.objects["contacts"][contact_id]
        return self.queue_event("contact.deletion", contact_id)

    def take_webhook_events(self) -> list[dict]:
        """Return the queued webhook events and forget them (they are being sent)."""
        with self.lock:
            events, self.webhook_events = self.webhook_events, []
        return events

    # -- endpoints -------------------------------------------------------------------------

    def dispatch(self, method: str, path: str, body):  # noqa: C901 - a flat route table
        version = "2026-09" if "/2026-09/" in path else "v3"
        m = re.match(r"^/crm/(?:v3/objects|objects/2026-09)/([^/]+)/batch/upsert$", path)
        if m and method == "POST":
            return self.batch_upsert(OBJECT_ALIASES.get(m.group(1), m.group(1)), body, version)
        m = re.match(
            r"^/crm/(?:v4/associations|associations/2026-09)/([^/]+)/([^/]+)/batch/associate/default$",
            path,
        )
        if m and method == "POST":
            return self.associate(
                OBJECT_ALIASES.get(m.group(1), m.group(1)),
                OBJECT_ALIASES.get(m.group(2), m.group(2)),
                body,
            )
        m = re.match(r"^/crm/(?:v3/objects|objects/2026-09)/([^/]+)/search$", path)
        if m and method == "POST":
            return self.search(OBJECT_ALIASES.get(m.group(1), m.group(1)), body)
        m = re.match(r"^/crm/v3/owners/(\d+)$", path)
        if m and method == "GET":
            owner = self.owners.get(m.group(1))
            if owner is None:
                return self.error(404, f"Owner {m.group(1)} not found", "OBJECT_NOT_FOUND")
            return 200, owner
        m = re.match(r"^/crm/(?:v3/objects|objects/2026-09)/contacts/gdpr-delete$", path)
        if m and method == "POST":
            return self.gdpr_delete(body)
        m = re.match(r"^/crm/v3/properties/([^/]+)/groups$", path)
        if m and method == "POST":
            return self.create_group(OBJECT_ALIASES.get(m.group(1), m.group(1)), body)
        m = re.match(r"^/crm/v3/properties/([^/]+)$", path)
        if m and method == "POST":
            return self.create_property(OBJECT_ALIASES.get(m.group(1), m.group(1)), body)
        if path == "/crm/v3/pipelines/deals":
            if method == "GET":
                return 200, {"results": self.pipelines}
            return self.create_pipeline(body)
        return self.error(
            404, f"{method} {path} is not implemented by the double", "OBJECT_NOT_FOUND"
        )

    def _unique(self, object_type: str, prop: str) -> bool:
        if object_type == "contacts" and prop == "email":
            return True
        return bool(self.properties[object_type].get(prop, {}).get("hasUniqueValue"))

    def _check_properties(self, object_type: str, props: dict) -> str | None:
        known = STANDARD_PROPERTIES[object_type] | set(self.properties[object_type])
        unknown = sorted(set(props) - known)
        if unknown:
            return f"Property values were not valid: {', '.join(unknown)} does not exist"
        if props.get("lifecyclestage", "lead") not in LIFECYCLE_STAGES:
            return "lifecyclestage was not one of the allowed options"
        if props.get("hs_lead_status", "NEW") not in LEAD_STATUSES:
            return "hs_lead_status was not one of the allowed options"
        for name, value in props.items():
            spec = self.properties[object_type].get(name)
            if spec and spec["type"] == "enumeration" and value:
                allowed = {o["value"] for o in spec.get("options", [])}
                if any(v not in allowed for v in value.split(";")):
                    return f"{value!r} was not one of the allowed options for {name}"
        if object_type == "deals" and "dealstage" in props:
            stages = {
                s["id"]
                for pl in self.pipelines
                if pl["id"] == props.get("pipeline")
                for s in pl["stages"]
            }
            if props["dealstage"] not in stages:
                return f"{props['dealstage']} is not a valid deal stage for the pipeline"
        return None

    def batch_upsert(self, object_type: str, body: dict, version: str):
        inputs = body["inputs"]
        if len(inputs) > 100:
            return self.error(400, "Batch input limit is 100", "VALIDATION_ERROR")
        results, errors = [], []
        for item in inputs:
            prop = item.get("idProperty") or "hs_object_id"
            if not self._unique(object_type, prop):
                return self.error(
                    400, f"{prop} is not a unique property of {object_type}", "VALIDATION_ERROR"
                )
            trace = item.get("objectWriteTraceId")
            value = str(item["id"])
            problem = self.reject_values.get(value.lower()) or self._check_properties(
                object_type, item["properties"]
            )
            if problem:
                error = {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": problem,
                    "context": {"objectWriteTraceId": [trace]} if trace else {},
                    "errors": [{"message": problem}],
                    "links": {},
                }
                errors.append(error)
                continue
            matches = self.find(object_type, prop, value)
            stamp = now_iso()
            if matches:
                obj = matches[0]
                obj["properties"].update(item["properties"])
                self.touch(object_type, obj, stamp)
                new = False
            else:
                obj_id = str(next(self._ids))
                props = dict(item["properties"])
                props[prop] = value
                obj = {"id": obj_id, "properties": props, "createdAt": stamp, "updatedAt": stamp}
                props["hs_object_id"] = obj_id
                props["hs_createdate" if object_type == "notes" else "createdate"] = stamp
                self.touch(object_type, obj, stamp)
                self.objects[object_type][obj_id] = obj
                new = True
            result = {
                "id": obj["id"],
                "properties": dict(obj["properties"]),
                "createdAt": obj["createdAt"],
                "updatedAt": obj["updatedAt"],
                "archived": False,
                "new": new,
            }
            if trace:
                result["objectWriteTraceId"] = trace
            results.append(result)
        answer: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": now_iso(),
            "completedAt": now_iso(),
        }
        if errors:
            answer["errors"] = errors
            answer["numErrors"] = len(errors)
            # v3 documents 207 for partial success; 2026-09 reports errors inside a 200.
            return (207 if version == "v3" else 200), answer
        return 200, answer

    def associate(self, from_type: str, to_type: str, body: dict):
        results, errors = [], []
        for item in body["inputs"]:
            a, b = str(item["from"]["id"]), str(item["to"]["id"])
            if a not in self.objects[from_type] or b not in self.objects[to_type]:
                errors.append(
                    {
                        "status": "error",
                        "category": "VALIDATION_ERROR",
                        "message": f"No {from_type} {a} or {to_type} {b}",
                        "context": {"fromObjectId": [a], "toObjectId": [b]},
                        "errors": [],
                        "links": {},
                    }
                )
                continue
            self.associations.add((from_type, a, to_type, b))
            self.associations.add((to_type, b, from_type, a))
            for f, x, t, y in ((from_type, a, to_type, b), (to_type, b, from_type, a)):
                results.append(
                    {
                        "from": {"id": x},
                        "to": {"id": y},
                        "associationSpec": {
                            "associationCategory": "HUBSPOT_DEFINED",
                            "associationTypeId": ASSOCIATION_TYPES.get((f, t), 1),
                        },
                    }
                )
        answer: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": now_iso(),
            "completedAt": now_iso(),
        }
        if errors:
            answer["errors"] = errors
            answer["numErrors"] = len(errors)
        return 200, answer

    def search(self, object_type: str, body: dict):
        if object_type not in self.objects:
            return self.error(
                400, f"Unable to infer object type from: {object_type}", "VALIDATION_ERROR"
            )
        limit = body.get("limit", 10)
        if not 0 < limit <= 200:
            return self.error(400, "limit must be between 1 and 200", "VALIDATION_ERROR")
        try:
            offset = int(body.get("after") or 0)
        except ValueError:
            return self.error(400, "after must be a paging cursor", "VALIDATION_ERROR")
        if offset >= self.search_ceiling:
            return self.error(
                400,
                f"The search API returns at most {self.search_ceiling} results for a query.",
                "VALIDATION_ERROR",
            )
        groups = body.get("filterGroups") or []
        if len(groups) > 5 or sum(len(g["filters"]) for g in groups) > 18:
            return self.error(400, "too many filters", "VALIDATION_ERROR")
        matches = [
            o
            for o in self.objects[object_type].values()
            if not groups or any(all(_matches(o, f) for f in g["filters"]) for g in groups)
        ]
        matches.sort(key=lambda o: int(o["id"]))
        for sort in reversed(body.get("sorts") or []):
            name = sort["propertyName"] if isinstance(sort, dict) else sort.lstrip("-")
            descending = (
                sort.get("direction") == "DESCENDING" if isinstance(sort, dict) else sort[0] == "-"
            )
            matches.sort(key=lambda o: _sort_key(o["properties"].get(name)), reverse=descending)
        wanted = body.get("properties") or DEFAULT_SEARCH_PROPERTIES[object_type]
        page = matches[offset : offset + limit]
        answer = {
            "total": len(matches),
            "results": [
                {
                    "id": o["id"],
                    "properties": {
                        k: str(o["properties"][k])
                        for k in (*wanted, "hs_object_id", "createdate")
                        if o["properties"].get(k) is not None
                    },
                    "createdAt": o["createdAt"],
                    "updatedAt": o["updatedAt"],
                    "archived": False,
                }
                for o in page
            ],
        }
        if offset + limit < len(matches):
            after = str(offset + limit)
            answer["paging"] = {"next": {"after": after, "link": f"?after={after}"}}
        return 200, answer

    def gdpr_delete(self, body: dict):
        prop = body.get("idProperty") or "hs_object_id"
        if prop == "hs_object_id":
            matches = (
                [self.objects["contacts"][body["objectId"]]]
                if body["objectId"] in self.objects["contacts"]
                else []
            )
        else:
            matches = self.find("contacts", prop, body["objectId"])
        if not matches:
            return self.error(404, "resource not found", "OBJECT_NOT_FOUND")
        for obj in matches:
            del self.objects["contacts"][obj["id"]]
            self.associations = {
                a
                for a in self.associations
                if obj["id"] not in (a[1], a[3]) or "contacts" not in (a[0], a[2])
            }
            self.gdpr_deleted.append(obj["properties"].get("email", ""))
        return 204, None

    def create_group(self, object_type: str, body: dict):
        key = (object_type, body["name"])
        if key in self.groups:
            return self.error(
                409, f"A property group named {body['name']} already exists", "CONFLICT"
            )
        self.groups.add(key)
        return 201, {
            "name": body["name"],
            "label": body["label"],
            "displayOrder": body.get("displayOrder", -1),
            "archived": False,
        }

    def create_property(self, object_type: str, body: dict):
        if body["name"] in self.properties[object_type]:
            return self.error(409, f"Property {body['name']} already exists", "CONFLICT")
        if (object_type, body["groupName"]) not in self.groups:
            return self.error(400, f"group {body['groupName']} does not exist", "VALIDATION_ERROR")
        prop = {
            "name": body["name"],
            "label": body["label"],
            "type": body["type"],
            "fieldType": body["fieldType"],
            "groupName": body["groupName"],
            "description": body.get("description", ""),
            "options": body.get("options", []),
            "hasUniqueValue": bool(body.get("hasUniqueValue")),
            "createdAt": now_iso(),
            "updatedAt": now_iso(),
            "archived": False,
        }
        self.properties[object_type][body["name"]] = prop
        return 201, prop

    def _pipeline(self, pipeline_id: str, label: str, stages: list[dict]) -> dict:
        stamp = now_iso()
        return {
            "id": pipeline_id,
            "label": label,
            "displayOrder": 0,
            "archived": False,
            "createdAt": stamp,
            "updatedAt": stamp,
            "stages": [
                {
                    "id": str(next(self._ids)),
                    "label": s["label"],
                    "displayOrder": s["displayOrder"],
                    "metadata": s["metadata"],
                    "archived": False,
                    "createdAt": stamp,
                    "updatedAt": stamp,
                    "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
                }
                for i, s in enumerate(stages)
            ],
        }

    def create_pipeline(self, body: dict):
        if any(pl["label"] == body["label"] for pl in self.pipelines):
            return self.error(409, "A pipeline with this label already exists", "CONFLICT")
        pipeline = self._pipeline(str(next(self._ids)), body["label"], body["stages"])
        pipeline["displayOrder"] = body["displayOrder"]
        self.pipelines.append(pipeline)
        return 201, pipeline


WEBHOOK_TYPES = (
    "contact.deletion",
    "contact.merge",
    "contact.privacyDeletion",
    "deal.deletion",
    "deal.propertyChange",
)


def _comparable(value):
    if value is None:
        return None
    text = str(value)
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text.lower()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


def _sort_key(value):
    key = _comparable(value)
    return (key is None, 0 if isinstance(key, int) else 1, key if key is not None else 0)


def _matches(obj: dict, flt: dict) -> bool:
    value = obj["properties"].get(flt["propertyName"])
    if flt["propertyName"] == "hs_object_id":
        value = obj["id"]
    op = flt["operator"]
    if op == "HAS_PROPERTY":
        return value not in (None, "")
    if op == "NOT_HAS_PROPERTY":
        return value in (None, "")
    if value in (None, ""):
        return op in ("NEQ", "NOT_IN")
    have, want = _comparable(value), _comparable(flt.get("value"))
    if op in ("IN", "NOT_IN"):
        inside = have in {_comparable(v) for v in flt.get("values") or []}
        return inside if op == "IN" else not inside
    if op == "BETWEEN":
        high = _comparable(flt.get("highValue"))
        return type(have) is type(want) is type(high) and want <= have <= high
    if type(have) is not type(want):
        return op == "NEQ"
    return {
        "EQ": have == want,
        "NEQ": have != want,
        "GT": have > want,
        "GTE": have >= want,
        "LT": have < want,
        "LTE": have <= want,
        "CONTAINS_TOKEN": str(want) in str(have),
        "NOT_CONTAINS_TOKEN": str(want) not in str(have),
    }[op]


SIGNATURE_V3 = "X-HubSpot-Signature-v3"
REQUEST_TIMESTAMP = "X-HubSpot-Request-Timestamp"


def sign_v3(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """Sign as HubSpot documents: base64 HMAC-SHA256 of method + URI + body + timestamp."""
    source = f"{method}{uri}".encode() + body + timestamp.encode()
    return base64.b64encode(hmac.new(secret.encode(), source, hashlib.sha256).digest()).decode()


def webhook_request(
    events: list[dict],
    *,
    uri: str,
    secret: str,
    timestamp_ms: int | None = None,
    signature: str | None = None,
    v1_only: bool = False,
) -> tuple[bytes, dict]:
    """Return the body and headers HubSpot sends for a webhook batch to ``uri``.

    ``timestamp_ms`` sends a stale (or future) timestamp; ``signature`` a wrong signature;
    ``v1_only`` the old SHA-256 ``X-HubSpot-Signature`` without the v3 headers.
    """
    body = json.dumps(events, separators=(",", ":")).encode()
    if v1_only:
        digest = hashlib.sha256(secret.encode() + body).hexdigest()
        return body, {
            "Content-Type": "application/json",
            "X-HubSpot-Signature": digest,
            "X-HubSpot-Signature-Version": "v1",
        }
    stamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    return body, {
        "Content-Type": "application/json",
        SIGNATURE_V3: signature or sign_v3(secret, "POST", uri, body, stamp),
        REQUEST_TIMESTAMP: stamp,
    }


def _handler_for(double: HubSpotDouble):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):  # quiet
            pass

        def setup(self):
            super().setup()
            with double.lock:
                double.connections.add(self.connection)

        def finish(self):
            with double.lock:
                double.connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, answer, headers, delay = double.handle(
                self.command, self.path, self.headers, raw
            )
            if delay:
                time.sleep(delay)
            data = b"" if answer is None else json.dumps(answer).encode()
            try:
                self.send_response(status)
                if data:
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler
