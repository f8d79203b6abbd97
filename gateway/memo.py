"""Memoised template helpers: translations, dates and URLs computed once, then looked up.

A frozen site renders thousands of pages that ask the same questions ("Case studies" in German,
the URL of the stylesheet, "March 2024" in Swedish). The answers depend only on their arguments
and the locale (and, for URLs, the request's script root and language), so they are memoised
per application. Results are identical to the uncached helpers; the tables are bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, current_app, g
from flask.globals import request_ctx
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale, get_translations

MAX_ENTRIES = 50_000  # per table; a table that grows past this is emptied and refilled


def _remember(table: dict, key, compute: Callable[[], str]) -> str:
    try:
        return table[key]
    except KeyError:
        if len(table) >= MAX_ENTRIES:
            table.clear()
        value = table[key] = compute()
        return value


def _tables(app: Flask) -> dict[str, dict]:
    return app.extensions["public_memo"]


def gettext(string: str) -> str:
    """Return ``string`` translated into the current locale (memoised per locale)."""
    key = (str(get_locale()), string)
    table = _tables(current_app)["gettext"]
    return _remember(table, key, lambda: get_translations().ugettext(string))


def format_date(date: dt.date | None = None, format: str | None = None) -> str:
    """Return a date formatted for the current locale, like ``flask_babel.format_date``."""
    if type(date) is not dt.date:  # datetimes are rebased to the user's time zone: not cached
        return babel_format_date(date, format)
    key = (str(get_locale()), date, format)
    table = _tables(current_app)["dates"]
    return _remember(table, key, lambda: babel_format_date(date, format))


def url_for(endpoint: str, **values) -> str:
    """Return ``flask.url_for(endpoint, **values)``, memoised within request contexts."""
    ctx = request_ctx._get_current_object() if request_ctx else None
    app = current_app._get_current_object()
    if ctx is None or endpoint[:1] == "." or any(name[:1] == "_" for name in values):
        return app.url_for(endpoint, **values)
    try:
        adapter = ctx.url_adapter
        key = (
            adapter.script_name,
            adapter.url_scheme,
            adapter.server_name,
            g.get("lang"),
            endpoint,
            frozenset(values.items()),
        )
        hash(key)
    except (AttributeError, TypeError):  # no adapter, or unhashable values: build directly
        return app.url_for(endpoint, **values)
    return _remember(_tables(app)["urls"], key, lambda: app.url_for(endpoint, **values))


def init_app(app: Flask) -> None:
    """Use the memoised helpers in every template of ``app`` (after Flask-Babel's set-up)."""
    app.extensions["public_memo"] = {"gettext": {}, "dates": {}, "urls": {}}
    env = app.jinja_env
    env.globals["url_for"] = url_for
    env.install_gettext_callables(
        gettext=gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
