"""When events happen: the month window and day-of-week by hour-of-day profiles.

Night-time economy violence clusters on Friday and Saturday nights, shoplifting in shop
hours, anti-social behaviour in the evening; times are drawn by rejection sampling against
a 7 x 24 weight table, all events of a profile at once.
"""

from __future__ import annotations

import re

import numpy as np

_HOURS = np.arange(24)


def month_window(end_month: str, months: int) -> np.ndarray:
    """Month starts (``datetime64[M]``) of the ``months`` months ending with ``end_month``.

    Examples
    --------
    >>> month_window("2025-12", 3).astype(str).tolist()
    ['2025-10', '2025-11', '2025-12']
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end_month):
        raise ValueError(f"end_month must look like 2025-12, not {end_month!r}")
    if months < 1:
        raise ValueError("months must be at least 1")
    end = np.datetime64(end_month, "M")
    return end - np.arange(months - 1, -1, -1)


def _bumps(*peaks: tuple[float, float, float], base: float = 0.15) -> np.ndarray:
    """Hour weights: a floor plus circular Gaussian bumps (hour, width, height)."""
    w = np.full(24, base)
    for hour, width, height in peaks:
        d = np.minimum(np.abs(_HOURS - hour), 24 - np.abs(_HOURS - hour))
        w += height * np.exp(-(d**2) / (2 * width**2))
    return w


def _table(hours: np.ndarray, days: tuple[float, ...], night_shift: bool = False) -> np.ndarray:
    """7 x 24 weights (Monday first); with ``night_shift`` hours before 06:00 count as the
    previous day, so a Saturday-night peak lands in the early hours of Sunday."""
    day_w = np.asarray(days, dtype=float)
    table = np.outer(day_w, hours)
    if night_shift:
        table[:, :6] = np.outer(np.roll(day_w, 1), hours[:6])
    return table / table.max()


PROFILES: dict[str, np.ndarray] = {
    "home": _table(_bumps((19, 3.5, 1.0), (12, 3, 0.4)), (1, 1, 1, 1, 1.05, 1.15, 1.15)),
    "street": _table(_bumps((17, 4, 1.0)), (0.95, 0.95, 1, 1, 1.1, 1.2, 1.05)),
    "nte": _table(
        _bumps((0, 2.2, 1.0), (22, 2, 0.5), base=0.05), (0.4, 0.4, 0.5, 0.7, 1.3, 1.8, 1.4), True
    ),
    "retail": _table(_bumps((13, 3, 1.0), base=0.02), (1, 1, 1, 1, 1.05, 1.3, 0.8)),
    "domestic": _table(_bumps((21, 3, 1.0), base=0.25), (0.9, 0.9, 0.9, 0.9, 1, 1.3, 1.35), True),
    "burglary": _table(_bumps((13, 3, 0.7), (20, 2.5, 1.0), base=0.2), (1, 1, 1, 1, 1, 1, 0.9)),
}


def sample_times(month_start: np.ndarray, profile: str, rng: np.random.Generator) -> np.ndarray:
    """One time (``datetime64[m]``) inside each given month, shaped by ``profile``."""
    table = PROFILES[profile]
    start = month_start.astype("datetime64[m]")
    length = ((month_start + 1).astype("datetime64[m]") - start).astype(int)
    out = np.empty(len(start), dtype="datetime64[m]")
    todo = np.arange(len(start))
    while todo.size:
        t = start[todo] + (rng.uniform(size=todo.size) * length[todo]).astype(int)
        ok = rng.uniform(size=todo.size) < table[weekday(t), hour(t)]
        out[todo[ok]] = t[ok]
        todo = todo[~ok]
    return out


def time_of_day(days: np.ndarray, profile: str, rng: np.random.Generator) -> np.ndarray:
    """A time on each given day (``datetime64[D]``), shaped by the profile's hours."""
    hours = PROFILES[profile].mean(axis=0)
    h = rng.choice(24, size=len(days), p=hours / hours.sum())
    minutes = h * 60 + rng.integers(0, 60, len(days))
    return days.astype("datetime64[m]") + minutes


def weekday(t: np.ndarray) -> np.ndarray:
    """Day of week, Monday = 0 (1970-01-01 was a Thursday)."""
    return (t.astype("datetime64[D]").astype(np.int64) + 3) % 7


def hour(t: np.ndarray) -> np.ndarray:
    return (t.astype("datetime64[m]").astype(np.int64) // 60) % 24
