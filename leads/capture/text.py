"""Text hygiene shared by the forms, attribution and mail: control characters and lengths."""

from __future__ import annotations

import re
import unicodedata

import idna

# C0 and C1 control characters and DEL; tab and newlines are allowed where text is multi-line.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\x85]")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Tell whether text holds characters no person types (NUL, escapes, and so on)."""
    pattern = _CONTROL_RE if multiline else _CONTROL_OR_NEWLINE_RE
    return bool(pattern.search(value))


def strip_control_characters(value: str, *, multiline: bool = False) -> str:
    """Return text without the characters ``has_control_characters`` looks for."""
    pattern = _CONTROL_RE if multiline else _CONTROL_OR_NEWLINE_RE
    return pattern.sub("", value)


def clean_line(value: object, limit: int) -> str:
    """Return ``value`` as one line of text: control characters dropped, trimmed, cut to limit."""
    if not isinstance(value, str):
        return ""
    return _CONTROL_OR_NEWLINE_RE.sub("", value).strip()[:limit]


def normalise_email(value: str) -> str:
    """Return the form of an email address used to recognise a returning investor.

    The domain is written in its ASCII (IDNA) form, so ``exämple.de`` and
    ``xn--exmple-cua.de`` are one mailbox and one lead; the local part is kept as typed
    (lower-cased), as mail servers compare it.
    """
    value = unicodedata.normalize("NFKC", value).strip().lower()
    local, at, domain = value.rpartition("@")
    if not at or not domain:
        return value
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return value  # not a domain we can write in ASCII: compare it as typed
    return f"{local}@{domain}"
