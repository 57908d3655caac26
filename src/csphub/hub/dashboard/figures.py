"""The dashboard's priority figures: for each priority of the plan that names crime types,
the records of the last 12 loaded months against the 12 months before, with the change
and the Poisson E-test p (``csphub.analysis.trends.poisson_etest``).

Counts come from ``csphub.analysis.counts.counts`` on the evidence store
(``settings.CSPHUB_STORE``) for the area ``settings.CSPHUB_AREA``, so they equal what
``csphub query counts`` prints. They change only when the store does, so they are cached
per store, area, priorities and the catalog file's modification time: the first page view
after an ingest computes them and every other view reads them from memory.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: The one line shown when there is nothing to compute from, saying how to load data.
LOAD_HINT = (
    "Load data with csphub ingest (or csphub demo), then start the hub with "
    "CSPHUB_STORE set to the store's folder and CSPHUB_AREA to the partnership's area code."
)


@dataclass(frozen=True)
class PriorityFigure:
    title: str
    crime_types: tuple[str, ...]
    previous: int  # records in the 12 months before
    recent: int  # records in the last 12 loaded months
    change: int
    pct_change: float | None  # None when the earlier count is 0
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


@dataclass(frozen=True)
class Figures:
    """The figures, or ``unavailable`` (one line saying why and what to do)."""

    rows: tuple[PriorityFigure, ...] = ()
    recent_period: str = ""  # "YYYY-MM..YYYY-MM"
    previous_period: str = ""
    area_name: str = ""
    unavailable: str = ""


PriorityKey = tuple[tuple[str, tuple[str, ...]], ...]

_cache: dict[tuple, Figures] = {}
_lock = threading.Lock()


def priority_figures(priorities: Sequence[tuple[str, Sequence[str]]]) -> Figures:
    """Figures for ``priorities`` (title, crime types), in their order; cached until the
    store's catalog file changes."""
    from csphub.store.store import CATALOG_FILE

    area = (getattr(settings, "CSPHUB_AREA", "") or "").strip()
    root = Path(getattr(settings, "CSPHUB_STORE", "") or "csphub-data")
    if not area:
        return Figures(unavailable=f"No figures: no area is set (CSPHUB_AREA). {LOAD_HINT}")
    catalog = root / CATALOG_FILE
    if not catalog.is_file():
        return Figures(unavailable=f"No figures: there is no evidence store at {root}. {LOAD_HINT}")
    wanted: PriorityKey = tuple((t, tuple(types)) for t, types in priorities if types)
    if not wanted:
        return Figures(unavailable="No figures: no priority of the plan names crime types.")
    key = (str(root.resolve()), area, wanted, catalog.stat().st_mtime_ns)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:  # one thread computes; the others wait and read the result
        if key not in _cache:
            try:
                _cache[key] = compute(root, area, wanted)
            except ValueError as exc:  # InputError, QueryError, StoreError are ValueErrors
                return Figures(unavailable=f"No figures: {exc}")
        return _cache[key]


def compute(root: Path, area_spec: str, priorities: PriorityKey) -> Figures:
    """The figures, read from the store (no cache)."""
    from csphub.analysis.counts import counts
    from csphub.analysis.store_inputs import loaded_months, month_range, parse_area, shift_month
    from csphub.analysis.trends import poisson_etest
    from csphub.store import StoreError, open_store

    try:
        store = open_store(root, create=False, read_only=True)
    except StoreError as exc:
        raise ValueError(str(exc)) from None
    with store:
        months = loaded_months(store)
        if not months:
            return Figures(unavailable=f"No figures: the store at {root} holds no months.")
        last = months[-1]
        recent = (shift_month(last, -11), last)
        previous = (shift_month(last, -23), shift_month(last, -12))
        missing = sorted(set(month_range(previous[0], last)) - set(months))
        if missing:
            return Figures(
                unavailable=f"No figures: comparing the last 12 months with the 12 before "
                f"needs every month from {previous[0]} to {last}; the store lacks "
                f"{len(missing)} of them ({missing[0]} first). {LOAD_HINT}"
            )
        area = parse_area(store, area_spec, "CSPHUB_AREA")
        types = sorted({t for _, ts in priorities for t in ts})

        def by_type(start: str, end: str) -> dict[str, int]:
            result = counts(
                store, ["crime_type"], start=start, end=end, area=area, where={"crime_type": types}
            )
            return {str(r["crime_type"]): int(r["count"]) for r in result.records()}

        now, before = by_type(*recent), by_type(*previous)
    rows = []
    for title, ts in priorities:
        c1 = sum(before.get(t, 0) for t in ts)
        c2 = sum(now.get(t, 0) for t in ts)
        test = poisson_etest(c1, c2)
        rows.append(
            PriorityFigure(
                title=title,
                crime_types=ts,
                previous=c1,
                recent=c2,
                change=c2 - c1,
                pct_change=None if c1 == 0 else 100.0 * (c2 - c1) / c1,
                p_value=test.p_value,
            )
        )
    return Figures(
        rows=tuple(rows),
        recent_period=f"{recent[0]}..{recent[1]}",
        previous_period=f"{previous[0]}..{previous[1]}",
        area_name=area.name,
    )
