"""The baseline: plain Frozen-Flask rendering each Markdown file on every request (no cache)."""

from __future__ import annotations

import time
from pathlib import Path

import frontmatter
import markdown
from flask import Flask, abort, render_template_string
from flask_frozen import Freezer

EXTENSIONS = ["toc", "tables", "attr_list", "footnotes"]

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ meta.title }}</title><meta name="description" content="{{ meta.summary }}"></head>
<body><header><a href="/">Home</a></header><main><h1>{{ meta.title }}</h1>
<p>{{ meta.summary }}</p>{{ body | safe }}</main></body></html>"""

INDEX = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stories</title></head>
<body><ul>{% for slug, title in items %}<li><a href="/case-studies/{{ slug }}/">{{ title }}</a></li>
{% endfor %}</ul></body></html>"""


def make_app(content: Path, dest: Path) -> Flask:
    """Return a minimal Flask app that parses and renders Markdown per request."""
    app = Flask(__name__)
    app.config.update(FREEZER_DESTINATION=str(dest), FREEZER_REMOVE_EXTRA_FILES=False)
    folder = content / "case-studies"

    def load(slug: str):
        path = folder / f"{slug}.md"
        if not path.is_file():
            abort(404)
        post = frontmatter.load(path)
        html = markdown.markdown(post.content, extensions=EXTENSIONS)
        return post.metadata, html

    @app.route("/case-studies/")
    def index():
        items = []
        for path in sorted(folder.glob("*.md")):
            meta, _ = load(path.stem)
            items.append((path.stem, meta["title"]))
        return render_template_string(INDEX, items=items)

    @app.route("/case-studies/<slug>/")
    def case_study(slug: str):
        meta, body = load(slug)
        return render_template_string(PAGE, meta=meta, body=body)

    return app


def run(content: Path, dest: Path, with_index: bool = False) -> tuple[int, float]:
    """Freeze the baseline site; return (pages, seconds)."""
    app = make_app(content, dest)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=with_index)
    slugs = sorted(p.stem for p in (content / "case-studies").glob("*.md"))

    @freezer.register_generator
    def case_study():
        for slug in slugs:
            yield {"slug": slug}

    started = time.perf_counter()
    urls = freezer.freeze()
    return len(urls), time.perf_counter() - started
