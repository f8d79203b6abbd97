"""Views of the public site: thin wrappers over the content store and its cached listings."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import suppress
from typing import cast

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    render_template,
    request,
)
from markupsafe import Markup
from sqlalchemy import text
from werkzeug.exceptions import NotFound

from core.charts import bar_chart
from core.countries import BASELINE_SLUGS, is_country
from core.extensions import db
from core.i18n import current_lang, localized_route
from core.locales import TRANSLATION_LANGS
from gateway import seo
from gateway.content import Entry, validity
from gateway.content.figures import figure_number, format_eur, format_figure, to_eur
from gateway.content.schemas import CountryDoc, EventDoc, SectorDoc
from gateway.content_app import get_store
from gateway.public import labels, listings

log = logging.getLogger(__name__)

bp = Blueprint("public", __name__, template_folder="../templates")


def today() -> dt.date:
    """Return today's date: the content's one clock (events, rules that end, the page cache)."""
    return validity.today()


class ContentUnavailable(Exception):
    """A content item exists on disk but could not be loaded."""

    def __init__(self, kind: str, slug: str, errors: list):
        super().__init__(f"{kind}/{slug}")
        self.kind, self.slug, self.errors = kind, slug, errors


def load(kind: str, slug: str) -> Entry:
    """Return one entry in the current language; 404 (or the errors, in development)."""
    store = get_store()
    entry = store.get(kind, slug, current_lang())
    if entry is not None:
        return entry
    errors = store.errors_for(kind, slug)
    if errors:
        for error in errors:
            log.error("content error on %s: %s", request.path, error)
        if current_app.config.get("CONTENT_ERRORS_VISIBLE"):
            raise ContentUnavailable(kind, slug, errors)
    abort(404)


@bp.app_errorhandler(ContentUnavailable)
def content_unavailable(error: ContentUnavailable):
    """Show a broken content file's problems by path and line (development only)."""
    return render_template("public/content_error.html", error=error), 500


def _entries(kind: str) -> list[Entry]:
    return listings.entries(get_store(), kind, current_lang())


@localized_route(bp, "/")
def home():
    """Show the home page: the regional value proposition, figures, map and next steps."""
    store, lang = get_store(), current_lang()
    page = store.get("pages", "home", lang)
    if page is None and store.errors_for("pages", "home"):
        # Development shows the errors; production still shows the map, stories and events.
        with suppress(NotFound):
            load("pages", "home")
    return render_template(
        "public/home.html",
        page=page,
        countries=_entries("countries"),
        cases=listings.entries(store, "case-studies", lang)[:3],
        roadshow=listings.next_roadshow(store, lang, today()),
    )


@localized_route(bp, "/countries/")
def countries():
    """List the six country profiles."""
    return render_template(
        "public/countries.html",
        page=get_store().get("pages", "countries", current_lang()),
        countries=_entries("countries"),
    )


@localized_route(bp, "/countries/<slug>/")
def country(slug: str):
    """Show one country profile with its facts panel."""
    entry = load("countries", slug)
    store, lang = get_store(), current_lang()
    sectors = listings.by_slug(store, "sectors", lang)
    return render_template(
        "public/country.html",
        entry=entry,
        sectors=[sectors[s] for s in cast(CountryDoc, entry.meta).sectors if s in sectors],
        cases=listings.case_studies_for(store, lang, country=slug),
        events=[
            e
            for e in listings.split_events(store, lang, today())[0]
            if slug in cast(EventDoc, e.meta).countries
        ],
    )


def compare_charts(countries: list[Entry]) -> list:
    """Return one bar chart per chart row that at least one country has a value for.

    Amounts are drawn in EUR at each country's official rate, so the bars compare.
    """
    charts: list[Markup] = []
    lang = current_lang()
    for group, key in labels.CHART_ROWS:
        rows = []
        for country in countries:
            fig = labels.figure_at(country.meta, group, key)
            rate = cast(CountryDoc, country.meta).exchange_rate
            eur = format_eur(fig, rate, lang, "short")
            number = to_eur(fig, rate) if fig is not None and fig.currency else figure_number(fig)
            rows.append((country.meta.title, number, eur or format_figure(fig, lang, "short")))
        if all(number is None for _, number, _ in rows):
            continue
        title = str(dict(labels.ALL_LABELS)[key])
        charts.append(bar_chart(rows, title=title, uid=len(charts) + 1))
    return charts


def compare_table(countries: list[Entry]) -> list[tuple]:
    """Return the compare rows: (label, [(country, figure, rate), ...]) in display order."""
    return [
        (
            labels.ALL_LABELS[key],
            [
                (c, labels.figure_at(c.meta, group, key), cast(CountryDoc, c.meta).exchange_rate)
                for c in countries
            ],
        )
        for group, key in labels.COMPARE_ROWS
    ]


@localized_route(bp, "/compare/")
def compare():
    """Show the six countries side by side, with charts and the EU comparison baselines."""
    store, lang = get_store(), current_lang()
    countries = listings.compare_rows(store, lang)
    charts = listings.cached(store, ("charts", lang), lambda: compare_charts(countries))
    baselines = [store.get("baselines", slug, lang) for slug in BASELINE_SLUGS]
    baselines = [b for b in baselines if b is not None]
    return render_template(
        "public/compare.html",
        page=store.get("pages", "compare", lang),
        countries=countries,
        table=compare_table(countries),
        baselines=baselines,
        baseline_rows=[(labels.ALL_LABELS[key], group, key) for group, key in labels.BASELINE_ROWS],
        charts=charts,
    )


@localized_route(bp, "/sectors/")
def sectors():
    """List the sectors and their niches."""
    store, lang = get_store(), current_lang()
    return render_template(
        "public/sectors.html",
        sectors=[s for s in _entries("sectors") if not s.meta.parent],
        children=listings.sector_children(store, lang),
    )


@localized_route(bp, "/sectors/<slug>/")
def sector(slug: str):
    """Show one sector: figures, where it is strong, its niches and stories."""
    entry = load("sectors", slug)
    store, lang = get_store(), current_lang()
    return render_template(
        "public/sector.html",
        entry=entry,
        parent=listings.by_slug(store, "sectors", lang).get(
            cast(SectorDoc, entry.meta).parent or ""
        ),
        children=listings.sector_children(store, lang).get(slug, []),
        countries=listings.countries_in_sector(store, lang, slug),
        cases=listings.case_studies_for(store, lang, sector=slug),
    )


def _case_list(cases: list[Entry], heading: str | None = None, active: str | None = None):
    store, lang = get_store(), current_lang()
    return render_template(
        "public/case_studies.html",
        cases=cases,
        heading=heading,
        active=active,
        countries=_entries("countries"),
        sectors=_entries("sectors"),
        country_counts=listings.filter_counts(store, lang, "countries"),
        sector_counts=listings.filter_counts(store, lang, "sectors"),
        names={
            **{e.slug: e.meta.title for e in _entries("countries")},
            **{e.slug: e.meta.title for e in _entries("sectors")},
        },
    )


@localized_route(bp, "/case-studies/")
def case_studies():
    """List every success story, with filter links by country and sector."""
    return _case_list(_entries("case-studies"))


@localized_route(bp, "/case-studies/country/<slug>/")
def case_studies_by_country(slug: str):
    """List the success stories of one country (a static page, so filters work frozen)."""
    store, lang = get_store(), current_lang()
    country = listings.by_slug(store, "countries", lang).get(slug)
    if not is_country(slug) or country is None:
        abort(404)
    cases = listings.case_studies_for(store, lang, country=slug)
    return _case_list(cases, heading=country.meta.title, active=f"country:{slug}")


@localized_route(bp, "/case-studies/sector/<slug>/")
def case_studies_by_sector(slug: str):
    """List the success stories of one sector (a static page, so filters work frozen)."""
    store, lang = get_store(), current_lang()
    sector = listings.by_slug(store, "sectors", lang).get(slug)
    if sector is None:
        abort(404)
    cases = listings.case_studies_for(store, lang, sector=slug)
    return _case_list(cases, heading=sector.meta.title, active=f"sector:{slug}")


@localized_route(bp, "/case-studies/<slug>/")
def case_study(slug: str):
    """Show one success story with its key figures and source."""
    entry = load("case-studies", slug)
    store, lang = get_store(), current_lang()
    return render_template(
        "public/case_study.html",
        entry=entry,
        countries=listings.by_slug(store, "countries", lang),
        sectors=listings.by_slug(store, "sectors", lang),
    )


@localized_route(bp, "/events/")
def events():
    """List upcoming and past roadshows and conferences."""
    upcoming, past = listings.split_events(get_store(), current_lang(), today())
    return render_template("public/events.html", upcoming=upcoming, past=past)


@localized_route(bp, "/events/<slug>/")
def event(slug: str):
    """Show one event, with a link to request a meeting on the live app."""
    entry = load("events", slug)
    return render_template(
        "public/event.html",
        entry=entry,
        countries=listings.by_slug(get_store(), "countries", current_lang()),
        is_past=cast(EventDoc, entry.meta).ends < today(),
    )


@localized_route(bp, "/about/")
def about():
    """Show the page about the brand, the ABSL network, the agencies and partners."""
    return render_template("public/page.html", entry=load("pages", "about"))


@localized_route(bp, "/privacy/")
def privacy():
    """Show the privacy notice the lead forms point to."""
    return render_template("public/page.html", entry=load("pages", "privacy"))


@bp.route("/sitemap.xml")
def sitemap():
    """List every public page in every language, with absolute URLs."""
    body = render_template("public/sitemap.xml", pages=seo.sitemap_pages(get_store()))
    return current_app.response_class(body, mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    """Allow crawlers everywhere public and name the sitemap."""
    body = render_template("public/robots.txt", sitemap_url=seo.absolute("/sitemap.xml"))
    return current_app.response_class(body, mimetype="text/plain")


@bp.route("/feed.atom")
def feed():
    """Publish case studies and events as an Atom feed."""
    g.lang = "en"
    body = render_template("public/feed.atom.xml", items=seo.feed_items(get_store()))
    return current_app.response_class(body, mimetype="application/atom+xml")


@bp.app_errorhandler(404)
def not_found(error):
    """Show a friendly page for an unknown address."""
    _lang_from_path()
    return render_template("errors/404.html"), 404


@bp.app_errorhandler(500)
def server_error(error):
    """Show a friendly page when something went wrong on our side."""
    _lang_from_path()
    return render_template("errors/500.html"), 500


def _lang_from_path() -> None:
    first = request.path.strip("/").split("/", 1)[0]
    if "lang" not in g and first in TRANSLATION_LANGS:
        g.lang = first


@bp.route("/healthz")
def healthz():
    """Report liveness and whether the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
