"""Country fact sheets: a one- or two-page PDF per country and language, live and frozen."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, url_for

from core.i18n import current_lang, localized_route
from gateway import seo
from gateway.content.figures import iter_figures
from gateway.content_app import get_store
from gateway.factsheets.pdf import cached_pdf, qr_svg
from gateway.public.views import load

bp = Blueprint("factsheets", __name__, template_folder="../templates")

# Campaign parameters on the link back to the profile: visits from a printed sheet are counted.
CAMPAIGN = {"utm_source": "fact-sheet", "utm_medium": "pdf", "utm_campaign": "fact-sheet"}


def profile_link(slug: str) -> str:
    """Return the absolute profile URL, with campaign parameters, that the sheet points to."""
    path = url_for("public.country", slug=slug, lang=current_lang())
    return f"{seo.absolute(path)}?{urlencode(CAMPAIGN)}"


def as_of(meta) -> str:
    """Return the newest period any figure of the country describes (YYYY-MM-DD)."""
    periods = [fig.period for _, fig in iter_figures(meta) if fig.period]
    newest = max(periods, default="2000")
    if "-Q" in newest:
        year, quarter = newest.split("-Q")
        newest = f"{year}-{int(quarter) * 3 - 2:02d}"
    return (newest + "-01-01")[:10] if len(newest) == 4 else (newest + "-01")[:10]


@localized_route(bp, "/countries/<slug>/fact-sheet.pdf")
def fact_sheet(slug: str) -> Response:
    """Serve a country's PDF fact sheet in the current language."""
    entry = load("countries", slug)
    link = profile_link(slug)
    html = render_template(
        "factsheets/fact_sheet.html",
        entry=entry,
        link=link,
        qr=qr_svg(link),
        as_of=as_of(entry.meta),
    )
    static = current_app.static_folder
    assert static is not None  # create_app always sets it
    static_dir = Path(static)
    pdf = cached_pdf(
        html,
        static_dir / "css" / "factsheet.css",
        static_dir,
        Path(current_app.instance_path) / "fact-sheets",
        version=f"{get_store().version} {current_app.config['SITE_URL']}",
    )
    response = Response(pdf, mimetype="application/pdf")
    filename = f"{slug}-fact-sheet-{current_lang()}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def init_app(app: Flask) -> None:
    """Register the fact-sheet routes."""
    app.register_blueprint(bp)


__all__ = ["bp", "init_app", "profile_link"]
