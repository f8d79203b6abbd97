"""Safe spreadsheet cells: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise a spreadsheet formula: text starting with = + - @ tab or CR gets a ' prefix."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
