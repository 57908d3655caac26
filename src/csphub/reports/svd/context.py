"""What every section of the Serious Violence needs assessment reads, checked once: the
area, the period and the one before, the local definition of serious violence from the
priorities file, residents, and the partner data loaded (read once each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from csphub.analysis.store_inputs import (
    InputError,
    Period,
    area_population,
    loaded_months,
    month_range,
    parse_area,
    parse_period,
    require_months,
    shift_month,
    street_counts,
)
from csphub.analysis.store_inputs.partner import (
    Assaults,
    Collisions,
    read_assaults,
    read_collisions,
    read_fires,
)
from csphub.reports.assess.config import Priority, load_priorities
from csphub.store import Store
from csphub.store.areas import Area

#: Fixed, recorded seed and permutations for Gi*: the same store gives the same report.
SEED = 20260101
PERMUTATIONS = 9999
#: Months of the monthly charts (ending with the period).
CHART_MONTHS = 36


def month_end(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


def label(period: Period) -> str:
    def name(month: str) -> str:
        return dt.date.fromisoformat(month + "-01").strftime("%B %Y")

    return (
        name(period.start)
        if period.start == period.end
        else f"{name(period.start)} to {name(period.end)}"
    )


def violence_priority(path: Path | None) -> Priority:
    """The priority that defines serious violence locally: the one read with A&E assaults
    (``partner_data`` "ae_assaults"), else the one with id "violence"."""
    items = load_priorities(path).items
    for p in items:
        if p.partner_data == "ae_assaults":
            return p
    for p in items:
        if p.id == "violence":
            return p
    raise InputError("--priorities: no priority has partner_data ae_assaults or id violence")


@dataclass(frozen=True, eq=False)
class Context:
    """The store, the area, the two periods, the definition and what is loaded."""

    store: Store
    area: Area
    current: Period
    previous: Period
    window: tuple[str, ...]
    definition: Priority
    lsoa_population: pd.Series | None
    seed: int
    permutations: int
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> dict[str, list[str]]:
        return {"crime_type": list(self.definition.policeuk_types)}

    @property
    def current_label(self) -> str:
        return label(self.current)

    @property
    def previous_label(self) -> str:
        return label(self.previous)

    @property
    def population(self) -> float | None:
        return None if self.lsoa_population is None else float(self.lsoa_population.sum())

    def dates(self) -> tuple[dt.date, dt.date]:
        """First and last day of the previous and current periods together."""
        return dt.date.fromisoformat(self.previous.start + "-01"), month_end(self.current.end)

    def police(self, by: list[str], period: Period | None = None) -> pd.DataFrame:
        """police.uk counts of the definition's crime types grouped by ``by``."""
        return street_counts(self.store, by, period or self.current, self.area, self.where)

    def assaults(self) -> Assaults | None:
        if "assaults" not in self.memo:
            self.memo["assaults"] = read_assaults(self.store, self.area, *self.dates())
        return self.memo["assaults"]

    def collisions(self) -> Collisions | None:
        if "collisions" not in self.memo:
            self.memo["collisions"] = read_collisions(self.store, self.area, *self.dates())
        return self.memo["collisions"]

    def fires(self) -> pd.DataFrame | None:
        if "fires" not in self.memo:
            self.memo["fires"] = read_fires(self.store, self.area, *self.dates())
        return self.memo["fires"]


def make_context(
    store: Store,
    area: str,
    period: str,
    previous: str | None = None,
    *,
    priorities: Path | None = None,
    seed: int = SEED,
    permutations: int = PERMUTATIONS,
) -> Context:
    """Check the options and the store; :class:`InputError` (one line) if they do not fit."""
    current = parse_period(period, "--period")
    n = len(current.months)
    before = (
        parse_period(previous, "--previous")
        if previous
        else Period(shift_month(current.start, -n), shift_month(current.start, -1))
    )
    if before.end >= current.start:
        raise InputError(f"--previous {before.label}: it must end before --period starts")
    resolved = parse_area(store, area)
    require_months(store, [*before.months, *current.months])
    have = set(loaded_months(store))
    first = min(shift_month(current.end, -(CHART_MONTHS - 1)), before.start)
    window = tuple(m for m in month_range(first, current.end) if m in have)
    pop = area_population(store, resolved, ["lsoa_code"])
    by_lsoa = None
    if isinstance(pop.value, pd.DataFrame) and not pop.missing:
        by_lsoa = pop.value.set_index("lsoa_code")["population"].reindex(list(resolved.lsoa_codes))
    return Context(
        store,
        resolved,
        current,
        before,
        window,
        violence_priority(priorities),
        by_lsoa,
        seed,
        permutations,
    )
