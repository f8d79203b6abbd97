"""Memoised template helpers: translations, dates and URLs computed once, then looked up.

A frozen site renders thousands of pages that ask the same questions ("Case studies" in German,
the URL of the stylesheet, "March 2024" in Swedish). The answers depend only on their arguments
and the locale (and, for URLs, the request's script root and language), so they are memoised
per application. Results are identical to the uncached helpers; the tables are bounded.

Whole public pages are memoised too (:class:`PageCache`): the live site renders a page once per
content version and language, and every later request for it is a dictionary look-up.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable

from flask import Flask, current_app, g, request, session
from flask.globals import request_ctx
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale, get_translations

# Session keys that make a page the visitor's own: flashed messages and a signed-in user.
PERSONAL_KEYS = ("_flashes", "_user_id")
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
    ctx = (
        request_ctx._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
        if request_ctx
        else None
    )
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
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
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )


class PageCache:
    """Public pages' HTML, rendered once per address and content version, then served as is.

    A page depends only on its address, the content version, the date (upcoming and past
    events) and the settings; nothing on it varies by visitor (forms live on other pages). Only
    pages rendered for a request without session data are kept (see ``cache_pages``). The
    table is bounded by ``PAGE_CACHE_MB``; when full it is emptied and refills.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.pages: dict[tuple, tuple[bytes, str]] = {}
        self.size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        """Return the (body, content type) stored for ``key``, if any."""
        return self.pages.get(key)

    def put(self, key: tuple, body: bytes, content_type: str) -> None:
        """Keep a page's body (unless it alone exceeds the bound)."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if self.size + len(body) > self.max_bytes:
                self.pages.clear()
                self.size = 0
            if key not in self.pages:
                self.pages[key] = (body, content_type)
                self.size += len(body)


def cache_pages(app: Flask, endpoints: list[str], version: Callable[[], tuple]) -> None:
    """Serve ``endpoints`` of ``app`` through a :class:`PageCache` keyed by ``version()``.

    ``version()`` names what the pages are made of (content version, date); the address and
    script root complete the key. Only 200 answers are kept; errors are rendered every time.
    ``PAGE_CACHE_MB`` 0 turns the cache off (as the freeze does: it renders every page once).
    """
    cache = app.extensions["page_cache"] = PageCache(int(app.config["PAGE_CACHE_MB"] * 2**20))

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def cached_view(*args, **kwargs):
            if not app.config["PAGE_CACHE_MB"]:
                return view(*args, **kwargs)
            key = (*version(), request.script_root, request.path)
            # A visitor with messages waiting or signed in gets the page made for them.
            personal = bool(session) and any(name in session for name in PERSONAL_KEYS)
            hit = None if personal else cache.get(key)
            if hit is not None:
                return app.response_class(hit[0], content_type=hit[1])
            response = app.make_response(view(*args, **kwargs))
            # Only a page made without any session data is kept: flashed messages, a CSRF
            # token or a signed-in user rendered into it must never reach another visitor.
            anonymous = not personal and not session and not session.modified
            if anonymous and response.status_code == 200 and not response.is_streamed:
                cache.put(key, response.get_data(), response.content_type)
            return response

        return cached_view

    for endpoint in endpoints:
        app.view_functions[endpoint] = wrap(app.view_functions[endpoint])
