"""Interface labels for values stored as codes in front matter (translated via gettext)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FACT_LABELS = {
    "population": _l("Population"),
    "ict_workforce": _l("ICT and BPO workforce"),
    "ict_companies": _l("ICT companies"),
    "sector_revenue": _l("ICT and BPO revenue"),
}

LABOUR_LABELS = {
    "average_gross_wage": _l("Average gross wage"),
    "wage_software": _l("Average gross wage, software and IT activity"),
    "wage_service": _l("Average gross wage, customer service and BPO activity"),
    "wage_finance": _l("Average gross wage, finance activity"),
    "minimum_wage": _l("Statutory minimum wage"),
    "employer_contributions": _l("Employer social contributions (share of gross wage)"),
    "employer_contributions_ceiling": _l("Contribution ceiling"),
    "months_paid": _l("Salaries paid per year"),
    "working_week": _l("Standard working week"),
}

TAX_LABELS = {
    "corporate_income_tax": _l("Corporate income tax"),
    "vat": _l("VAT, standard rate"),
    "dividend_withholding_tax": _l("Withholding tax on dividends"),
    "personal_income_tax": _l("Personal income tax"),
}

TALENT_LABELS = {
    "ict_graduates": _l("ICT graduates per year"),
    "english_proficiency": _l("English proficiency (EF EPI score)"),
}

RISK_LABELS = {
    "currency_regime": _l("Currency regime"),
    "eu_accession": _l("EU accession"),
    "data_protection": _l("Data protection and transfers from the EU"),
    "notice_period": _l("Notice periods"),
    "probation": _l("Probation"),
}

ALL_LABELS = {**FACT_LABELS, **LABOUR_LABELS, **TAX_LABELS, **TALENT_LABELS}

# The rows of /compare/ and their order: (front-matter group, field); labels from ALL_LABELS.
COMPARE_ROWS = (
    ("facts", "population"),
    ("labour", "average_gross_wage"),
    ("labour", "wage_software"),
    ("labour", "wage_service"),
    ("labour", "wage_finance"),
    ("labour", "minimum_wage"),
    ("labour", "employer_contributions"),
    ("labour", "working_week"),
    ("tax", "corporate_income_tax"),
    ("tax", "vat"),
    ("tax", "dividend_withholding_tax"),
    ("tax", "personal_income_tax"),
    ("facts", "ict_workforce"),
    ("facts", "ict_companies"),
    ("facts", "sector_revenue"),
)

# Rows drawn as charts on /compare/ (money in EUR at each country's official rate).
CHART_ROWS = (
    ("labour", "average_gross_wage"),
    ("labour", "minimum_wage"),
    ("labour", "employer_contributions"),
    ("tax", "corporate_income_tax"),
    ("tax", "personal_income_tax"),
    ("facts", "population"),
)

# Rows of the comparison-baseline table (Germany, Austria, Sweden).
BASELINE_ROWS = tuple(row for row in COMPARE_ROWS if row[0] in ("labour", "tax"))

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


def figure_at(meta, group: str, key: str):
    """Return the figure ``group.key`` of a front-matter model (None if it has none)."""
    section = getattr(meta, group, None)
    return getattr(section, key, None) if section is not None else None
