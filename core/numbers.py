"""Numbers that arrive as text (query strings, form fields, headers, payloads).

``str.isdigit`` says yes to digits no parser reads as ASCII ("²", "①") and ``int`` reads any
length: a header "²" passed the check and failed ``int`` (a 500), and a 309-digit number passed
``int`` and broke ``float`` in a range check (another 500). Every such number is checked here:
ASCII digits only, and no more of them than a person or a system ever sends.
"""

from __future__ import annotations

# Longer than any count, score, amount in EUR or millisecond timestamp we read.
MAX_DIGITS = 18


def is_ascii_digits(text: object, max_digits: int = MAX_DIGITS) -> bool:
    """Tell whether ``text`` is 1 to ``max_digits`` ASCII digits, nothing else."""
    return (
        isinstance(text, str) and 0 < len(text) <= max_digits and text.isascii() and text.isdigit()
    )


def parse_whole_number(text: object, max_digits: int = MAX_DIGITS) -> int | None:
    """Return the whole number ``text`` writes (an optional sign, ASCII digits), else None."""
    if not isinstance(text, str):
        return None
    body = text.strip()
    sign = -1 if body[:1] == "-" else 1
    body = body[1:] if body[:1] in "+-" and body else body
    return sign * int(body) if is_ascii_digits(body, max_digits) else None
