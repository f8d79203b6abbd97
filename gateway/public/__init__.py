"""Public pages of the gateway."""

from flask import Flask

from gateway.public.views import bp


def init_app(app: Flask) -> None:
    """Register the public pages."""
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
