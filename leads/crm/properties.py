"""CRM property names, the property group, the deal pipeline and the stage mappings.

This is the one place that names anything in HubSpot. Custom properties carry the ``wbo_``
prefix; lifecycle stage and lead status use HubSpot's own internal values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.countries import COUNTRY_SLUGS, country_name
from leads.choices import UNDECIDED
from leads.lifecycle.stages import QUALIFIED_STAGES, Stage

# HubSpot object types as they appear in URL paths. Deals use the object type id "0-3" in the
# v3 description HubSpot publishes; HubSpot accepts it in place of "deals" everywhere.
CONTACTS = "contacts"
COMPANIES = "companies"
DEALS = "deals"
NOTES = "notes"

GROUP_NAME = "wbo"
GROUP_LABEL = "Western Balkans Outsourcing"
PIPELINE_LABEL = "Western Balkans Outsourcing"

# Standard HubSpot properties the relay writes.
EMAIL = "email"
FIRSTNAME = "firstname"
LASTNAME = "lastname"
COMPANY_NAME = "company"
JOBTITLE = "jobtitle"
PHONE = "phone"
COUNTRY = "country"
LIFECYCLE_STAGE = "lifecyclestage"
LEAD_STATUS = "hs_lead_status"
NAME = "name"
DOMAIN = "domain"
DEALNAME = "dealname"
PIPELINE = "pipeline"
DEALSTAGE = "dealstage"
NOTE_BODY = "hs_note_body"
TIMESTAMP = "hs_timestamp"
# Read back from HubSpot (webhooks and the pull), never written by the relay.
OWNER = "hubspot_owner_id"
MERGED_IDS = "hs_merged_object_ids"
# The last-modified property the search API filters on: contacts name it differently.
MODIFIED_PROPERTY = {CONTACTS: "lastmodifieddate", DEALS: "hs_lastmodifieddate"}

# Custom properties, all in GROUP_NAME.
WBO_LEAD_ID = "wbo_lead_id"
WBO_SCORE = "wbo_score"
WBO_COUNTRIES = "wbo_countries"
WBO_SECTOR = "wbo_sector"
WBO_SOURCE = "wbo_source"
WBO_CAMPAIGN = "wbo_campaign"
WBO_STAGE = "wbo_stage"
WBO_COMPANY_KEY = "wbo_company_key"
WBO_LEAD_REF = "wbo_lead_ref"
WBO_NOTE_REF = "wbo_note_ref"

# Unique identifiers used as ``idProperty`` in batch upserts.
CONTACT_ID_PROPERTY = EMAIL
COMPANY_ID_PROPERTY = WBO_COMPANY_KEY
DEAL_ID_PROPERTY = WBO_LEAD_REF
NOTE_ID_PROPERTY = WBO_NOTE_REF


@dataclass(frozen=True)
class PropertySpec:
    """A custom property that ``flask crm setup`` creates."""

    name: str
    label: str
    type: str = "string"
    field_type: str = "text"
    unique: bool = False
    options: tuple[str, ...] = field(default_factory=tuple)

    def as_input(self) -> dict:
        """Return the PropertyCreate body for HubSpot's properties API."""
        body = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "groupName": GROUP_NAME,
            "hasUniqueValue": self.unique,
        }
        if self.options:
            body["options"] = [
                {"label": option_label(v), "value": v, "hidden": False, "displayOrder": i}
                for i, v in enumerate(self.options)
            ]
        return body


# Stages at which a lead has a deal in the pipeline; "lost" and "disqualified" close a deal
# that exists but never open one.
DEAL_OPENING_STAGES = frozenset(stage.value for stage in QUALIFIED_STAGES)

# Local stage -> deal stage label in the "Western Balkans Outsourcing" pipeline, with the
# metadata HubSpot requires (probability; closed stages flagged).
DEAL_STAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    (Stage.QUALIFIED.value, "Qualified", {"probability": "0.2"}),
    (Stage.MEETING.value, "Meeting", {"probability": "0.4"}),
    (Stage.SITE_VISIT.value, "Site visit", {"probability": "0.6"}),
    (Stage.WON.value, "Investment won", {"probability": "1.0", "isClosed": "true"}),
    (Stage.LOST.value, "Lost", {"probability": "0.0", "isClosed": "true"}),
    (Stage.DISQUALIFIED.value, "Disqualified", {"probability": "0.0", "isClosed": "true"}),
)
DEAL_STAGE_LABELS = {stage: label for stage, label, _meta in DEAL_STAGES}

# Local stage -> HubSpot lifecycle stage. Lifecycle stages only move forward in HubSpot, so
# "lost" and "disqualified" leave it alone (None) and say it through the lead status instead.
LIFECYCLE_BY_STAGE: dict[str, str | None] = {
    Stage.NEW: "lead",
    Stage.CONTACTED: "lead",
    Stage.QUALIFIED: "salesqualifiedlead",
    Stage.MEETING: "opportunity",
    Stage.SITE_VISIT: "opportunity",
    Stage.WON: "customer",
    Stage.LOST: None,
    Stage.DISQUALIFIED: None,
}

# Local stage -> HubSpot's hs_lead_status values.
LEAD_STATUS_BY_STAGE: dict[str, str] = {
    Stage.NEW: "NEW",
    Stage.CONTACTED: "ATTEMPTED_TO_CONTACT",
    Stage.QUALIFIED: "CONNECTED",
    Stage.MEETING: "OPEN_DEAL",
    Stage.SITE_VISIT: "OPEN_DEAL",
    Stage.WON: "OPEN_DEAL",
    Stage.LOST: "BAD_TIMING",
    Stage.DISQUALIFIED: "UNQUALIFIED",
}


COUNTRY_OPTIONS: tuple[str, ...] = (*COUNTRY_SLUGS, UNDECIDED)


def option_label(value: str) -> str:
    """Return the label HubSpot shows for an option value (a country slug or a stage)."""
    if value == UNDECIDED:
        return "Not decided yet"
    if value in COUNTRY_SLUGS:
        return country_name(value)
    return value.replace("_", " ").capitalize()


def custom_properties() -> dict[str, tuple[PropertySpec, ...]]:
    """Return the custom properties to create, per HubSpot object type."""
    countries = PropertySpec(
        WBO_COUNTRIES,
        "Countries of interest",
        type="enumeration",
        field_type="checkbox",
        options=COUNTRY_OPTIONS,
    )
    lead_id = PropertySpec(WBO_LEAD_ID, "Gateway lead id", type="number", field_type="number")
    score = PropertySpec(WBO_SCORE, "Lead score", type="number", field_type="number")
    stage = PropertySpec(
        WBO_STAGE,
        "Gateway stage",
        type="enumeration",
        field_type="select",
        options=tuple(stage.value for stage in Stage),
    )
    return {
        CONTACTS: (
            lead_id,
            score,
            countries,
            stage,
            PropertySpec(WBO_SECTOR, "Sector"),
            PropertySpec(WBO_SOURCE, "Lead source"),
            PropertySpec(WBO_CAMPAIGN, "Campaign"),
        ),
        COMPANIES: (PropertySpec(WBO_COMPANY_KEY, "Company key (domain)", unique=True),),
        DEALS: (
            PropertySpec(WBO_LEAD_REF, "Gateway lead reference", unique=True),
            lead_id,
            score,
            countries,
        ),
        NOTES: (PropertySpec(WBO_NOTE_REF, "Gateway inquiry reference", unique=True),),
    }
