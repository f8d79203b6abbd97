"""The live site renders a public page once per content version and language, then reuses it."""

from __future__ import annotations

import pytest

from gateway.public import views

pytestmark = pytest.mark.database  # each test builds its own app on a database

PAGE = "/case-studies/cortex-academy-training-results/"


def count_renders(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = views.render_template
    monkeypatch.setattr(
        views, "render_template", lambda *a, **k: calls.append(a[0]) or real(*a, **k)
    )
    return calls


def test_a_page_is_rendered_once_and_served_identically(live, monkeypatch):
    client = live.test_client()
    first = client.get(PAGE)
    calls = count_renders(monkeypatch)
    second = client.get(PAGE)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Security-Policy"]  # headers are still added per response
    assert calls == []


def test_each_language_is_its_own_page(live):
    client = live.test_client()
    english, german = client.get(PAGE), client.get("/de" + PAGE)
    assert english.data != german.data
    assert b'lang="de"' in german.data


def test_a_content_change_shows_at_once(live, content, monkeypatch):
    client = live.test_client()
    assert b"Edited story" not in client.get(PAGE).data
    path = content / "case-studies" / "cortex-academy-training-results.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\n---\n\nEdited story.\n", 1), encoding="utf-8")
    assert b"Edited story" in client.get(PAGE).data


def test_a_new_day_renders_anew(live, monkeypatch):
    client = live.test_client()
    client.get("/events/")
    calls = count_renders(monkeypatch)
    monkeypatch.setattr(views, "today", lambda: views.dt.date(2031, 1, 1))
    client.get("/events/")
    assert calls == ["public/events.html"]


def test_errors_are_not_kept(live):
    client = live.test_client()
    assert client.get("/case-studies/no-such-story/").status_code == 404
    assert len(live.extensions["page_cache"].pages) == 0


def test_health_is_never_cached(live):
    client = live.test_client()
    client.get("/healthz")
    assert live.extensions["page_cache"].pages == {}
