"""Numbers, amounts, percentages, dates and date ranges in the reader's language.

The one place the site, the frozen site, the fact sheets, the mails and the charts format a
value. Everything comes from the locale's CLDR data through Babel, from numeric values, never
from an English display string: 220,000 reads ``220.000`` in German and ``220 000`` (with a
no-break space) in Swedish.

Forms, chosen per place and used consistently:

- ``long``: large numbers spelt with the word (``6,6 Millionen``), for key figures, fact
  panels, the comparison table and fact sheets, where a reader takes in a number;
- ``short``: abbreviated (``6,6 Mio.``), for chart labels and their text alternative, where
  space is narrow;
- ``full``: every digit (``220.000``, ``6.600.000``), for counts (the staff dashboard) and
  any number below a million in the other forms.

Qualifiers ("about", "at least", "more than", "up to") are structured values of a figure and
become words of the language here. The words are interface strings in the gettext catalogues
(``translations/``), read directly so this module works without a Flask request (PDFs, mails,
the CLI).

Pure functions: ``locale`` is always an argument. Templates use the filters registered by
``init_app``, which pass the current request's locale.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeGuard

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import (
    format_interval,
    format_time,
    get_datetime_format,
    get_timezone,
    get_timezone_name,
    parse_pattern,
)
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_name,
)
from babel.support import NullTranslations, Translations

Form = Literal["full", "long", "short"]
FORMS: tuple[str, ...] = ("full", "long", "short")
DASH = "\u2014"
NBSP = "\u00a0"
LONG_FROM = 1_000_000  # below a million, the long form keeps every digit (220.000, not 220 Tsd.)
_TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


QUALIFIERS: dict[str, str] = {
    "about": N_("about %(value)s"),
    "at_least": N_("at least %(value)s"),
    "more_than": N_("more than %(value)s"),
    "up_to": N_("up to %(value)s"),
}
"""Qualifier of a figure -> the words around its value (gettext ids)."""

DATE_FORMS = {"long": "long", "medium": "medium", "month": "MMMM y", "year": "y"}
"""Date forms: ``long`` on pages and mails, ``medium`` in tables, ``month`` on story cards."""

# CLDR currency spacing: a currency code next to a digit is set apart ("RSD 148,440").
_CURRENCY_SPACING = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_FULL_MONTH = re.compile(r"(?<!M)MMM(?!M)")
_INTERVAL_SKELETONS = {"long": "yMMMMd", "medium": "yMMMd", "month": "yMMMM"}


@lru_cache(maxsize=16)
def translations(locale: str) -> NullTranslations:
    """Return the interface catalogue of ``locale`` (English: the ids themselves)."""
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(_TRANSLATIONS_DIR), [locale])


def gettext(message: str, locale: str, **values) -> str:
    """Translate ``message`` into ``locale`` and fill in ``values``."""
    text = translations(locale).ugettext(message)
    return text % values if values else text


def _present(value: float | None) -> TypeGuard[float]:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _digits(value: float, digits: int | None) -> int:
    """Return the fraction digits to show: those the value has, at most two."""
    if digits is not None:
        return digits
    if float(value).is_integer():
        return 0
    text = f"{float(value):.2f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def number(value: float | None, locale: str, form: Form = "full", digits: int | None = None) -> str:
    """Return a number in ``locale``: ``220.000`` (de), ``220 000`` (sv), ``6,6 Millionen``."""
    if not _present(value):
        return DASH
    if form != "full" and abs(value) >= LONG_FROM:
        fraction = 2 if digits is None else digits  # trailing zeros are dropped: 6,6 Mio.
        text = format_compact_decimal(
            value,
            format_type="long" if form == "long" else "short",
            fraction_digits=fraction,
            locale=locale,
        )
        return text.replace(" ", NBSP)
    places = _digits(value, digits)
    pattern = None
    if places:
        pattern = Locale.parse(locale).decimal_formats[None].pattern.split(".")[0]
        pattern = f"{pattern}.{'0' * places}"
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def amount(
    value: float | None,
    currency: str,
    locale: str,
    form: Form = "full",
    digits: int | None = None,
) -> str:
    """Return an amount with its currency: ``1.234 €`` (de), ``120 Millionen Euro`` (long)."""
    if not _present(value):
        return DASH
    places = _digits(value, digits)
    if form != "full" and abs(value) >= LONG_FROM:
        fraction = 2 if digits is None else digits
        if form == "short":
            text = format_compact_currency(value, currency, fraction_digits=fraction, locale=locale)
            return text.replace(" ", NBSP)
        words = format_compact_decimal(
            value, format_type="long", fraction_digits=fraction, locale=locale
        )
        name = get_currency_name(currency, count=value, locale=locale)
        return f"{words}{NBSP}{name}".replace(" ", NBSP)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if not places:
        pattern = pattern.replace(".00", "")
    text = format_currency(
        value,
        currency,
        format=pattern,
        locale=locale,
        currency_digits=False,
        decimal_quantization=True,
    ).replace(" ", NBSP)
    return _CURRENCY_SPACING.sub(NBSP, text)


def percent(value: float | None, locale: str, digits: int | None = None) -> str:
    """Return a percentage given in percent (21.27 -> ``21,27 %`` in de and sv)."""
    if not _present(value):
        return DASH
    places = _digits(value, digits)
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if places:
        pattern = re.sub(r"0(?=[^0#.,]*%)", "0." + "0" * places, pattern, count=1)
    return format_percent(value / 100, format=pattern, locale=locale, decimal_quantization=True)


def qualified(text: str, qualifier: str | None, locale: str) -> str:
    """Return a formatted value with its qualifier in words (``mehr als 220.000``)."""
    if not qualifier or text == DASH:
        return text
    return gettext(QUALIFIERS[qualifier], locale, value=text)


def value_range(low: str, high: str, locale: str) -> str:
    """Return two formatted values as a range (``120–180``)."""
    return gettext(N_("%(low)s–%(high)s"), locale, low=low, high=high)


def date(value: dt.date | None, locale: str, form: str = "long") -> str:
    """Return a date: ``16. März 2027`` (de long), ``mars 2027`` (sv month)."""
    if value is None:
        return DASH
    return _babel_date(value, DATE_FORMS.get(form, form), locale=locale)


def moment(value: dt.datetime | None, locale: str, timezone: str) -> str:
    """Return a point in time in words of the locale, in ``timezone``, with the zone named.

    ``value`` is naive UTC (as stored). The one way a deadline is shown, to investors and staff
    alike: "Thursday, December 10, 2026, 9:30 AM Central European Standard Time",
    "Donnerstag, 10. Dezember 2026, 09:30 Mitteleuropäische Normalzeit".
    """
    if value is None:
        return DASH
    local = value.replace(tzinfo=dt.UTC).astimezone(get_timezone(timezone))
    day = _babel_date(local, "full", locale=locale)
    clock = format_time(local, "short", locale=locale)
    zone = get_timezone_name(local, "long", locale=locale)
    # The locale's own way of joining a date and a time ("{1}, {0}", "{1} 'um' {0}", ...).
    joined = str(get_datetime_format("full", locale=locale)).replace("'", "")
    return f"{joined.format(clock, day)} {zone}"


def date_range(start: dt.date, end: dt.date, locale: str, form: str = "long") -> str:
    """Return a date range the locale's way: ``16.–17. März 2027``, ``16–17 mars 2027``."""
    if end == start:
        return date(start, locale, form)
    if form != "long":
        return format_interval(start, end, _INTERVAL_SKELETONS.get(form, form), locale=locale)
    # CLDR has no long (MMMM) interval: take the medium one and spell the months out, as the
    # CLDR skeleton rules ask, instead of letting abbreviated month names creep in.
    diff = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    parts = Locale.parse(locale).interval_formats["yMMMd"][diff]
    return "".join(
        parse_pattern(_FULL_MONTH.sub("MMMM", part)).apply(day, locale)
        for part, day in zip(parts, (start, end), strict=True)
    )


def period(text: str | None, locale: str) -> str:
    """Return a figure's period (``YYYY``, ``YYYY-Qn``, ``YYYY-MM``, ``YYYY-MM-DD``) in words."""
    if not text:
        return DASH
    parts = text.split("-")
    if len(parts) == 1:
        return text
    if parts[1].startswith("Q"):
        return gettext(N_("Q%(quarter)s %(year)s"), locale, quarter=parts[1][1:], year=parts[0])
    if len(parts) == 2:
        return date(dt.date(int(parts[0]), int(parts[1]), 1), locale, "month")
    return date(dt.date.fromisoformat(text), locale, "long")


def source_period(source: str, period_text: str | None, locale: str) -> str:
    """Return a source's period in words, or "" when the source already names it."""
    if not period_text:
        return ""
    shown = period(period_text, locale)
    if any(text in source for text in (period_text, period(period_text, "en"), shown)):
        return ""
    return shown


__all__ = [
    "DASH",
    "FORMS",
    "QUALIFIERS",
    "amount",
    "date",
    "date_range",
    "gettext",
    "number",
    "percent",
    "period",
    "qualified",
    "source_period",
    "value_range",
]
