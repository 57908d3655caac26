"""Number formatting shared by the drawings and the pages that show their tables.

Numbers a reader sees get thousands separators (``12,345``); coordinates in the markup get
a fixed, short form so that the same input always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def is_missing(value: object) -> bool:
    """True for None and NaN (the ways a value can be absent)."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def plain(value: object) -> object:
    """A numpy scalar as the Python number it holds; NaN as None; anything else unchanged.

    Tables behind a chart hold these, so they compare equal to the caller's data and
    serialise to JSON.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float64("nan")), plain("E01012662")
    (3, None, 'E01012662')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def auto_decimals(values: Iterable[object]) -> int:
    """0 when every value is a whole number, else 1.

    Examples
    --------
    >>> auto_decimals([3, 4.0, None]), auto_decimals([2.25])
    (0, 1)
    """
    for v in values:
        if not is_missing(v) and float(v) != round(float(v)):  # type: ignore[arg-type]
            return 1
    return 0


def format_number(value: object, decimals: int = 0) -> str:
    """A number for people: thousands separators, fixed decimals, no minus zero.

    Examples
    --------
    >>> format_number(12345), format_number(1234.567, 1), format_number(-0.01, 1)
    ('12,345', '1,234.6', '0.0')
    >>> format_number(None)
    'no data'
    """
    if is_missing(value):
        return "no data"
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    if text.startswith("-") and float(text[1:].replace(",", "")) == 0:
        text = text[1:]
    return text


def num(value: float, places: int = 2) -> str:
    """A coordinate or length for the markup: at most ``places`` decimals, no trailing zeros.

    Examples
    --------
    >>> num(12.0), num(3.14159), num(-0.001), num(2.5, 1)
    ('12', '3.14', '0', '2.5')
    """
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
