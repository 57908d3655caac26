"""Calendar quarters as :class:`~csphub.analysis.store_inputs.Period` values: their label
(``2025-Q4``), their name for people (``October to December 2025``) and their neighbours."""

from __future__ import annotations

import calendar
import datetime as dt

from csphub.analysis.store_inputs import Period, shift_month


def shift_quarter(quarter: Period, quarters: int) -> Period:
    """The quarter ``quarters`` after ``quarter`` (before it when negative).

    Examples
    --------
    >>> shift_quarter(Period("2025-10", "2025-12"), -4)
    Period(start='2024-10', end='2024-12')
    """
    return Period(shift_month(quarter.start, 3 * quarters), shift_month(quarter.end, 3 * quarters))


def quarter_label(quarter: Period) -> str:
    """``YYYY-Qn``.

    Examples
    --------
    >>> quarter_label(Period("2025-10", "2025-12"))
    '2025-Q4'
    """
    return f"{quarter.start[:4]}-Q{(int(quarter.start[5:]) + 2) // 3}"


def quarter_name(quarter: Period) -> str:
    """The months in words, for sentences and captions.

    Examples
    --------
    >>> quarter_name(Period("2025-10", "2025-12"))
    'October to December 2025'
    """
    first = calendar.month_name[int(quarter.start[5:])]
    return f"{first} to {calendar.month_name[int(quarter.end[5:])]} {quarter.end[:4]}"


def first_day(quarter: Period) -> dt.date:
    return dt.date.fromisoformat(quarter.start + "-01")


def last_day(quarter: Period) -> dt.date:
    year, month = int(quarter.end[:4]), int(quarter.end[5:])
    return dt.date(year, month, calendar.monthrange(year, month)[1])
