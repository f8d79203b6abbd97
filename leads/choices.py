"""Answer options of the lead forms: the one place their values live.

Forms render these; scoring, routing, reporting and the CRM read the same values.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.countries import COUNTRIES

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
    ("introduction", _l("Request for an introduction to partners")),
)
CONSENT_PURPOSES = (
    ("answer_inquiry", _l("Answer the inquiry")),
    ("arrange_meeting", _l("Arrange a roadshow meeting")),
    ("send_report", _l("Send the regional report")),
    ("send_estimate", _l("Send the cost estimate and follow it up")),
    # Optional and separate: up to two check-ins from the owner if the investor goes quiet.
    ("updates", _l("Check-ins and updates from the lead's adviser")),
    ("arrange_introduction", _l("Arrange an introduction to partners")),
    # Separate: pass the investor's name, company and need on to the partners chosen.
    ("share_with_partners", _l("Pass name, company and need to the chosen partners")),
)
(
    ANSWER_INQUIRY,
    ARRANGE_MEETING,
    SEND_REPORT,
    SEND_ESTIMATE,
    UPDATES,
    ARRANGE_INTRODUCTION,
    SHARE_WITH_PARTNERS,
) = (value for value, _label in CONSENT_PURPOSES)
# "We would like help with": the inquiry form's choice, and the partner kinds each one matches.
HELP_WITH = (
    ("recruiting", _l("Recruiting")),
    ("training", _l("Training")),
    ("premises", _l("Premises")),
    ("partners", _l("Finding partners")),
)
HELP_PARTNER_KINDS = {
    "recruiting": ("recruitment-firm", "public-employment-service"),
    "training": ("training-provider", "university"),
}
# Languages an introduction may ask a partner's team to speak (ISO 639-1).
TEAM_LANGUAGES = ("en", "de", "sv", "fr", "it", "nl", "es", "da", "no", "fi")
# The smallest team of each headcount band (a team size maps onto the band it falls in).
HEADCOUNT_FLOORS = (("250+", 250), ("50-249", 50), ("10-49", 10), ("1-9", 1))
UNDECIDED = "undecided"  # countries of interest: "not decided yet"
INTRODUCTION = "introduction"  # the inquiry kind (and source) of a request for an introduction
# Locations an investor weighs against us: our six countries (core.countries) and the usual
# competitors. Qualification records them as rivals; a lost lead names the one chosen instead.
COMPETITORS = (
    ("bulgaria", _l("Bulgaria")),
    ("romania", _l("Romania")),
    ("poland", _l("Poland")),
    ("portugal", _l("Portugal")),
    ("czechia", _l("Czechia")),
    ("india", _l("India")),
    ("philippines", _l("The Philippines")),
    ("egypt", _l("Egypt")),
    ("morocco", _l("Morocco")),
    ("other", _l("Other")),
)
RIVAL_LOCATIONS = (*((c.slug, c.name) for c in COUNTRIES), *COMPETITORS)
# A lost lead that went nowhere: the project stopped, or we do not know where it went.
NO_LOCATION = (
    ("none", _l("Nowhere: the project did not go ahead")),
    ("unknown", _l("Not known")),
)
CONTACT_CHANNELS = (
    ("email", _l("Email")),
    ("phone", _l("Phone call")),
    ("video", _l("Video call")),
    ("meeting", _l("Meeting in person")),
    ("event", _l("At an event")),
)
LIKELIHOODS = (
    ("low", _l("Low (under 25%)")),
    ("medium", _l("Medium (25–60%)")),
    ("high", _l("High (over 60%)")),
)


def values(options: tuple[tuple[str, object], ...]) -> tuple[str, ...]:
    """Return the stored values of an option list."""
    return tuple(value for value, _label in options)


def headcount_band_for(people: int) -> str:
    """Return the headcount band a team of ``people`` falls in ("unknown" below one)."""
    return next((band for band, floor in HEADCOUNT_FLOORS if people >= floor), "unknown")
