"""Event-level input for near-repeat analysis: coordinates in metres and a date per event.

Rows that cannot be used (a missing or unparseable coordinate or date, a longitude/latitude
that cannot be projected) are left out and counted in ``issues``, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from csphub.analysis.hotspots.records import columns_to_records, frozen_array
from csphub.analysis.projection import BNG, lonlat_to_bng

DateLike = str | dt.date | np.datetime64


def to_day(value: DateLike) -> int:
    """A date as whole days since 1970-01-01.

    Examples
    --------
    >>> to_day("2016-01-01"), to_day(dt.date(2016, 1, 2))
    (16801, 16802)
    """
    return int(np.datetime64(value, "D").astype(np.int64))


def from_day(day: int) -> dt.date:
    """Whole days since 1970-01-01 back to a date."""
    return np.datetime64(int(day), "D").item()


def days_of(dates: ArrayLike) -> np.ndarray:
    """Whole days since 1970-01-01 for datetime64 values or integer day numbers."""
    arr = np.asarray(dates)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[D]").astype(np.int64)
    if not np.issubdtype(arr.dtype, np.number):
        raise ValueError("dates must be datetime64 values or whole day numbers")
    as_float = arr.astype(float)
    if not np.isfinite(as_float).all() or not np.equal(np.floor(as_float), as_float).all():
        raise ValueError("day numbers must be finite whole days (floor timestamps to dates)")
    return as_float.astype(np.int64)


@dataclass(frozen=True, eq=False)
class Events:
    """Events with coordinates in metres and the day of each (days since 1970-01-01).

    Examples
    --------
    >>> ev = Events.from_arrays([0, 10], [0, 0], np.array(["2016-01-01", "2016-01-05"],
    ...                         dtype="datetime64[D]"))
    >>> ev.n, ev.dates.tolist()
    (2, [datetime.date(2016, 1, 1), datetime.date(2016, 1, 5)])
    >>> ev.between("2016-01-02", None).n
    1
    """

    x: np.ndarray
    y: np.ndarray
    day: np.ndarray
    crs: str = BNG
    issues: tuple[str, ...] = ()

    @classmethod
    def from_arrays(cls, x: ArrayLike, y: ArrayLike, dates: ArrayLike, *, crs: str = BNG) -> Events:
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        day = days_of(dates).ravel()
        if not (x.size == y.size == day.size):
            raise ValueError(f"x, y and dates differ in length: {x.size}, {y.size}, {day.size}")
        return cls(frozen_array(x), frozen_array(y), frozen_array(day), crs)

    @property
    def n(self) -> int:
        return int(self.day.size)

    @property
    def dates(self) -> np.ndarray:
        return self.day.astype("datetime64[D]")

    def between(self, date_from: DateLike | None, date_to: DateLike | None) -> Events:
        """Events from ``date_from`` to ``date_to``, both inclusive (None: open)."""
        keep = np.ones(self.n, bool)
        if date_from is not None:
            keep &= self.day >= to_day(date_from)
        if date_to is not None:
            keep &= self.day <= to_day(date_to)
        issues = self.issues
        if (~keep).any():
            issues += (f"{int((~keep).sum())} event(s) outside {date_from} to {date_to} left out",)
        return Events(
            frozen_array(self.x[keep]),
            frozen_array(self.y[keep]),
            frozen_array(self.day[keep]),
            self.crs,
            issues,
        )

    def to_records(self) -> list[dict[str, object]]:
        return columns_to_records({"x": self.x, "y": self.y, "date": self.dates})


def events_from_frame(
    frame: pd.DataFrame,
    *,
    x: str = "x",
    y: str = "y",
    date: str = "date",
    date_format: str | None = None,
    lonlat: bool = False,
    date_from: DateLike | None = None,
    date_to: DateLike | None = None,
) -> Events:
    """Events from a DataFrame's x, y and date columns.

    Parameters
    ----------
    frame : pandas.DataFrame
    x, y, date : str
        Column names. With ``lonlat=True`` x is longitude and y latitude (degrees) and
        they are projected to British National Grid metres.
    date_format : str, optional
        strptime format such as ``"%d/%m/%Y"``; ISO dates when omitted.
    date_from, date_to : date or "YYYY-MM-DD", optional
        Keep events on or after / on or before these dates.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1.0, None, 3.0], "y": [1.0, 2.0, 3.0],
    ...                    "d": ["31/12/2015", "01/01/2016", "bad"]})
    >>> ev = events_from_frame(df, date="d", date_format="%d/%m/%Y")
    >>> ev.n
    1
    >>> for issue in ev.issues:
    ...     print(issue)
    1 row(s) without a usable x/y left out
    1 row(s) with a date not in format '%d/%m/%Y' left out
    """
    missing = [c for c in (x, y, date) if c not in frame.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; the file has {list(frame.columns)}")
    xs = pd.to_numeric(frame[x], errors="coerce").to_numpy(float)
    ys = pd.to_numeric(frame[y], errors="coerce").to_numpy(float)
    issues: list[str] = []
    if lonlat:
        xs, ys = lonlat_to_bng(xs, ys)
    bad_xy = ~(np.isfinite(xs) & np.isfinite(ys))
    if bad_xy.any():
        what = "longitude/latitude that could be projected" if lonlat else "usable x/y"
        issues.append(f"{int(bad_xy.sum())} row(s) without a {what} left out")
    text = frame[date].astype("string").str.strip()
    dates = pd.to_datetime(text, format=date_format or "ISO8601", errors="coerce")
    bad_date = dates.isna().to_numpy() & ~bad_xy
    if bad_date.any():
        fmt = repr(date_format) if date_format else "ISO 8601"
        issues.append(f"{int(bad_date.sum())} row(s) with a date not in format {fmt} left out")
    keep = ~(bad_xy | dates.isna().to_numpy())
    day = dates.to_numpy()[keep].astype("datetime64[D]").astype(np.int64)
    events = Events(
        frozen_array(xs[keep]), frozen_array(ys[keep]), frozen_array(day), BNG, tuple(issues)
    )
    if date_from is None and date_to is None:
        return events
    return events.between(date_from, date_to)


def read_events_csv(
    path: str | os.PathLike[str],
    *,
    x: str = "x",
    y: str = "y",
    date: str = "date",
    date_format: str | None = None,
    lonlat: bool = False,
    date_from: DateLike | None = None,
    date_to: DateLike | None = None,
) -> Events:
    """Read events from a CSV file (plain or .gz); see :func:`events_from_frame`.

    Examples
    --------
    The Chicago reference file (``x``, ``y`` in metres, ``date_single`` as DD/MM/YYYY)::

        ev = read_events_csv(path, date="date_single", date_format="%d/%m/%Y",
                             date_from="2016-01-01", date_to="2016-12-31")   # 11,701 events
    """
    wanted = {x, y, date}
    frame = pd.read_csv(path, usecols=lambda c: c in wanted, dtype={date: "string"})
    return events_from_frame(
        frame,
        x=x,
        y=y,
        date=date,
        date_format=date_format,
        lonlat=lonlat,
        date_from=date_from,
        date_to=date_to,
    )
