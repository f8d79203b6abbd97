"""Numbers, amounts, percentages and dates in the reader's language, from CLDR data."""

from __future__ import annotations

import datetime as dt

import pytest

from core import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("locale", "full", "decimal", "long", "short"),
    [
        ("en", "220,000", "38.1", f"6.6{NBSP}million", "6.6M"),
        ("de", "220.000", "38,1", f"6,6{NBSP}Millionen", f"6,6{NBSP}Mio."),
        ("sv", f"220{NBSP}000", "38,1", f"6,6{NBSP}miljoner", f"6,6{NBSP}mn"),
    ],
)
def test_numbers_follow_the_locale_and_the_form(locale, full, decimal, long, short):
    assert fmt.number(220000, locale) == full
    assert fmt.number(38.1, locale) == decimal
    assert fmt.number(6_600_000, locale, "long") == long
    assert fmt.number(6_600_000, locale, "short") == short
    assert fmt.number(220000, locale, "long") == full  # below a million every digit stays
    assert fmt.number(None, locale) == "\u2014"


@pytest.mark.parametrize(
    ("locale", "cents", "whole", "millions"),
    [
        ("en", "€1,234.50", "€1,234", f"120{NBSP}million{NBSP}euros"),
        ("de", f"1.234,50{NBSP}€", f"1.234{NBSP}€", f"120{NBSP}Millionen{NBSP}Euro"),
        ("sv", f"1{NBSP}234,50{NBSP}€", f"1{NBSP}234{NBSP}€", f"120{NBSP}miljoner{NBSP}euro"),
    ],
)
def test_amounts_carry_their_currency_the_locale_way(locale, cents, whole, millions):
    assert fmt.amount(1234.5, "EUR", locale) == cents
    assert fmt.amount(1234, "EUR", locale) == whole
    assert fmt.amount(120_000_000, "EUR", locale, "long") == millions


def test_percentages_and_their_spacing():
    assert fmt.percent(21.27, "en") == "21.27%"
    assert fmt.percent(21.27, "de") == f"21,27{NBSP}%"
    assert fmt.percent(15, "sv") == f"15{NBSP}%"


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", ["about 5", "at least 5", "more than 5", "up to 5"]),
        ("de", ["etwa 5", "mindestens 5", "mehr als 5", "bis zu 5"]),
        ("sv", ["cirka 5", "minst 5", "mer än 5", "upp till 5"]),
    ],
)
def test_qualifiers_become_words_of_the_language(locale, words):
    qualifiers = ["about", "at_least", "more_than", "up_to"]
    assert [fmt.qualified("5", q, locale) for q in qualifiers] == words
    assert fmt.qualified("\u2014", "about", locale) == "\u2014"


@pytest.mark.parametrize(
    ("locale", "one_day", "two_days", "months"),
    [
        ("de", "16. März 2027", "16.–17. März 2027", "16. März\u2009–\u200917. April 2027"),
        ("sv", "16 mars 2027", "16–17 mars 2027", "16 mars–17 april 2027"),
    ],
)
def test_dates_and_date_ranges(locale, one_day, two_days, months):
    start = dt.date(2027, 3, 16)
    assert fmt.date_range(start, start, locale) == one_day
    assert fmt.date_range(start, dt.date(2027, 3, 17), locale) == two_days
    assert fmt.date_range(start, dt.date(2027, 4, 17), locale) == months
    assert "April" in fmt.date_range(dt.date(2027, 4, 20), dt.date(2027, 4, 21), "de")
    assert fmt.date_range(dt.date(2027, 4, 20), dt.date(2027, 4, 21), "sv") == "20–21 april 2027"


def test_periods_read_as_words():
    assert fmt.period("2022", "de") == "2022"
    assert fmt.period("2025-06", "de") == "Juni 2025"
    assert fmt.period("2025-06", "sv") == "juni 2025"
    assert fmt.period("2024-Q3", "de") == "3. Quartal 2024"
    assert fmt.period("2025-06-30", "sv") == "30 juni 2025"


def test_a_source_that_names_its_period_is_not_followed_by_it_again():
    assert fmt.source_period("Eurostat, minimum wages, January 2025", "2025-01", "de") == ""
    assert fmt.source_period("Statistical Office, Census 2022", "2022", "sv") == ""
    assert fmt.source_period("Eurofound, Working life", "2025-06", "de") == "Juni 2025"
