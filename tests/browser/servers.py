"""Local servers of the browser tests and the audit: the app in a thread, a static folder."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import make_server

from core.extensions import db
from factory import create_app
from leads.lifecycle.organisations import sync_organisations

ROOT = Path(__file__).resolve().parents[2]


class _LazyApp:
    """A WSGI callable whose app is set once the server's port is known."""

    app: Callable | None = None

    def __call__(self, environ, start_response):
        assert self.app is not None
        return self.app(environ, start_response)


@dataclass
class Running:
    """A server running in a thread: its base URL, the app (if any) and how to stop it."""

    url: str
    app: object
    stop: Callable[[], None]


def serve_app(db_path: Path, config: str = "testing", **overrides) -> Running:
    """Serve the app on a free loopback port, on a fresh SQLite database at ``db_path``."""
    lazy = _LazyApp()
    server = make_server("127.0.0.1", 0, lazy, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    settings = {
        "CONFIG": config,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "MAIL_FOLDER": str(db_path.parent / "mail"),
        "CONTENT_DIR": str(ROOT / "content"),
        "SITE_URL": url,
        "LEADS_URL": url,
        **overrides,
    }
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        sync_organisations()
    lazy.app = app
    thread = threading.Thread(target=server.serve_forever, name="app-server", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()

    return Running(url=url, app=app, stop=stop)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def bind_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Bind a static file server for ``directory`` (not started yet); return it and its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    return server, f"http://127.0.0.1:{server.server_port}"


def start_static(server: http.server.ThreadingHTTPServer, url: str) -> Running:
    """Start a bound static server in a thread."""
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return Running(url=url, app=None, stop=stop)
