"""Public pages of the gateway."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.formatting import Form
from core.i18n import current_lang
from core.i18n import locale as i18n_locale
from gateway import memo, seo
from gateway.content.figures import figure_sources, format_eur, format_figure, format_parts
from gateway.content.placeholders import MARK as PLACEHOLDER_MARK
from gateway.content.placeholders import fill_placeholders
from gateway.content_app import get_store
from gateway.public import labels, listings, partners, views
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
    "costs.page",
    "public.sectors",
    "public.case_studies",
    "public.partners",
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
    """Return an entry's HTML with links localised, form links sent to the live app and editor
    placeholders shown as a neutral sentence."""
    html = listings.localise_html(
        get_store(), entry, current_lang(), current_app.config["LEADS_URL"]
    )
    if PLACEHOLDER_MARK in html:
        inbox = escape(current_app.config["LEAD_INBOX"])
        link = Markup(f'<a href="mailto:{inbox}">{inbox}</a>')  # noqa: S704 - escaped above
        sentence = _(
            "For questions about data protection and your data, write to us at %(email)s.",
            email=link,
        )
        html = fill_placeholders(html, str(sentence))
    return html


def _figure_text(figure, form: Form = "long") -> str:
    """Return a figure as text in the current language (the one formatter, for templates)."""
    return format_figure(figure, i18n_locale(), form)


def _figure_eur(figure, rate) -> str | None:
    """Return a national-currency amount in EUR at the country's official rate, or None."""
    return format_eur(figure, rate, current_lang())


def _figure_parts(figure) -> list[tuple[str, str]]:
    """Return the labelled tiers or sub-national variants of a figure, formatted."""
    return format_parts(figure, current_lang())


def _content_lang_attr(entry=None) -> Markup:
    """Return `` lang="en"`` for front-matter text of an entry shown untranslated.

    Translation files translate front-matter texts field by field (``gateway.content.translate``)
    and ``flask content check`` reports every text left in English, so a translated entry's
    texts are in the page's language.
    """
    if current_lang() == "en" or entry is None or entry.translated:
        return Markup("")
    return Markup(' lang="en"')


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
    partners.init_app(app)
    app.context_processor(_template_context)
    app.add_template_filter(_entry_html, "entry_html")
    app.add_template_filter(_figure_text, "figure_text")
    app.add_template_filter(_figure_eur, "figure_eur")
    app.add_template_filter(_figure_parts, "figure_parts")
    app.add_template_filter(figure_sources, "figure_sources")
    app.add_template_global(_content_lang_attr, "content_lang_attr")
    app.add_template_global(_entry_lang_attr, "entry_lang_attr")


__all__ = ["bp", "init_app"]
