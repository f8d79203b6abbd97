"""Locale-prefixed routing: English at the root, ``/de/`` and ``/sv/`` for translations."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, g, request
from flask_babel import get_locale

from core import formatting
from core.extensions import babel
from core.locales import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGES, TRANSLATION_LANGS

LANG_CONVERTER = f"<any({', '.join(TRANSLATION_LANGS)}):lang>"


def localized_route(bp: Blueprint, rule: str, **options) -> Callable:
    """Register a view at ``rule`` (English) and under each translation prefix."""

    def decorator(view: Callable) -> Callable:
        endpoint = options.pop("endpoint", view.__name__)
        bp.add_url_rule(rule, endpoint, view, defaults={"lang": DEFAULT_LANG}, **options)
        bp.add_url_rule(f"/{LANG_CONVERTER}{rule}", endpoint, view, **options)
        return view

    return decorator


def current_lang() -> str:
    """Return the language of the current request (English outside a localized page)."""
    return g.get("lang", DEFAULT_LANG)


def _pull_lang(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


def _add_lang(endpoint: str, values: dict) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_lang()


def _select_locale() -> str:
    return current_lang() if request else DEFAULT_LANG


def locale() -> str:
    """Return the locale of what is being rendered (a forced locale in mails, else the page's)."""
    current = get_locale()
    return str(current) if current is not None else DEFAULT_LANG


FILTERS: dict[str, Callable[..., str]] = {
    "number": lambda value, form="full", digits=None: formatting.number(
        value, locale(), form, digits
    ),
    "amount": lambda value, currency="EUR", form="full": formatting.amount(
        value, currency, locale(), form
    ),
    "percent": lambda value, digits=None: formatting.percent(value, locale(), digits),
    "period": lambda text: formatting.period(text, locale()),
    "source_period": lambda period, source: formatting.source_period(source, period, locale()),
    "date_range": lambda start, end, form="long": formatting.date_range(start, end, locale(), form),
    # A deadline (naive UTC) in the region's time zone, the reader's words: the reply promise.
    "moment": lambda value: formatting.moment(
        value, locale(), current_app.config["BABEL_DEFAULT_TIMEZONE"]
    ),
}
"""Template filters for values formatted in the reader's language (``core.formatting``)."""


def init_app(app: Flask) -> None:
    """Wire locale selection, URL defaults and template helpers into the app."""
    babel.init_app(app, locale_selector=_select_locale)
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_add_lang)
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)

    @app.context_processor
    def _i18n_context() -> dict:
        return {
            "current_lang": current_lang(),
            "languages": LANGUAGES,
            "language_names": LANGUAGE_NAMES,
        }
