"""Follow-up: owners' reminder digests, check-ins with silent investors, timing, impact."""

from flask import Flask

from core.extensions import csrf
from leads.followup.views import bp


def init_app(app: Flask) -> None:
    """Register the unsubscribe page (its one-click POST is CSRF-exempt, as RFC 8058 requires)."""
    from leads.followup import models  # noqa: F401 - registers the tables

    csrf.exempt(bp)
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
