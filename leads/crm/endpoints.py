"""Every HubSpot path the adapter calls, per API version: the one place that names them.

HubSpot ends support for the v4 association paths on 30 March 2027 and for the v3 object paths
in September 2027; switching to the date-versioned ``2026-09`` paths is the setting
``HUBSPOT_API_VERSION``, not a rewrite.
"""

from __future__ import annotations

from leads.crm import properties as p

V3 = "v3"
V2026_09 = "2026-09"
API_VERSIONS = (V3, V2026_09)

# Every path the adapter calls, per API version. HubSpot publishes no date-versioned
# description of the properties, pipelines and owners APIs yet, so those use v3 in both modes.
ENDPOINTS: dict[str, dict[str, str]] = {
    V3: {
        "upsert": "/crm/v3/objects/{object_type}/batch/upsert",
        "associate": "/crm/v4/associations/{from_type}/{to_type}/batch/associate/default",
        "gdpr_delete": "/crm/v3/objects/contacts/gdpr-delete",
        "property_groups": "/crm/v3/properties/{object_type}/groups",
        "properties": "/crm/v3/properties/{object_type}",
        "pipelines": "/crm/v3/pipelines/deals",
        "search": "/crm/v3/objects/{object_type}/search",
        "owner": "/crm/v3/owners/{owner_id}",
    },
    V2026_09: {
        "upsert": "/crm/objects/2026-09/{object_type}/batch/upsert",
        "associate": "/crm/associations/2026-09/{from_type}/{to_type}/batch/associate/default",
        "gdpr_delete": "/crm/objects/2026-09/contacts/gdpr-delete",
        "property_groups": "/crm/v3/properties/{object_type}/groups",
        "properties": "/crm/v3/properties/{object_type}",
        "pipelines": "/crm/v3/pipelines/deals",
        "search": "/crm/objects/2026-09/{object_type}/search",
        "owner": "/crm/v3/owners/{owner_id}",
    },
}
# HubSpot's v3 description names the deals object by its type id.
OBJECT_PATH_NAMES = {V3: {p.DEALS: "0-3"}, V2026_09: {}}


def endpoint_path(api_version: str, name: str, **params: str) -> str:
    """Return the path of endpoint ``name`` in ``api_version``, with ``params`` filled in."""
    names = OBJECT_PATH_NAMES[api_version]
    if "object_type" in params:
        params["object_type"] = names.get(params["object_type"], params["object_type"])
    return ENDPOINTS[api_version][name].format(**params)
