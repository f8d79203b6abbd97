"""A broken content file never takes the site down."""

from __future__ import annotations

import logging
import shutil

import pytest

from tests.support.apps import ROOT, build_app

pytestmark = pytest.mark.database  # each test builds its own app on a database

BROKEN = "case-studies/speeex-education-bpo-training.md"


@pytest.fixture
def broken_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / BROKEN
    text = path.read_text(encoding="utf-8").replace("date: 2020-05-01", "date: someday", 1)
    assert "someday" in text
    path.write_text(text, encoding="utf-8")
    return content


def make(tmp_path, request, content, visible: bool):
    return build_app(
        "sqlite", tmp_path, request, CONTENT_DIR=str(content), CONTENT_ERRORS_VISIBLE=visible
    )


def test_development_shows_the_file_and_line(tmp_path, request, broken_content):
    app = make(tmp_path, request, broken_content, visible=True)
    response = app.test_client().get("/case-studies/speeex-education-bpo-training/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    line = next(
        n
        for n, text in enumerate((broken_content / BROKEN).read_text().splitlines(), 1)
        if text.startswith("date:")
    )
    assert f"content/{BROKEN}:{line}: date:" in page
    assert "content file has errors" in page


def test_production_leaves_the_page_out_and_logs(
    tmp_path, request, broken_content, caplog, monkeypatch
):
    # Alembic's logging setup (in migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("gateway.public.views"), "disabled", False)
    app = make(tmp_path, request, broken_content, visible=False)
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/case-studies/speeex-education-bpo-training/")
    assert response.status_code == 404
    assert any(BROKEN in record.getMessage() for record in caplog.records)
    listing = client.get("/case-studies/").get_data(as_text=True)
    assert "speeex-education-bpo-training" not in listing
    assert client.get("/").status_code == 200
    assert client.get("/case-studies/country/kosovo/").status_code == 200


def test_broken_home_page_does_not_take_the_site_down(tmp_path, request, broken_content):
    home = broken_content / "pages" / "home.md"
    home.write_text("no front matter here\n", encoding="utf-8")
    prod = make(tmp_path, request, broken_content, visible=False).test_client()
    home_page = prod.get("/")
    assert home_page.status_code == 200  # the map, stories and events still show
    assert 'href="/countries/serbia/"' in home_page.get_data(as_text=True)
    assert prod.get("/countries/serbia/").status_code == 200
    dev = make(tmp_path / "dev", request, broken_content, visible=True).test_client()
    page = dev.get("/")
    assert page.status_code == 500
    assert "content/pages/home.md:1:" in page.get_data(as_text=True)


def test_hostile_markdown_renders_harmlessly(tmp_path, request):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "case-studies" / "hostile.md"
    path.write_text(
        (ROOT / "content" / BROKEN)
        .read_text(encoding="utf-8")
        .split("---\n", 2)[1]
        .join(["---\n", "---\n"])
        + '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="alert(1)">'
        '\n\n<p style="color:red">styled</p>\n',
        encoding="utf-8",
    )
    app = make(tmp_path, request, content, visible=True)
    page = app.test_client().get("/case-studies/hostile/").get_data(as_text=True)
    body = page[page.index('class="prose"') :]
    assert "<script>" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert "style=" not in body
