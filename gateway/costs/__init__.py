"""The cost-of-a-centre estimator (``/costs/``): the method, its figures and its page."""

from flask import Flask

from gateway.costs.views import bp


def init_app(app: Flask) -> None:
    """Register the estimator's page and data file."""
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
