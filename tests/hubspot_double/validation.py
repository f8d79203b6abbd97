"""Validate requests and answers against HubSpot's official OpenAPI descriptions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from openapi_schema_validator import OAS30Validator, oas30_format_checker

SPEC_DIR = Path(__file__).parent / "specs"
# Descriptions HubSpot does not publish, written by hand from its documentation (owners).
HANDWRITTEN_DIR = Path(__file__).parent / "handwritten"

# Where HubSpot's descriptions contradict its API and its documentation. The search request's
# ``sorts`` are typed as strings, but HubSpot's search guide sends (and its API expects) objects
# {"propertyName", "direction"}; the SDKs' issue trackers report the same (e.g.
# HubSpot/hubspot-api-python#236). Both forms are accepted.
SORT_OBJECT = {
    "type": "object",
    "required": ["propertyName"],
    "properties": {
        "propertyName": {"type": "string"},
        "direction": {"type": "string", "enum": ["ASCENDING", "DESCENDING"]},
    },
    "additionalProperties": False,
}


def _apply_errata(spec: dict) -> None:
    search = spec.get("components", {}).get("schemas", {}).get("PublicObjectSearchRequest")
    if search and "sorts" in search.get("properties", {}):
        search["properties"]["sorts"]["items"] = {"oneOf": [{"type": "string"}, SORT_OBJECT]}


# The date-versioned object paths are templated on the object type and described once per
# object; notes use the deals description (HubSpot publishes the same generic shape for all).
OBJECT_SPECS_2026 = {
    "contacts": "crm-2026-09-contacts.json",
    "companies": "crm-2026-09-companies.json",
}
DEFAULT_OBJECT_SPEC_2026 = "crm-2026-09-deals.json"

PREFIX_SPECS = (
    ("/crm/v3/objects/contacts", "crm-v3-contacts.json"),
    ("/crm/v3/objects/companies", "crm-v3-companies.json"),
    ("/crm/v3/objects/0-3", "crm-v3-deals.json"),
    ("/crm/v3/objects/notes", "crm-v3-notes.json"),
    ("/crm/v3/properties/", "crm-v3-properties.json"),
    ("/crm/v3/pipelines/", "crm-v3-pipelines.json"),
    ("/crm/v4/", "crm-v4-associations.json"),
    ("/crm/associations/2026-09/", "crm-2026-09-associations.json"),
    ("/crm/v3/owners/", "crm-v3-owners.json"),
)


@dataclass
class Operation:
    spec_name: str
    template: str
    method: str
    operation: dict
    path_params: dict


class SpecBook:
    """The OpenAPI descriptions, loaded once, with path lookup and schema validation."""

    def __init__(self, spec_dir: Path = SPEC_DIR, handwritten_dir: Path = HANDWRITTEN_DIR):
        self.specs: dict[str, dict] = {}
        self.roots: dict[str, OAS30Validator] = {}
        self.routes: dict[str, list[tuple[re.Pattern, str]]] = {}
        for path in sorted([*spec_dir.glob("*.json"), *handwritten_dir.glob("*.json")]):
            spec = json.loads(path.read_text(encoding="utf-8"))
            _apply_errata(spec)
            self.specs[path.name] = spec
            self.roots[path.name] = OAS30Validator(spec, format_checker=oas30_format_checker)
            routes = []
            for template in spec["paths"]:
                pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
                routes.append((re.compile(f"^{pattern}$"), template))
            # Literal segments win over templated ones ("batch" over "{objectId}").
            routes.sort(key=lambda r: r[1].count("{"))
            self.routes[path.name] = routes
        if not self.specs:
            raise RuntimeError(f"no OpenAPI descriptions found in {spec_dir}")

    def spec_for(self, path: str) -> str | None:
        for prefix, name in PREFIX_SPECS:
            if path.startswith(prefix):
                return name
        match = re.match(r"^/crm/objects/2026-09/([^/]+)(/.*)?$", path)
        if match:
            if "/associations/" in path:
                return "crm-2026-09-associations.json"
            return OBJECT_SPECS_2026.get(match.group(1), DEFAULT_OBJECT_SPEC_2026)
        return None

    def find(self, method: str, path: str) -> Operation | None:
        """Return the described operation for a request, or None if HubSpot has none."""
        name = self.spec_for(path)
        if name is None:
            return None
        for pattern, template in self.routes[name]:
            match = pattern.match(path)
            if match and method.lower() in self.specs[name]["paths"][template]:
                op = self.specs[name]["paths"][template][method.lower()]
                return Operation(name, template, method.upper(), op, match.groupdict())
        return None

    def _errors(self, spec_name: str, schema: dict, value) -> list[str]:
        validator = self.roots[spec_name].evolve(schema=schema)
        return [
            f"{'/'.join(str(x) for x in e.absolute_path) or '<body>'}: {e.message}"
            for e in validator.iter_errors(value)
        ]

    def validate_request(self, method: str, path: str, query: dict, body) -> list[str]:
        """Return every way a request departs from HubSpot's description."""
        op = self.find(method, path)
        if op is None:
            return [f"{method} {path}: no such operation in HubSpot's descriptions"]
        errors = []
        params = op.operation.get("parameters", []) + self.specs[op.spec_name]["paths"][
            op.template
        ].get("parameters", [])
        for param in params:
            if param.get("in") == "query" and param.get("required") and param["name"] not in query:
                errors.append(f"missing required query parameter {param['name']}")
        request_body = op.operation.get("requestBody")
        if request_body:
            schema = request_body.get("content", {}).get("application/json", {}).get("schema")
            if body is None and request_body.get("required"):
                errors.append("request body required")
            elif schema is not None and body is not None:
                errors += self._errors(op.spec_name, schema, body)
        elif body not in (None, b"", ""):
            errors.append("operation takes no request body")
        return [f"{method} {path}: {e}" for e in errors]

    def validate_response(self, method: str, path: str, status: int, body) -> list[str]:
        """Return every way an answer departs from HubSpot's description."""
        op = self.find(method, path)
        if op is None:
            return []
        responses = op.operation.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            return [f"{method} {path}: status {status} is not described"]
        if "$ref" in response:
            ref = response["$ref"].split("/")[-1]
            response = self.specs[op.spec_name]["components"]["responses"][ref]
        content = response.get("content")
        if not content:
            if body not in (None, b"", ""):
                return [f"{method} {path}: {status} must have no body"]
            return []
        schema = (content.get("application/json") or content.get("*/*") or {}).get("schema")
        if schema is None:
            return []
        return [
            f"{method} {path} -> {status}: {e}" for e in self._errors(op.spec_name, schema, body)
        ]
