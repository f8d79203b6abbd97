"""HubSpot implementation of the CRM interface: the only module that imports ``hubspot``.

Every call goes through one ``ApiClient`` of the official SDK, built once: one connection pool,
one retry policy for 429 answers (``leads.crm.retry``), a timeout on every request and a
client-side limiter (``leads.crm.ratelimit``) that every request, resends included, passes.
Endpoint paths for both API versions live in ``leads.crm.endpoints`` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import hubspot
import urllib3
from hubspot.crm.objects.exceptions import ApiException, OpenApiException

from leads.crm import properties as p
from leads.crm.base import (
    AUTH,
    CONFLICT,
    CRM,
    NETWORK,
    NOT_FOUND,
    RATE_LIMIT,
    SERVER,
    VALIDATION,
    BatchResult,
    CRMError,
    DailyLimitReached,
    SchemaInfo,
)
from leads.crm.endpoints import API_VERSIONS, V3, endpoint_path
from leads.crm.ratelimit import RateLimiter, header
from leads.crm.retry import error_body, is_daily_limit, retry_policy
from leads.crm.webhooks import parse_hubspot_time

log = logging.getLogger(__name__)

CORRELATION_HEADER = "X-HubSpot-Correlation-Id"
# The search API pages through at most this many results of one query.
SEARCH_CEILING = 10_000


def next_utc_midnight(now: dt.datetime | None = None) -> dt.datetime:
    """Return the next midnight UTC, when HubSpot's daily limit has reset in every time zone."""
    now = now or dt.datetime.now(dt.UTC)
    return (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def error_from_response(status: int, body, headers) -> CRMError:
    """Build the CRMError for a non-2xx HubSpot answer."""
    data = error_body(body)
    message = data.get("message") or f"HubSpot answered {status}"
    correlation = data.get("correlationId") or (headers or {}).get(CORRELATION_HEADER)
    kwargs: dict[str, Any] = {"status": status, "correlation_id": correlation}
    if status == 429:
        if is_daily_limit(status, data, headers):
            return DailyLimitReached(message, reset_at=next_utc_midnight(), **kwargs)
        return CRMError(message, category=RATE_LIMIT, retryable=True, **kwargs)
    if status >= 500:
        return CRMError(message, category=data.get("category") or SERVER, retryable=True, **kwargs)
    if status in (401, 403):
        return CRMError(message, category=AUTH, retryable=True, **kwargs)
    if status == 409:
        return CRMError(message, category=CONFLICT, **kwargs)
    if status == 404:
        return CRMError(message, category=NOT_FOUND, **kwargs)
    return CRMError(message, category=data.get("category") or VALIDATION, **kwargs)


class HubSpotCRM(CRM):
    """The CRM interface over HubSpot's API, through the official SDK."""

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = "https://api.hubapi.com",
        api_version: str = V3,
        rate_limit: int = 100,
        rate_window: float = 10.0,
        timeout: tuple[float, float] = (5.0, 30.0),
        retries: int = 3,
        search_rate_limit: int = 4,
        search_page_size: int = 100,
        search_ceiling: int = SEARCH_CEILING,
    ):
        if api_version not in API_VERSIONS:
            raise ValueError(f"HUBSPOT_API_VERSION must be one of {API_VERSIONS}")
        self.api_version = api_version
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.limiter = RateLimiter(rate_limit, rate_window)
        # The search API has its own, lower limit per second (and is exempt from the general
        # ten-second window), so its requests pass their own limiter.
        self.search_limiter = RateLimiter(search_rate_limit, 1.0)
        self.search_page_size = max(1, min(int(search_page_size), 200))
        self.search_ceiling = int(search_ceiling)
        retry = retry_policy(retries, self.limiter)
        client = hubspot.Client.create(access_token=access_token, retry=retry, host=self.base_url)
        # Each attribute access on the SDK's discovery objects builds a new ApiClient and pool:
        # take one ApiClient now and keep it.
        self._api_client = client.crm.objects.batch_api.api_client
        self.calls = 0

    # -- transport -------------------------------------------------------------------------

    def _path(self, name: str, **params: str) -> str:
        return endpoint_path(self.api_version, name, **params)

    def request(
        self,
        method: str,
        path: str,
        body=None,
        *,
        with_headers: bool = False,
        limiter: RateLimiter | None = None,
    ):
        """Send one request and return (status, decoded body); raise CRMError on failure."""
        (limiter or self.limiter).acquire()
        self.calls += 1
        try:
            data, status, headers = self._api_client.call_api(
                path,
                method,
                header_params={"Content-Type": "application/json", "Accept": "application/json"},
                body=body,
                response_types_map={200: "object", 201: "object", 207: "object", 204: None},
                auth_settings=["oauth2"],
                _return_http_data_only=False,
                _request_timeout=self.timeout,
            )
        except ApiException as exc:
            self.limiter.observe(exc.headers)
            raise error_from_response(exc.status or 0, exc.body, exc.headers) from exc
        except (urllib3.exceptions.HTTPError, OpenApiException, OSError) as exc:
            raise CRMError(f"HubSpot unreachable: {exc}", category=NETWORK, retryable=True) from exc
        self.limiter.observe(headers)
        if with_headers:
            return status, data, headers
        return status, data

    # -- batches ---------------------------------------------------------------------------

    def _upsert(self, object_type: str, inputs: list[dict]) -> BatchResult:
        if not inputs:
            return BatchResult()
        if len(inputs) > 100:
            raise ValueError("HubSpot batches take at most 100 inputs")
        path = self._path("upsert", object_type=object_type)
        _status, data, headers = self.request("POST", path, {"inputs": inputs}, with_headers=True)
        return batch_result(inputs, data or {}, correlation_id=header(headers, CORRELATION_HEADER))

    def upsert_contacts(self, inputs: list[dict]) -> BatchResult:
        """Create or update contacts identified by email."""
        return self._upsert(p.CONTACTS, inputs)

    def upsert_companies(self, inputs: list[dict]) -> BatchResult:
        """Create or update companies identified by their company key."""
        return self._upsert(p.COMPANIES, inputs)

    def upsert_deals(self, inputs: list[dict]) -> BatchResult:
        """Create or update deals identified by their lead reference."""
        return self._upsert(p.DEALS, inputs)

    def create_notes(self, inputs: list[dict]) -> BatchResult:
        """Create notes once each: an upsert by note reference never makes a second copy."""
        return self._upsert(p.NOTES, inputs)

    def associate(self, from_type: str, to_type: str, pairs: list[tuple[str, str]]) -> BatchResult:
        """Link objects with HubSpot's default association; errors keyed by "from:to"."""
        result = BatchResult()
        pairs = list(dict.fromkeys(pairs))
        if not pairs:
            return result
        path = self._path("associate", from_type=from_type, to_type=to_type)
        body = {"inputs": [{"from": {"id": a}, "to": {"id": b}} for a, b in pairs]}
        _status, data = self.request("POST", path, body)
        data = data or {}
        done = {
            (str(r.get("from", {}).get("id")), str(r.get("to", {}).get("id")))
            for r in data.get("results", [])
        }
        errors = [_standard_error(e) for e in data.get("errors", [])]
        for a, b in pairs:
            if (a, b) in done:
                result.ids[f"{a}:{b}"] = f"{a}:{b}"
            elif errors:
                result.errors[f"{a}:{b}"] = errors[0]
            else:
                # HubSpot answers once per pair and direction; absence is not an error.
                result.ids[f"{a}:{b}"] = f"{a}:{b}"
        return result

    # -- schema ----------------------------------------------------------------------------

    def _create_unless_exists(self, path: str, body: dict) -> bool:
        try:
            self.request("POST", path, body)
        except CRMError as exc:
            if exc.status == 409:
                return False
            raise
        return True

    def ensure_schema(self) -> SchemaInfo:
        """Create the property group, properties and deal pipeline unless they exist."""
        for object_type, specs in p.custom_properties().items():
            self._create_unless_exists(
                self._path("property_groups", object_type=object_type),
                {"name": p.GROUP_NAME, "label": p.GROUP_LABEL, "displayOrder": -1},
            )
            for spec in specs:
                self._create_unless_exists(
                    self._path("properties", object_type=object_type), spec.as_input()
                )
        stages = [
            {"label": label, "displayOrder": i, "metadata": meta}
            for i, (_stage, label, meta) in enumerate(p.DEAL_STAGES)
        ]
        self._create_unless_exists(
            self._path("pipelines"),
            {"label": p.PIPELINE_LABEL, "displayOrder": 99, "stages": stages},
        )
        _status, data = self.request("GET", self._path("pipelines"))
        for pipeline in (data or {}).get("results", []):
            if pipeline.get("label") == p.PIPELINE_LABEL:
                by_label = {s["label"]: s["id"] for s in pipeline.get("stages", [])}
                stage_ids = {
                    stage: by_label[label]
                    for stage, label, _meta in p.DEAL_STAGES
                    if label in by_label
                }
                return SchemaInfo(pipeline_id=pipeline["id"], stage_ids=stage_ids)
        raise CRMError("the deal pipeline was not found after creating it", category=NOT_FOUND)

    # -- reading back: search and owners ---------------------------------------------------

    def changed_since(
        self, object_type: str, since: dt.datetime, properties: tuple[str, ...]
    ) -> Iterator[list[dict]]:
        """Yield pages of objects modified at or after ``since``, oldest first.

        One query pages through at most ``search_ceiling`` (10,000) results; before reaching it the
        window is narrowed to start at the last modified date seen, and paging starts again.
        Objects on the boundary come twice (callers key them by id and modified date).
        """
        modified = p.MODIFIED_PROPERTY[object_type]
        path = self._path("search", object_type=object_type)
        wanted = list(dict.fromkeys((*properties, modified)))
        lower = _epoch_ms(since)
        after, fetched = "0", 0
        while True:
            body = {
                "filterGroups": [
                    {
                        "filters": [
                            {"propertyName": modified, "operator": "GTE", "value": str(lower)}
                        ]
                    }
                ],
                "sorts": [{"propertyName": modified, "direction": "ASCENDING"}],
                "properties": wanted,
                "limit": self.search_page_size,
                "after": after,
            }
            _status, data = self.request("POST", path, body, limiter=self.search_limiter)
            results = (data or {}).get("results", [])
            if results:
                yield results
            fetched += len(results)
            next_after = (((data or {}).get("paging") or {}).get("next") or {}).get("after")
            if not next_after or not results:
                return
            if fetched + self.search_page_size <= self.search_ceiling:
                after = str(next_after)
                continue
            last = parse_hubspot_time((results[-1].get("properties") or {}).get(modified))
            new_lower = _epoch_ms(last) if last else lower
            # Every result of a full window modified in one millisecond: step past it.
            lower = new_lower if new_lower > lower else lower + 1
            after, fetched = "0", 0

    def get_owner(self, owner_id: str) -> dict | None:
        """Return a HubSpot owner (id, email, names), or None if HubSpot knows no such owner.

        HubSpot's owners API has no OpenAPI description among the published ones; this follows
        its documentation (GET /crm/v3/owners/{ownerId}).
        """
        try:
            _status, data = self.request("GET", self._path("owner", owner_id=str(owner_id)))
        except CRMError as exc:
            if exc.status == 404:
                return None
            raise
        return data if isinstance(data, dict) else None

    # -- privacy and health ----------------------------------------------------------------

    def erase_contact(self, email: str | None = None, *, contact_id: str | None = None) -> None:
        """Permanently delete a contact under GDPR; an unknown contact is not an error."""
        bodies = []
        if contact_id:
            bodies.append({"objectId": str(contact_id)})
        if email:
            bodies.append({"objectId": email, "idProperty": p.EMAIL})
        for body in bodies:
            try:
                self.request("POST", self._path("gdpr_delete"), body)
            except CRMError as exc:
                if exc.status != 404:
                    raise
                continue  # unknown by id (merged, deleted): try the e-mail address
            return

    def health(self) -> dict:
        """Describe the connection without calling HubSpot."""
        return {
            "configured": True,
            "ok": True,
            "base_url": self.base_url,
            "api_version": self.api_version,
            "calls": self.calls,
        }


def _epoch_ms(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


def _standard_error(error: dict, correlation_id: str | None = None) -> CRMError:
    message = error.get("message") or "HubSpot rejected the input"
    category = error.get("category") or VALIDATION
    retryable = category in ("RATE_LIMITS", "INTERNAL_ERROR", "SERVER_ERROR", "TIMEOUT")
    return CRMError(message, category=category, retryable=retryable, correlation_id=correlation_id)


def batch_result(inputs: list[dict], data: dict, correlation_id: str | None = None) -> BatchResult:
    """Map a batch answer (200 or 207) back to the inputs' ``objectWriteTraceId``."""
    result = BatchResult()
    by_key = {str(i["id"]).lower(): i["objectWriteTraceId"] for i in inputs}
    id_property = inputs[0].get("idProperty") if inputs else None
    for row in data.get("results", []):
        trace = row.get("objectWriteTraceId")
        if not trace and id_property:
            trace = by_key.get(str(row.get("properties", {}).get(id_property, "")).lower())
        if trace:
            result.ids[trace] = str(row["id"])
    unattributed = []
    for error in data.get("errors", []):
        crm_error = _standard_error(error, correlation_id)
        traces = (error.get("context") or {}).get("objectWriteTraceId") or []
        for trace in traces:
            result.errors[trace] = crm_error
        if not traces:
            unattributed.append(crm_error)
    for item in inputs:
        trace = item["objectWriteTraceId"]
        if trace not in result.ids and trace not in result.errors:
            result.errors[trace] = (
                unattributed[0]
                if unattributed
                else CRMError("HubSpot returned no result for this input", retryable=True)
            )
    return result
