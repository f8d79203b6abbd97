"""Answer options of the lead forms: the one place their values live.

Forms render these; scoring, routing, reporting and the CRM read the same values.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INTERESTS = (
    ("ict", _l("ICT services and software")),
    ("bpo", _l("BPO and customer experience")),
    ("both", _l("Both")),
    ("unsure", _l("Not sure yet")),
)
# The sectors (content/sectors slugs) each answer to "what are you interested in?" covers.
INTEREST_SECTORS = {
    "ict": ("ict-services", "game-development"),
    "bpo": ("bpo", "shared-services"),
    "both": ("ict-services", "game-development", "bpo", "shared-services"),
    "unsure": (),
}
PROJECT_TYPES = (
    ("delivery_centre", _l("Our own delivery centre")),
    ("outsourcing_partner", _l("An outsourcing partner")),
    ("acquisition_jv", _l("Acquisition or joint venture")),
    ("rnd", _l("Research and development")),
    ("other", _l("Something else")),
)
HEADCOUNT_BANDS = (
    ("1-9", _l("1–9 people")),
    ("10-49", _l("10–49 people")),
    ("50-249", _l("50–249 people")),
    ("250+", _l("250 people or more")),
    ("unknown", _l("Not known yet")),
)
INVESTMENT_BANDS = (
    ("lt-250k", _l("Under EUR 250,000")),
    ("250k-1m", _l("EUR 250,000 – 1 million")),
    ("1m-5m", _l("EUR 1–5 million")),
    ("5m+", _l("Over EUR 5 million")),
    ("unknown", _l("Not known yet")),
)
TIMELINES = (
    ("0-6m", _l("Within 6 months")),
    ("6-12m", _l("6–12 months")),
    ("12m+", _l("More than a year")),
    ("exploring", _l("Just exploring")),
)
SOURCES = (
    ("inquiry", _l("Inquiry form")),
    ("meeting", _l("Roadshow meeting request")),
    ("report", _l("Regional report download")),
    ("estimate", _l("Cost estimate request")),
)
CONSENT_PURPOSES = (
    ("answer_inquiry", _l("Answer the inquiry")),
    ("arrange_meeting", _l("Arrange a roadshow meeting")),
    ("send_report", _l("Send the regional report")),
    ("send_estimate", _l("Send the cost estimate and follow it up")),
)
ANSWER_INQUIRY, ARRANGE_MEETING, SEND_REPORT, SEND_ESTIMATE = (
    value for value, _label in CONSENT_PURPOSES
)
# The smallest team of each headcount band (a team size maps onto the band it falls in).
HEADCOUNT_FLOORS = (("250+", 250), ("50-249", 50), ("10-49", 10), ("1-9", 1))
UNDECIDED = "undecided"  # countries of interest: "not decided yet"


def values(options: tuple[tuple[str, object], ...]) -> tuple[str, ...]:
    """Return the stored values of an option list."""
    return tuple(value for value, _label in options)


def headcount_band_for(people: int) -> str:
    """Return the headcount band a team of ``people`` falls in ("unknown" below one)."""
    return next((band for band, floor in HEADCOUNT_FLOORS if people >= floor), "unknown")
