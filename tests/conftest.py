"""Shared fixtures: the app on a fresh database (SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set), clients, factories, the always-on network guard, and the bounds
on every hypothesis fuzz. Helpers live in ``tests/support/``."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid

import argon2
import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytest.register_assert_rewrite("tests.support")

from tests.support import network_guard  # noqa: E402
from tests.support.staff_passwords import fast_password_hasher  # noqa: E402

network_guard.install()

# Passwords are hashed with argon2's cheapest parameters in the test process (as Django's tests
# swap in a fast hasher): the same argon2id code paths, without 64 MiB and a quarter second
# per hash on every account and sign-in. The app's hasher is built at import, so this comes
# first; commands run in a subprocess keep the real parameters.
argon2.PasswordHasher = fast_password_hasher(argon2.PasswordHasher)

# Each test process (each xdist worker) gets its own instance folder: nothing the app caches
# there (fact sheets) is shared between workers or left in the repository.
INSTANCE_DIR = tempfile.mkdtemp(prefix="wbo-test-instance-")
os.environ["INSTANCE_DIR"] = INSTANCE_DIR

from core.extensions import db  # noqa: E402
from factory import create_app  # noqa: E402
from leads import models  # noqa: E402, F401 - registers the tables
from tests.support.apps import BACKENDS, PG_URL, build_app  # noqa: E402

pytest_plugins = ("tests.support.capture", "tests.support.crm", "tests.support.mail")

# -- hypothesis: bounded and, in CI, the same examples on every run -------------------------
# A deadline fires only after an example returns, so each example also runs under a CPU-time
# limit (tests/support/cpu_limit.py) that interrupts it while it runs.
EXAMPLE_CPU_SECONDS = 10
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put each hypothesis example under the CPU-time limit; mark the tests that use a database."""
    from tests.support.cpu_limit import cpu_limited

    for item in items:
        handle = getattr(getattr(item, "obj", None), "hypothesis", None)
        if handle is not None and not hasattr(handle.inner_test, "cpu_limit_seconds"):
            handle.inner_test = cpu_limited(handle.inner_test, EXAMPLE_CPU_SECONDS)
        if "backend" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


def pytest_unconfigure(config) -> None:
    """Remove this process's instance folder."""
    shutil.rmtree(INSTANCE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_database_url():
    """Create a throwaway PostgreSQL database for this test process and drop it afterwards.

    The name is random, so each xdist worker (a process of its own) has its own database.
    """
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"wbo_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A throwaway database: commits need not wait for the WAL to reach the disk.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    # Through an app: it registers every table (some packages register theirs in init_app),
    # whichever test of this worker comes first.
    schema_app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with schema_app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
    from tests.support.factories import create_lead

    return create_lead
