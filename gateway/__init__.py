"""The public site: content loading, public pages, the cost estimator, fact sheets, SEO, freeze.

The public-site package is ``gateway`` rather than ``site``: a package named ``site`` cannot be
imported on Python 3.11+, where the standard library's frozen ``site`` module always wins.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the public site: the content store, pages, fact sheets and the estimator."""
    from gateway import content_app, costs, factsheets, public

    content_app.init_app(app)
    public.init_app(app)
    factsheets.init_app(app)
    costs.init_app(app)
