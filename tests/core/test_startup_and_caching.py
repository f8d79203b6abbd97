"""Form pages are never cached; memory:// rate limits with several workers are announced."""

import logging
from pathlib import Path

import pytest

from core.security import rate_limit_warning
from tests.support.apps import ROOT
from tests.support.capture import MEET_URL


@pytest.mark.parametrize("url", ["/contact/", "/de/contact/", "/report/", MEET_URL])
def test_form_pages_are_not_stored_by_caches(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, private"


def test_a_posted_form_page_is_not_stored_either(client):
    response = client.post("/contact/", data={})
    assert response.headers["Cache-Control"] == "no-store, private"


def test_public_pages_keep_their_caching(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_the_warning_names_the_problem_and_the_fix():
    assert rate_limit_warning(1, "memory://") is None
    assert rate_limit_warning(3, "redis://127.0.0.1:6379/0") is None
    warning = rate_limit_warning(3, "memory://")
    assert "3 workers" in warning
    assert "RATELIMIT_STORAGE_URI=redis://" in warning


class FakeServer:
    def __init__(self, workers):
        self.cfg = type("Cfg", (), {"workers": workers})()
        self.log = logging.getLogger("gunicorn.error")


def test_gunicorn_config_warns_at_start_up(caplog, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    with caplog.at_level(logging.WARNING, logger="gunicorn.error"):
        namespace["when_ready"](FakeServer(3))
    assert "3 workers" in caplog.text
    caplog.clear()
    namespace["when_ready"](FakeServer(1))
    assert caplog.text == ""


@pytest.mark.slow
def test_gunicorn_accepts_the_project_config():
    # gunicorn treats every top-level name of gunicorn.conf.py as one of its settings: a module
    # imported as `config` clashed with its `config` setting and stopped gunicorn from starting.
    import subprocess
    import sys

    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", "wsgi:app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
