"""Cells for CSV files that people open in a spreadsheet."""

from __future__ import annotations

from typing import Any

#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text, a leading formula character neutralised with ``'`` (OWASP's
    advice on CSV injection), so an exported cell is never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
