"""The app under test on a fresh database: SQLite in the test's folder, or a throwaway
PostgreSQL database (one per test process, so parallel workers never share one)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from core.extensions import db
from factory import create_app
from leads.lifecycle.organisations import sync_organisations

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def _reset_postgresql() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def _close_database(app) -> None:
    """Close the app's pooled connections (an open one left to the GC is a warning)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def build_app(backend: str, tmp_path: Path, request, **overrides):
    """Create an app on a fresh database of the given backend."""
    if backend == "postgresql":
        uri = request.getfixturevalue("pg_database_url")
    else:
        uri = f"sqlite:///{tmp_path / 'test.db'}"
    config = {
        "CONFIG": "testing",
        "SQLALCHEMY_DATABASE_URI": uri,
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "CONTENT_DIR": str(ROOT / "content"),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = FreshGlobalsClient
    request.addfinalizer(lambda: _close_database(app))
    with app.app_context():
        if backend == "postgresql":
            _reset_postgresql()
        else:
            db.create_all()
        sync_organisations()
    return app


class FreshGlobalsClient(FlaskClient):
    """A test client whose requests start with an empty ``g``, as in production.

    The ``app`` fixture keeps one app context open for the whole test and Flask reuses it for
    every request, so ``g`` (the signed-in user, the CSRF token) would otherwise carry over.
    """

    def open(self, *args, **kwargs):
        """Clear ``g``, then make the request."""
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)
