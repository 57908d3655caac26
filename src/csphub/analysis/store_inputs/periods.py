"""Months, periods and ``FIELD=VALUE`` filters as given on the command line, and the check
that the store holds every month asked for (a month that is not loaded is missing, not 0)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from csphub.store import Store

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")

#: What to run to load each kind of data, for error messages.
LOAD_HINT = {
    "street": "csphub ingest police-uk PATH",
    "events": "csphub ingest events PATH",
}
_WHAT = {"street": "police.uk street data", "events": "partner events"}


class InputError(ValueError):
    """Options or store contents that an analysis cannot run on; one line saying what to do."""


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` to ``end`` inclusive (``YYYY-MM``)."""

    start: str
    end: str

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month_range(self.start, self.end))

    @property
    def label(self) -> str:
        return self.start if self.start == self.end else f"{self.start}..{self.end}"

    def to_dict(self) -> dict[str, object]:
        return {"from": self.start, "to": self.end, "months": len(self.months)}


def parse_month(text: str, option: str) -> str:
    """``YYYY-MM`` checked, or :class:`InputError` naming the option.

    Examples
    --------
    >>> parse_month("2024-03", "--from")
    '2024-03'
    """
    text = str(text).strip()
    if not _MONTH.match(text):
        raise InputError(f"{option} {text!r}: give a month as YYYY-MM")
    return text


def parse_quarter(text: str, option: str) -> Period:
    """``YYYY-Qn`` (calendar quarter: Q1 is January to March) as a :class:`Period` of its
    three months, or :class:`InputError` naming the option.

    Examples
    --------
    >>> parse_quarter("2025-Q4", "--quarter")
    Period(start='2025-10', end='2025-12')
    >>> parse_quarter("2024-q1", "--quarter").months
    ('2024-01', '2024-02', '2024-03')
    """
    text = str(text).strip()
    match = _QUARTER.match(text)
    if not match:
        raise InputError(
            f"{option} {text!r}: give a calendar quarter as YYYY-Qn (Q1 = January to March), "
            "e.g. 2025-Q4"
        )
    year, first = match.group(1), 3 * int(match.group(2)) - 2
    return Period(f"{year}-{first:02d}", f"{year}-{first + 2:02d}")


def shift_month(month: str, months: int) -> str:
    """The month ``months`` after ``month`` (before it when negative).

    Examples
    --------
    >>> shift_month("2025-10", -12), shift_month("2025-11", 3)
    ('2024-10', '2026-02')
    """
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_date(text: str, option: str) -> dt.date:
    """``YYYY-MM-DD`` as a date, or :class:`InputError` naming the option."""
    text = str(text).strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: give a date as YYYY-MM-DD") from None


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive.

    Examples
    --------
    >>> month_range("2023-11", "2024-02")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    """
    y, m = int(start[:4]), int(start[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def make_period(start: str, end: str, option: str = "--from/--to") -> Period:
    """A :class:`Period` from two months, checked to run forwards."""
    if start > end:
        raise InputError(f"{option}: {start} is after {end}")
    return Period(start, end)


def parse_period(text: str, option: str) -> Period:
    """``YYYY-MM..YYYY-MM`` (or one month ``YYYY-MM``) as a :class:`Period`.

    Examples
    --------
    >>> parse_period("2024-01..2024-06", "--before").months[-1]
    '2024-06'
    >>> parse_period("2024-02", "--after").label
    '2024-02'
    """
    first, sep, last = str(text).strip().partition("..")
    if not sep:
        last = first
    try:
        return make_period(parse_month(first, option), parse_month(last, option), option)
    except InputError:
        raise InputError(
            f"{option} {text!r}: give a period as YYYY-MM..YYYY-MM (first and last month, "
            "in order) or one month YYYY-MM"
        ) from None


def parse_where(items: Iterable[str], allowed: Sequence[str]) -> dict[str, list[str]]:
    """``FIELD=VALUE`` items to ``{field: [values]}``; a repeated field allows several values."""
    out: dict[str, list[str]] = {}
    for item in items:
        field, sep, value = str(item).partition("=")
        field = field.strip()
        if not sep or not field:
            raise InputError(f"--where {item!r}: write FIELD=VALUE")
        if field not in allowed:
            raise InputError(f"--where {field}=...: choose a field from {', '.join(allowed)}")
        out.setdefault(field, []).append(value.strip())
    return out


def parse_numbers(text: str, option: str) -> list[float]:
    """A comma-separated list of increasing positive numbers (distance or day limits)."""
    try:
        values = [float(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        raise InputError(f"{option} {text!r}: give numbers separated by commas") from None
    if not values or any(v <= 0 for v in values) or values != sorted(set(values)):
        raise InputError(f"{option} {text!r}: give increasing numbers above 0, e.g. 7,14,21")
    return values


def loaded_months(store: Store, kind: str = "street") -> list[str]:
    """Months (``YYYY-MM``) for which the store holds current data of this kind."""
    rows = store.con.execute(
        "SELECT DISTINCT strftime(month, '%Y-%m') FROM part "
        "WHERE kind = ? AND status = 'current' ORDER BY 1",
        [kind],
    ).fetchall()
    return [r[0] for r in rows]


def _ranges(months: Sequence[str]) -> str:
    """``2023-01..2023-03, 2023-06`` for a sorted list of months."""
    out: list[str] = []
    start = prev = None
    for m in months:
        if prev is not None and month_range(prev, m)[1:2] == [m]:
            prev = m
            continue
        if start is not None:
            out.append(start if start == prev else f"{start}..{prev}")
        start = prev = m
    if start is not None:
        out.append(start if start == prev else f"{start}..{prev}")
    return ", ".join(out)


def require_months(store: Store, months: Iterable[str], kind: str = "street") -> None:
    """Raise :class:`InputError` unless every month is loaded (else it would read as zero)."""
    have = loaded_months(store, kind)
    what, hint = _WHAT[kind], LOAD_HINT[kind]
    if not have:
        raise InputError(f"no {what} in the store: load it with {hint}")
    missing = sorted(set(months) - set(have))
    if missing:
        raise InputError(
            f"no {what} for {_ranges(missing)} (the store holds {_ranges(have)}): "
            f"load those months with {hint}"
        )


def months_up_to(store: Store, last: str | None, kind: str = "street") -> list[str]:
    """Loaded months up to ``last`` (default: the latest loaded), which must be loaded.

    Months inside the run that are not loaded are left out: they are missing, not zero.
    """
    have = loaded_months(store, kind)
    last = last or (have[-1] if have else None)
    require_months(store, [last] if last else [], kind)
    return [m for m in have if m <= str(last)]
