"""Editor placeholders such as ``[EDITORS: insert ...]`` in Markdown bodies.

They are instructions for editors, never text for the public: the loader replaces each one with
a token before rendering, the public views turn the token into a neutral sentence, and
``flask content check`` and ``flask freeze`` list every placeholder that remains.
"""

from __future__ import annotations

import re

# The bracketed instruction, with optional bold markers around it, in any of the site's languages.
PLACEHOLDER_RE = re.compile(
    r"(?:\*\*|__)?\[(?:EDITORS?|REDAKTION|REDAKTIONEN)\s*:[^\]]*\](?:\*\*|__)?",
    re.IGNORECASE,
)
MARK = "EDITOR-PLACEHOLDER-b7e1"
MARK_HTML_RE = re.compile(rf"<p>\s*{MARK}\s*</p>|{MARK}")


def find_placeholders(body: str) -> list[tuple[int, str]]:
    """Return ``(line, first words)`` for every placeholder in a Markdown body (1-based lines)."""
    found = []
    for match in PLACEHOLDER_RE.finditer(body):
        line = body.count("\n", 0, match.start()) + 1
        words = " ".join(match.group(0).strip("*_[]").split()[:8])
        found.append((line, words))
    return found


def mask_placeholders(body: str) -> str:
    """Return the body with every placeholder replaced by the token (rendered later)."""
    return PLACEHOLDER_RE.sub(MARK, body)


def fill_placeholders(html: str, sentence: str) -> str:
    """Return the HTML with each token replaced by ``sentence`` (already safe HTML)."""
    return MARK_HTML_RE.sub(
        lambda m: f"<p>{sentence}</p>" if m.group(0).startswith("<p") else sentence, html
    )
