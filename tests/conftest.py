"""Shared fixtures: the app on a fresh database (SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set), clients, factories, and the always-on network guard."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import network_guard

network_guard.install()

from core.extensions import db  # noqa: E402
from factory import create_app  # noqa: E402
from leads import models  # noqa: E402, F401 - registers the tables
from leads.followup import models as followup_models  # noqa: E402, F401 - its tables too
from leads.lifecycle.organisations import sync_organisations  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def pg_database_url():
    """Create a throwaway PostgreSQL database for this run and drop it afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"wbo_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend under test."""
    return request.param


@pytest.fixture
def app_overrides() -> dict:
    """Settings a test module wants on top of the test config (override this fixture)."""
    return {}


@pytest.fixture
def app(backend, tmp_path, request, app_overrides):
    """The app on a fresh database, inside an app context."""
    application = build_app(backend, tmp_path, request, **app_overrides)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_lead(app):
    """Create a lead (with one inquiry and consent) from keyword overrides."""
    from tests.factories import create_lead

    return create_lead
