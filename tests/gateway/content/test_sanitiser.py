"""Content HTML cannot clobber the page's DOM, load outside images, or turn code into links."""

from pathlib import Path

from gateway.content import ContentStore
from gateway.content.markdown import render_markdown
from gateway.public.listings import localise_html

PAGE = """---
title: Contact
summary: S.
---
Write to us at [the form](/contact/).

Embed it with `<a href="/contact/">contact</a>` or:

    <a href="/events/munich/meet/">meet</a>
"""


def test_ids_from_content_are_prefixed_and_in_page_links_follow():
    html = render_markdown('## csrf_token\n\n<p id="email">x</p>\n\nSee[^1].\n\n[^1]: n').html
    assert 'id="csrf_token"' not in html
    assert 'id="email"' not in html
    assert 'id="c-csrf_token"' in html
    assert 'id="c-email"' in html
    assert 'href="#c-fn:1"' in html
    assert 'id="c-fn:1"' in html


def test_external_images_lose_their_source_and_own_images_keep_it():
    html = render_markdown(
        "![a](https://tracker.example/p.gif) ![b](//cdn.example/x.png) ![c](/static/img/a.jpg)"
    ).html
    assert "tracker.example" not in html
    assert "cdn.example" not in html
    assert 'src="/static/img/a.jpg"' in html


def test_links_inside_code_are_left_alone(tmp_path: Path):
    path = tmp_path / "content" / "pages" / "contact.md"
    path.parent.mkdir(parents=True)
    path.write_text(PAGE, encoding="utf-8")
    store = ContentStore(tmp_path / "content")
    entry = store.get("pages", "contact")
    html = localise_html(store, entry, "de", "https://leads.example")
    assert 'href="https://leads.example/contact/"' in html  # the real link goes live
    assert '<code>&lt;a href="/contact/"&gt;contact&lt;/a&gt;</code>' in html
    assert 'href="/events/munich/meet/"' in html  # the indented code block too
    assert html.count("https://leads.example") == 1
