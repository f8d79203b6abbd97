"""Hostile content files: each is one file's ``path:line`` error, never a crash or a hang.

Limits are structural (file size, nesting depth, rendered size), so the work a file can cause
is bounded whatever its shape; the app, ``flask content check`` and every other command start.
"""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factory import create_app
from gateway.content import ContentStore, parse
from gateway.content.parse import parse_text
from tests.support.content import write

HEAD = "---\ntitle: ICT services\nsummary: Software.\norder: 1\n---\n"
NESTED_FLOW = "---\ntitle: " + "[" * 1000 + "]" * 1000 + "\nsummary: S\norder: 1\n---\nBody.\n"
NESTED_LIST = HEAD + "".join("    " * i + "- item\n" for i in range(300))
NESTED_QUOTE = HEAD + "".join("> " * i + "text\n" for i in range(300))
BRACKETS = HEAD + "[" * 5000 + "x" + "]" * 5000 + "\n"
EMPHASIS = HEAD + "*" * 5000 + "x" + "*" * 5000 + "\n"

HOSTILE = {
    "nested-flow": (NESTED_FLOW, 2, "front matter nests deeper than 16 levels"),
    "nested-list": (NESTED_LIST, 6 + parse.MAX_MARKDOWN_DEPTH + 1, "nests deeper than 12"),
    "nested-quote": (NESTED_QUOTE, 6 + parse.MAX_MARKDOWN_DEPTH + 1, "nests deeper than 12"),
    "brackets": (BRACKETS, 6, "nests deeper than 12"),
    "emphasis": (EMPHASIS, 6, "nests deeper than 12"),
    "code-spans": (HEAD + "\n".join("  `" * 16 for _ in range(5000)), 18, "nests deeper"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_one_path_line_error_in_bounded_time(tmp_path, name):
    text, line, message = HOSTILE[name]
    write(tmp_path, "sectors/ict-services.md", HEAD + "Fine.\n")
    write(tmp_path, f"sectors/{name}.md", text)
    started = time.process_time()
    store = ContentStore(tmp_path / "content")
    assert time.process_time() - started < 5
    assert [str(e) for e in store.errors] == [
        next(str(e) for e in store.errors if message in e.message)
    ]
    error = store.errors[0]
    assert error.path == f"content/sectors/{name}.md"
    assert error.line == line
    assert store.get("sectors", "ict-services") is not None  # the other files still load


def test_oversized_file_is_refused_without_being_read(tmp_path):
    write(tmp_path, "sectors/huge.md", HEAD + "word " * (parse.MAX_FILE_BYTES // 4))
    store = ContentStore(tmp_path / "content")
    assert [str(e) for e in store.errors] == [
        "content/sectors/huge.md:1: the file is larger than 256 KB"
    ]


def test_oversized_output_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "MAX_HTML_BYTES", 1000)
    write(tmp_path, "sectors/long.md", HEAD + "A paragraph of text.\n\n" * 100)
    store = ContentStore(tmp_path / "content")
    assert [str(e) for e in store.errors] == [
        "content/sectors/long.md:6: the text renders to more than 0 MB"
    ]


def test_a_parser_crash_is_that_files_error(tmp_path, monkeypatch):
    def explode(_text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parse, "render_markdown", explode)
    write(tmp_path, "sectors/ict-services.md", HEAD + "Not parsed before.\n")
    store = ContentStore(tmp_path / "content")
    assert [str(e) for e in store.errors] == [
        "content/sectors/ict-services.md:1: the file is nested too deeply to be read"
    ]


@pytest.mark.database
def test_app_and_commands_start_with_a_hostile_file(tmp_path):
    for name, (text, _line, _message) in HOSTILE.items():
        write(tmp_path, f"sectors/{name}.md", text)
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "CONTENT_DIR": str(tmp_path / "content"),
        }
    )
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert all(f"content/sectors/{name}.md:" in result.output for name in HOSTILE)
    assert app.test_client().get("/healthz").status_code in (200, 503)  # serving, not crashed
    assert app.test_cli_runner().invoke(args=["db", "--help"]).exit_code == 0


# -- fuzz: nesting and size of any shape -----------------------------------------------------
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
openers = st.sampled_from(["[", "{", "- ", "  ", "> ", "    ", "*", "_", "`", "<div>", "1. "])


# Sizes are bounded so that every drawn file stays under the loader's file size limit (a larger
# file is refused before it is parsed), while nesting still goes far past every depth limit
# and past Python's recursion limit: at most 1,500 pieces of up to 8 openers in front matter,
# at most 100 lines of growing depth in the text (about 250 KB at the most).
MAX_OPENERS, MAX_DEPTH, MAX_LINES = 8, 1500, 100


@FUZZ
@given(
    prefix=st.lists(openers, max_size=MAX_OPENERS),
    depth=st.integers(min_value=0, max_value=MAX_DEPTH),
    tail=st.text(max_size=50),
    in_front_matter=st.booleans(),
)
def test_fuzzed_nesting_never_raises(prefix, depth, tail, in_front_matter):
    piece = "".join(prefix) or "["
    nested = piece * depth + tail
    if in_front_matter:
        text = f"---\ntitle: {nested}\nsummary: S\norder: 1\n---\nBody.\n"
    else:
        text = HEAD + "\n".join(piece * i + tail for i in range(min(depth, MAX_LINES))) + "\n"
    assert len(text.encode()) <= parse.MAX_FILE_BYTES
    # CPU time, not wall time: a loaded machine must not fail a bound on the parser's work.
    started = time.process_time()
    parsed = parse_text(text, "sectors", False)
    assert time.process_time() - started < 5
    assert parsed.meta is not None or parsed.errors
    assert all(line >= 1 for line, _message in parsed.errors)
    assert len(parsed.html) <= parse.MAX_HTML_BYTES


@FUZZ
@given(st.binary(max_size=4000))
def test_fuzzed_bytes_never_raise(raw):
    parsed = parse.parse_cached(b"---\n" + raw, "sectors", False)
    assert parsed.meta is not None or parsed.errors
