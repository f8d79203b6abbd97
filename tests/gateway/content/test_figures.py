"""The figure schema: a number with its source and period, written in each language."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.content.figures import figure_number, format_figure, missing_figures, to_eur
from gateway.content.schemas import BaselineDoc, Figure


def fig(**kw) -> Figure:
    return Figure(**({"source": "Statistics office, Survey", "period": "2024"} | kw))


def test_a_value_needs_a_source_and_a_period():
    with pytest.raises(ValidationError, match="source"):
        Figure(value=1, period="2024")
    with pytest.raises(ValidationError, match="period"):
        Figure(value=1, source="Office")
    with pytest.raises(ValidationError):
        Figure(value=1, source="Office", period="expected 2026")
    assert Figure(value=None).missing
    assert Figure(value=None, note="Not published").period is None


def test_none_is_a_fact_not_a_gap():
    none = fig(none=True, unit="money_per_month", currency="EUR")
    assert not none.missing
    assert format_figure(none) == "none"
    with pytest.raises(ValidationError):
        Figure(none=True)


def test_money_needs_a_currency_and_counts_take_none():
    with pytest.raises(ValidationError, match="currency"):
        fig(value=1000, unit="money_per_month")
    with pytest.raises(ValidationError, match="currency"):
        fig(value=3, unit="people", currency="EUR")


@pytest.mark.parametrize(
    ("kw", "locale", "text"),
    [
        ({"value": 6600000, "unit": "people"}, "en", "6.6\u00a0million"),
        ({"value": 6600000, "unit": "people"}, "de", "6,6\u00a0Millionen"),
        ({"value": 220000, "unit": "people", "qualifier": "more_than"}, "de", "mehr als 220.000"),
        ({"value": 220000, "unit": "people", "qualifier": "about"}, "sv", "cirka 220\u00a0000"),
        ({"value": 220000, "unit": "people", "qualifier": "more_than"}, "en", "more than 220,000"),
        ({"value": 21.27, "unit": "percent"}, "en", "21.27%"),
        ({"value": 21.27, "unit": "percent"}, "de", "21,27\u00a0%"),
        ({"value": 1234.5, "unit": "money", "currency": "EUR"}, "en", "€1,234.50"),
        ({"value": 1234.5, "unit": "money", "currency": "EUR"}, "de", "1.234,50\u00a0€"),
        (
            {"value": 117300, "unit": "money_per_month", "currency": "RSD"},
            "sv",
            "117\u00a0300\u00a0RSD per månad",
        ),
        (
            {"value": 117.1732, "unit": "currency_per_eur", "currency": "RSD"},
            "de",
            "117,1732 RSD je EUR",
        ),
        ({"value": 38.1, "unit": "years"}, "de", "38,1 Jahre"),
        ({"value": 15000, "unit": "people"}, "sv", "15\u00a0000"),
        ({"value": 40, "unit": "hours_per_week"}, "en", "40 hours per week"),
        (
            {"value": 879.65, "unit": "money_million", "currency": "EUR"},
            "en",
            "879.65\u00a0million\u00a0euros",
        ),
    ],
)
def test_format_figure_writes_numbers_the_language_way(kw, locale, text):
    assert format_figure(fig(**kw), locale) == text


def test_missing_figure_is_a_dash_and_the_plain_value_is_a_number():
    assert format_figure(Figure()) == "\u2014"
    assert figure_number(Figure()) is None
    assert figure_number(fig(value=879.65, unit="money_million", currency="EUR")) == 879650000.0


def test_amounts_convert_to_eur_at_the_rate():
    wage = fig(value=117_300, unit="money_per_month", currency="RSD")
    rate = fig(value=117.3, unit="currency_per_eur", currency="RSD")
    assert to_eur(wage, rate) == pytest.approx(1000)
    assert to_eur(wage, None) is None
    assert to_eur(fig(value=900, unit="money", currency="EUR"), None) == 900


def test_parts_count_as_present_and_missing_figures_are_listed():
    split = Figure(parts=[{"label": "Federation", "value": 10, "source": "Law", "period": "2024"}])
    assert not split.missing
    doc = BaselineDoc(
        title="Germany",
        tax={"vat": {"value": 19, "unit": "percent", "source": "BMF", "period": "2025"}},
    )
    missing = missing_figures(doc)
    assert "tax.vat" not in missing
    assert "labour.minimum_wage" in missing
