"""Which columns of a lead and an inquiry hold what: one list each, used by capture and privacy.

Capture copies the form's answers into ``LEAD_FIELDS`` / ``INQUIRY_FIELDS`` and the visit into
``ATTRIBUTION_FIELDS``; erasure blanks the personal ones; the export lists them all.
"""

from __future__ import annotations

# The person and their company: personal data, blanked on erasure (the email is its own column).
CONTACT_FIELDS = (
    "full_name",
    "company",
    "job_title",
    "phone",
    "company_website",
    "company_domain",
)
# What a form may set on the lead.
LEAD_FIELDS = (*CONTACT_FIELDS, "hq_country", "preferred_language", "interest")
# What a form may set on the inquiry (beyond its kind, countries, language and page).
INQUIRY_FIELDS = (
    "sector",
    "project_type",
    "headcount_band",
    "investment_band",
    "timeline",
    "message",
    "event_slug",
)
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Where the visitor came from, stored on every inquiry.
ATTRIBUTION_FIELDS = (*UTM_KEYS, "referrer", "landing_page")
# Inquiry columns that may identify the person, blanked on erasure.
PERSONAL_INQUIRY_FIELDS = (
    "message",
    "page",
    "referrer",
    "landing_page",
    "utm_term",
    "utm_content",
)
