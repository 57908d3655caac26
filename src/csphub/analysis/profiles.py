"""When and what: counts by hour of day and day of week, and by the categories of a field,
for any event table (road collisions, A&E assaults, fires).

Unknown values are counted, never dropped: a missing hour or category is "Not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NOT_RECORDED = "Not recorded"
#: Values that say the field was not known (as the ISTV ingest keeps them), lower case.
UNKNOWN = ("unknown", "not known")
#: Night-time economy hours (csphub's working definition, 18:00 to 05:59, Friday and
#: Saturday nights running into the next morning): see :func:`night_time_economy`.
NTE_FROM, NTE_TO = 18, 6


@dataclass(frozen=True)
class TimeProfile:
    """Counts by hour (0-23) and weekday (1 = Monday .. 7 = Sunday).

    ``grid`` is 7 x 24 (rows weekdays, columns hours) of the rows with both known;
    ``by_hour`` and ``by_weekday`` count every row whose hour (weekday) is known;
    ``no_hour``/``no_weekday`` count the rows without.
    """

    grid: pd.DataFrame
    by_hour: pd.Series
    by_weekday: pd.Series
    no_hour: int
    no_weekday: int

    @property
    def busiest_hour(self) -> int | None:
        return int(self.by_hour.idxmax()) if self.by_hour.sum() else None

    @property
    def busiest_weekday(self) -> str | None:
        return WEEKDAYS[int(self.by_weekday.idxmax()) - 1] if self.by_weekday.sum() else None


def time_profile(frame: pd.DataFrame, hour: str = "hour", weekday: str = "weekday") -> TimeProfile:
    """Counts of rows by hour of day and day of week.

    Parameters
    ----------
    frame : DataFrame
        One row per event.
    hour, weekday : str
        Columns of the hour (0-23) and the ISO weekday (1 = Monday .. 7 = Sunday); other
        values and blanks are counted as unknown.

    Returns
    -------
    TimeProfile

    Examples
    --------
    >>> rows = pd.DataFrame({"hour": [23, 23, 1, None], "weekday": [5, 6, 6, 6]})
    >>> p = time_profile(rows)
    >>> p.busiest_hour, p.busiest_weekday, p.no_hour, int(p.grid.loc[6, 23])
    (23, 'Saturday', 1, 1)
    """
    h = pd.to_numeric(frame[hour], errors="coerce")
    d = pd.to_numeric(frame[weekday], errors="coerce")
    h = h.where(h.between(0, 23))
    d = d.where(d.between(1, 7))
    both = pd.DataFrame({"h": h, "d": d}).dropna().astype(int)
    grid = (
        pd.crosstab(both["d"], both["h"])
        .reindex(index=range(1, 8), columns=range(24), fill_value=0)
        .astype("int64")
    )
    by_hour = h.dropna().astype(int).value_counts().reindex(range(24), fill_value=0)
    by_weekday = d.dropna().astype(int).value_counts().reindex(range(1, 8), fill_value=0)
    return TimeProfile(
        grid, by_hour.astype("int64"), by_weekday.astype("int64"), int(h.isna().sum()),
        int(d.isna().sum()),
    )  # fmt: skip


def category_counts(
    frame: pd.DataFrame,
    column: str,
    order: Sequence[str] | None = None,
    unknown: Sequence[str] = UNKNOWN,
) -> pd.DataFrame:
    """Rows by the values of ``column``: ``value``, ``count``, ``share`` (of all rows),
    most first, or in ``order`` (then any other values, then "Not recorded"). Blanks and
    the ``unknown`` values (lower case) are counted together as "Not recorded".

    Parameters
    ----------
    frame : DataFrame
        One row per event.
    column : str
        The field counted.
    order : sequence of str, optional
        The order of the known values (e.g. a code list's).
    unknown : sequence of str
        Values meaning "not known", compared in lower case.

    Returns
    -------
    DataFrame
        ``value``, ``count`` and ``share`` (of all rows, 4 decimals).

    Examples
    --------
    >>> rows = pd.DataFrame({"weapon": ["Knife", None, "Body part", "Knife", "unknown"]})
    >>> category_counts(rows, "weapon").values.tolist()
    [['Knife', 2, 0.4], ['Not recorded', 2, 0.4], ['Body part', 1, 0.2]]
    """
    text = frame[column].astype("string").str.strip()
    blank = text.fillna("").str.lower().isin(["", *unknown])
    values = text.where(~blank, NOT_RECORDED).fillna(NOT_RECORDED)
    counts = values.value_counts()
    if order is not None:
        rest = sorted(v for v in counts.index if v not in order and v != NOT_RECORDED)
        tail = [NOT_RECORDED] if NOT_RECORDED in counts.index else []
        keys = [v for v in order if v in counts.index] + rest + tail
    else:
        keys = sorted(counts.index, key=lambda v: (-counts[v], v == NOT_RECORDED, v))
    total = len(frame)
    return pd.DataFrame(
        {
            "value": keys,
            "count": [int(counts[k]) for k in keys],
            "share": [round(int(counts[k]) / total, 4) if total else 0.0 for k in keys],
        }
    )


def night_time_economy(
    frame: pd.DataFrame,
    hour: str = "hour",
    weekday: str = "weekday",
    *,
    start: int = NTE_FROM,
    end: int = NTE_TO,
) -> int:
    """Rows in night-time economy hours: Friday or Saturday from ``start`` (18:00), or
    Saturday or Sunday before ``end`` (06:00): the same nights running past midnight.

    Parameters
    ----------
    frame : DataFrame
        One row per event.
    hour, weekday : str
        Columns of the hour (0-23) and the ISO weekday (1 = Monday).
    start, end : int
        The evening hour the night starts and the morning hour it ends (csphub's working
        definition, 18 and 6, unless given).

    Returns
    -------
    int
        The rows in those hours.

    Examples
    --------
    >>> rows = pd.DataFrame({"hour": [22, 2, 2, 14], "weekday": [5, 6, 2, 6]})
    >>> night_time_economy(rows)
    2
    """
    h = pd.to_numeric(frame[hour], errors="coerce")
    d = pd.to_numeric(frame[weekday], errors="coerce")
    evening = d.isin([5, 6]) & (h >= start)
    small_hours = d.isin([6, 7]) & (h < end)
    return int((evening | small_hours).sum())
