"""Interface labels for values stored as codes in front matter (translated via gettext)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FACT_LABELS = {
    "population": _l("Population"),
    "ict_workforce": _l("ICT and BPO workforce"),
    "ict_companies": _l("ICT companies"),
    "sector_revenue": _l("ICT and BPO revenue"),
}

EVENT_KINDS = {
    "roadshow": _l("Investor roadshow"),
    "conference": _l("Conference"),
    "webinar": _l("Webinar"),
}

TALENT_KINDS = {
    "university": _l("University"),
    "academy": _l("Academy"),
    "training": _l("Training provider"),
    "career-centre": _l("Career centre"),
    "association": _l("Association"),
}


def fact_labels() -> dict:
    """Return the comparable facts of a country, in display order, with their labels."""
    return dict(FACT_LABELS)
