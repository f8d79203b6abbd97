"""Tangled raw HTML in a content file is refused at once, as that file's ``path:line`` error.

Mis-nested or unclosed tags pass every depth limit but cost the renderer and the sanitiser
more than linear time (``<b id=N>x</i>`` repeated: 10,000 tags took 4 s of CPU, four 256 KB
files 32 s at every worker's start); a linear pre-check refuses them before either runs.
"""

import time
from pathlib import Path

import pytest

from gateway.content import ContentStore, parse
from gateway.content.markdown import MAX_HTML_TAGS, MAX_UNMATCHED_TAGS, tangled_html

HEAD = "---\ntitle: ICT services\nsummary: Software.\norder: 1\n---\n"
BODY_LINE = 6  # the first body line of a file starting with HEAD
LIMIT = parse.MAX_FILE_BYTES - len(HEAD) - 64


def fill(piece: str, numbered: bool = False) -> str:
    """Repeat ``piece`` up to just under the file size limit (numbering ``{n}`` if asked)."""
    parts, size, n = [], 0, 0
    while True:
        text = piece.format(n=n) if numbered else piece
        if size + len(text) > LIMIT:
            return "".join(parts)
        parts.append(text)
        size += len(text)
        n += 1


TANGLED = {
    "misnested-inline": (fill("<b id={n}>x</i>", numbered=True), BODY_LINE, "mis-nested"),
    "crossed": (fill("<b><i>x</b></i>\n"), BODY_LINE + MAX_UNMATCHED_TAGS // 2, "mis-nested"),
    "stray-closers": (fill("x</em> "), BODY_LINE, "mis-nested"),
    "unclosed-lines": (fill("<span>open</b>\n"), BODY_LINE + MAX_UNMATCHED_TAGS, "unclosed"),
    "many-matched": (fill("<abbr>x</abbr> "), BODY_LINE, f"more than {MAX_HTML_TAGS} HTML tags"),
}


def write(root: Path, rel: str, text: str) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(TANGLED))
def test_a_256_kb_file_of_tangled_html_is_refused_quickly(tmp_path, name):
    body, line, message = TANGLED[name]
    text = HEAD + body
    assert parse.MAX_FILE_BYTES - 1024 < len(text.encode()) <= parse.MAX_FILE_BYTES
    write(tmp_path, "sectors/ict-services.md", HEAD + "Fine <abbr title='x'>ICT</abbr>.\n")
    write(tmp_path, f"sectors/{name}.md", text)
    # CPU time, not wall time: a loaded machine must not fail a bound on the parser's work.
    started = time.process_time()
    store = ContentStore(tmp_path / "content")
    spent = time.process_time() - started
    assert spent < 1.0, spent  # was 9+ s for the mis-nested file: bounded generously
    (error,) = store.errors
    assert error.path == f"content/sectors/{name}.md"
    assert error.line == line
    assert message in error.message
    assert "raw HTML" in error.message
    assert store.get("sectors", "ict-services") is not None  # the other files still load


@pytest.mark.parametrize(
    "body",
    [
        "Plain **Markdown** with a [link](https://example.org).\n",
        "A <abbr title='Business process outsourcing'>BPO</abbr> centre.<br>\n" * 50,
        "<div class='note'>\n<p>One<p>Two\n</div>\n",  # a few implied end tags are fine
        "<b><i>crossed once</b></i>\n" * 20,
        "<span>open</span> <em>x</b>\n" * (MAX_UNMATCHED_TAGS // 2),
    ],
)
def test_a_little_raw_html_still_loads(tmp_path, body):
    write(tmp_path, "sectors/ict-services.md", HEAD + body)
    store = ContentStore(tmp_path / "content")
    assert store.errors == []
    assert store.get("sectors", "ict-services") is not None


def test_the_pre_check_is_linear():
    def cpu(text: str) -> float:
        started = time.process_time()
        for _ in range(20):
            tangled_html(text)
        return time.process_time() - started

    small = "".join(f"<b id={n}>x</b>\n" for n in range(MAX_HTML_TAGS // 4))
    large = small * 2
    assert tangled_html(large) is None
    assert tangled_html(large * 2 + "<b>x</b>") is not None
    assert cpu(large) < 4 * cpu(small) + 0.05
