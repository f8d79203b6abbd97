"""Lead capture: the inquiry, meeting request, report and estimate forms, and attribution."""

from flask import Flask

from core.extensions import csrf
from leads.capture import introduce, views  # noqa: F401 - registers the form views on bp
from leads.capture.attribution import capture_first_visit
from leads.capture.blueprint import bp


def init_app(app: Flask) -> None:
    """Register the lead forms and the first-visit attribution capture."""
    # The views check the CSRF token themselves, so that an expired one can re-show the form
    # with the investor's input instead of a bare error page.
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.before_request(capture_first_visit)


__all__ = ["bp", "init_app"]
