"""Public pages of the gateway."""

from flask import Flask, current_app, render_template, request
from markupsafe import Markup

from gateway import memo, seo
from gateway.content_app import get_store
from gateway.i18n import current_lang
from gateway.public import labels, listings, views
from gateway.public.map import shapes
from gateway.public.views import bp

LIVE_ONLY = ("public.healthz",)  # answers that must never come from the page cache


def _template_context() -> dict:
    leads_url = current_app.config["LEADS_URL"]
    return {
        "leads_url": leads_url,
        "contact_url": f"{leads_url}/contact/",
        "report_url": f"{leads_url}/report/",
        "seo": seo,
        "labels": labels,
        "format_date": memo.format_date,
        "map_shapes": shapes,
        "page_exists": _page_exists,
        "chrome": _chrome,
    }


def _page_exists(slug: str) -> bool:
    """Tell whether a content page loads (links to a missing page are left out)."""
    return get_store().get("pages", slug) is not None


NAV_SECTIONS = (
    "public.countries",
    "public.compare",
    "public.sectors",
    "public.case_studies",
    "public.events",
    "public.about",
)


def _chrome(template: str) -> Markup:
    """Return the site navigation or footer, rendered once per language and section.

    They are the same on thousands of pages; rendering them once per content version keeps
    the per-page work of the freeze small.
    """
    endpoint = request.endpoint or ""
    section = next((s for s in NAV_SECTIONS if endpoint.startswith(s)), None)
    key = ("chrome", template, current_lang(), section, current_app.config["LEADS_URL"])
    html = listings.cached(get_store(), key, lambda: render_template(template, section=section))
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescaping


def _entry_lang_attr(entry) -> Markup:
    """Return `` lang="en"`` for an entry shown in English on a translated page, else nothing."""
    return Markup("") if entry.translated else Markup(' lang="en"')


def _entry_html(entry) -> str:
    """Return an entry's HTML with links localised and form links sent to the live app."""
    return listings.localise_html(
        get_store(), entry, current_lang(), current_app.config["LEADS_URL"]
    )


def _page_version() -> tuple:
    """Return what every public page is made of, besides its address (the page cache key)."""
    config = current_app.config
    return get_store().version, views.today(), config["SITE_URL"], config["LEADS_URL"]


def init_app(app: Flask) -> None:
    """Register the public pages and their template helpers."""
    from gateway import freeze

    app.register_blueprint(bp)
    memo.init_app(app)
    pages = [e for e in app.view_functions if e.startswith("public.") and e not in LIVE_ONLY]
    memo.cache_pages(app, pages, _page_version)
    freeze.init_app(app)
    app.context_processor(_template_context)
    app.add_template_filter(_entry_html, "entry_html")
    app.add_template_global(_entry_lang_attr, "entry_lang_attr")


__all__ = ["bp", "init_app"]
