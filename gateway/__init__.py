"""The Western Balkans Outsourcing gateway: the application factory.

The public-site package is ``gateway`` rather than ``site``: a package named ``site`` cannot be
imported on Python 3.11+, where the standard library's frozen ``site`` module always wins.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import config as settings
from gateway.extensions import csrf, db, limiter, migrate

BASE_DIR = Path(__file__).resolve().parent.parent


def load_config(app: Flask, config: str | type | dict | None) -> None:
    """Load the settings class, then ``FLASK_*`` variables, then explicit overrides."""
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = dict(config)
        config = overrides.pop("CONFIG", None)
    if config is None:
        config = settings.env("APP_CONFIG", "development")
    if isinstance(config, str):
        config = settings.CONFIGS[config]
    app.config.from_object(config)
    app.config.from_prefixed_env()
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("SECRET_KEY must be set in production")
        app.config["SECRET_KEY"] = settings.development_secret_key()


class FixedScriptName:
    """WSGI middleware: the URL prefix comes from the ``APPLICATION_ROOT`` setting only.

    A server such as gunicorn takes ``SCRIPT_NAME`` from a request header; links built from it
    would then point wherever the request says, in every cached page. Here the path the client
    asked for (script name and path together) is split at the configured prefix instead; a
    path without the prefix (a proxy that strips it) is served as it is.
    """

    def __init__(self, wsgi_app, application_root: str):
        self.wsgi_app = wsgi_app
        self.prefix = script_name(application_root)

    def __call__(self, environ, start_response):
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix) :]
        environ["SCRIPT_NAME"] = self.prefix
        environ["PATH_INFO"] = path
        return self.wsgi_app(environ, start_response)


def script_name(application_root: str) -> str:
    """Return the URL prefix of an ``APPLICATION_ROOT`` setting ("/" is none, "/gw/" is "/gw")."""
    root = "/" + (application_root or "").strip().strip("/")
    if any(c in root for c in "?#%\\ ") or "//" in root:
        raise RuntimeError(f"APPLICATION_ROOT must be a plain path such as /gateway: {root!r}")
    return root.rstrip("/")


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every URL: at most a 32-bit id, so a huge number is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: str | type | dict | None = None) -> Flask:
    """Create the gateway application."""
    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "static"),
        template_folder="templates",
        instance_path=str(settings.INSTANCE_DIR),
    )
    load_config(app, config)
    app.url_map.converters["int"] = DatabaseIdConverter
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.wsgi_app = FixedScriptName(app.wsgi_app, app.config["APPLICATION_ROOT"])

    from gateway import database, i18n, security

    database.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)

    from gateway import content_app, costs, factsheets, public

    content_app.init_app(app)
    public.init_app(app)
    factsheets.init_app(app)
    costs.init_app(app)

    import leads

    leads.init_app(app)
    return app
