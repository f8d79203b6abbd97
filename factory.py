"""The application factory: assembles the core, the public site and the lead side.

This module sits above the three packages (``core`` below ``gateway`` below ``leads``) and is the
only place that knows all of them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings
from core import database, i18n, security
from core.extensions import csrf, db, limiter, migrate
from core.settings import ConfigSpec, DatabaseIdConverter, load_config
from core.urlprefix import FixedScriptName

BASE_DIR = Path(__file__).resolve().parent


def create_app(config: ConfigSpec = None) -> Flask:
    """Create the gateway application: the public site and the lead side on the shared core."""
    app = Flask(
        "gateway",
        root_path=str(BASE_DIR / "core"),
        static_folder=str(BASE_DIR / "static"),
        template_folder="templates",
        instance_path=str(settings.INSTANCE_DIR),
    )
    load_config(app, config)
    app.url_map.converters["int"] = DatabaseIdConverter
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # the documented way to wrap
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    app.wsgi_app = FixedScriptName(  # type: ignore[method-assign]  # the documented way to wrap
        app.wsgi_app, app.config["APPLICATION_ROOT"]
    )

    database.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)

    import gateway
    import leads

    gateway.init_app(app)
    leads.init_app(app)
    return app
