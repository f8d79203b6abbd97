"""The URL prefix comes from the APPLICATION_ROOT setting, never from a request's SCRIPT_NAME."""

from __future__ import annotations

import re

import pytest

from core.urlprefix import FixedScriptName, script_name
from gateway.factsheets import pdf as pdf_module
from tests.support.apps import build_app

PAGE = "/de/case-studies/cortex-academy-training-results/"
SHEET = "/countries/albania/fact-sheet.pdf"
EVIL = ["/evil", "/evil2", "//evil.example", "/de"]


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def _attack(client, path: str, value: str):
    """A request as gunicorn passes it on with a ``SCRIPT_NAME: value`` header."""
    return client.get(path, environ_overrides={"SCRIPT_NAME": value})


def test_a_script_name_from_the_request_never_reaches_the_next_visitor(live):
    for round_ in range(2):  # before and after the page is in the cache
        for value in EVIL:
            attacker = live.test_client()
            response = _attack(attacker, PAGE, value)
            if value != "/de":
                assert response.status_code == 404  # the address asked for is /evil/de/…
            assert "/evil" not in response.get_data(as_text=True)
            header = attacker.get(PAGE, headers={"SCRIPT_NAME": value, "X-Script-Name": value})
            assert header.status_code == 200
            assert not any("evil" in link for link in _links(header.get_data(as_text=True)))
            visitor = live.test_client().get(PAGE)
            assert visitor.status_code == 200, round_
            links = _links(visitor.get_data(as_text=True))
            assert "/de/case-studies/" in links or any(link.startswith("/de/") for link in links)
            assert not any("evil" in link for link in links)
    for url in live.extensions["public_memo"]["urls"].values():
        assert "evil" not in url
    for key in live.extensions["page_cache"].pages:
        assert not any("evil" in str(part) for part in key)


def test_the_prefix_comes_from_the_setting(tmp_path, request, content):
    app = build_app(
        "sqlite", tmp_path, request, CONTENT_DIR=str(content), APPLICATION_ROOT="/gateway/"
    )
    with app.app_context():
        client = app.test_client()

        def served(path: str):  # as a server started without SCRIPT_NAME passes it on
            return _attack(client, path, "")

        own = served("/gateway" + PAGE)
        assert own.status_code == 200
        links = [link for link in _links(own.get_data(as_text=True)) if link.startswith("/")]
        # The links the app builds (navigation, styles); editors' Markdown links are as written.
        for link in ("/gateway/de/", "/gateway/de/countries/", "/gateway/static/css/site.css"):
            assert link in links
        assert "/de/" not in links
        assert "/de/countries/" not in links
        # gunicorn started with SCRIPT_NAME=/gateway has split the path already: the same page.
        assert _attack(client, PAGE, "/gateway").data == own.data
        for value in EVIL:
            assert _attack(client, PAGE, value).status_code == 404
        # A proxy that strips the prefix before passing the request on: the same page.
        assert served(PAGE).data == own.data
        after = served("/gateway" + PAGE)
        assert after.data == own.data


@pytest.mark.parametrize(
    ("root", "prefix"), [("/", ""), ("", ""), ("/gw", "/gw"), ("/gw/", "/gw"), ("gw", "/gw")]
)
def test_the_setting_is_read_as_a_plain_path(root, prefix):
    assert script_name(root) == prefix


@pytest.mark.parametrize("root", ["/gw?x=1", "/g w", "/a//b", "/%2e%2e"])
def test_a_setting_that_is_not_a_plain_path_stops_start_up(root):
    with pytest.raises(RuntimeError, match="APPLICATION_ROOT"):
        script_name(root)


def test_the_middleware_splits_the_real_path_at_the_configured_prefix():
    seen = {}

    def app(environ, start_response):
        seen.update(script=environ["SCRIPT_NAME"], path=environ["PATH_INFO"])
        return []

    wrapped = FixedScriptName(app, "/gw")
    for script, path, expected in (
        ("", "/gw/de/", ("/gw", "/de/")),
        ("/gw", "/de/", ("/gw", "/de/")),
        ("/evil", "/de/", ("/gw", "/evil/de/")),
        ("", "/gwx/de/", ("/gw", "/gwx/de/")),
        ("", "/gw", ("/gw", "")),
    ):
        wrapped({"SCRIPT_NAME": script, "PATH_INFO": path}, None)
        assert (seen["script"], seen["path"]) == expected, (script, path)


def test_the_fact_sheet_cache_does_not_grow_per_header_value(app, tmp_path, monkeypatch):
    app.instance_path = str(tmp_path)
    calls = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda *a: calls.append(1) or real(*a))
    folder = tmp_path / "fact-sheets"
    client = app.test_client()
    first = client.get(SHEET)
    assert first.status_code == 200
    for value in [*EVIL[:-1], "/evil3", "/x/y"]:
        response = _attack(client, SHEET, value)
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert response.data == first.data
        for headers in (
            {"SCRIPT_NAME": value},
            {"X-Forwarded-Prefix": value},
            {"X-Script-Name": value},
            {"Host": "evil.example"},
        ):
            assert client.get(SHEET, headers=headers).data == first.data
    assert len(calls) == 1
    assert len(list(folder.glob("*.pdf"))) == 1


def test_the_fact_sheet_cache_keeps_the_current_content_version_only(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html, *a: html.encode())
    style = tmp_path / "sheet.css"
    style.write_text("body {}")
    folder = tmp_path / "fact-sheets"
    for n in range(3):
        pdf_module.cached_pdf(f"sheet {n}", style, tmp_path, folder, version="v1")
    assert len(list(folder.glob("*.pdf"))) == 3
    assert pdf_module.cached_pdf("sheet 0", style, tmp_path, folder, version="v2") == b"sheet 0"
    assert len(list(folder.glob("*.pdf"))) == 1  # the old version's sheets are gone
    monkeypatch.setattr(pdf_module, "MAX_SHEETS", 4)
    for n in range(10):
        pdf_module.cached_pdf(f"other {n}", style, tmp_path, folder, version="v2")
        assert len(list(folder.glob("*.pdf"))) <= 4
