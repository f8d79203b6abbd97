"""Fixtures of the public-page tests: a copy of the content and a live app on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.apps import ROOT, build_app


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


@pytest.fixture
def live(tmp_path, request, content):
    app = build_app("sqlite", tmp_path, request, CONTENT_DIR=str(content), CONTENT_AUTO_RELOAD=True)
    with app.app_context():
        yield app
