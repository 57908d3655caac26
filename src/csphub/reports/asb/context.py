"""What every section of the ASB report reads: the area, the quarter, the monthly ASB counts
and the residents, checked once (:func:`make_context`).

Counts come from :mod:`csphub.analysis.store_inputs`: the numbers of ``csphub query counts``
with ``--where crime_type="Anti-social behaviour"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from csphub.analysis.store_inputs import (
    InputError,
    Period,
    Population,
    area_population,
    months_up_to,
    parse_area,
    parse_quarter,
    require_months,
    street_counts,
)
from csphub.reports.asb.quarters import (
    first_day,
    last_day,
    quarter_label,
    quarter_name,
    shift_quarter,
)
from csphub.store import Store
from csphub.store.areas import Area

ASB = "Anti-social behaviour"
#: The filter every count of this report uses (as ``--where crime_type=...``).
ASB_WHERE = {"crime_type": [ASB]}
#: Fixed, recorded seed: the same store gives the same report.
SEED = 20260101
HOTSPOT_PERMUTATIONS = 9999


def rate_per_1000(count: int, residents: float | None) -> float | None:
    """``count`` per 1,000 residents to 2 decimals; None without residents.

    Examples
    --------
    >>> rate_per_1000(141, 1525.0), rate_per_1000(3, None)
    (92.46, None)
    """
    if residents is None or pd.isna(residents) or residents <= 0:
        return None
    return round(1000 * count / float(residents), 2)


@dataclass(frozen=True)
class Context:
    """What every section needs: the store, area, quarter and the monthly ASB counts."""

    store: Store
    area: Area
    quarter: Period
    history: tuple[str, ...]  # loaded street months up to the quarter's end
    monthly: pd.Series  # ASB per history month (0 when a loaded month has none)
    residents: Population
    permutations: int
    seed: int

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def name(self) -> str:
        return quarter_name(self.quarter)

    @property
    def start_date(self) -> dt.date:
        return first_day(self.quarter)

    @property
    def end_date(self) -> dt.date:
        return last_day(self.quarter)

    def shifted(self, quarters: int) -> Period:
        return shift_quarter(self.quarter, quarters)

    def loaded(self, period: Period) -> bool:
        """Every month of ``period`` is loaded (a month not loaded is missing, not 0)."""
        return all(m in self.history for m in period.months)

    def count(self, period: Period) -> int:
        return int(self.monthly.reindex(list(period.months)).sum())

    @property
    def population(self) -> float | None:
        value = self.residents.value
        return value if isinstance(value, float) and value > 0 else None

    def rate(self, count: int) -> float | None:
        """ASB per 1,000 residents of the area, or None without population."""
        return rate_per_1000(count, self.population)

    def quarter_row(self, period: Period) -> dict[str, Any]:
        """A table row of a quarter: label, months, ASB and (with population) its rate."""
        count = self.count(period)
        row: dict[str, Any] = {
            "Quarter": quarter_label(period),
            "From": period.start,
            "To": period.end,
            "ASB incidents": count,
        }
        if self.population is not None:
            row["Rate per 1,000 residents"] = self.rate(count)
        return row


def make_context(
    store: Store,
    quarter: str,
    area: str,
    *,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
) -> Context:
    """Check the quarter and area and read the monthly counts; :class:`InputError` if not."""
    period = parse_quarter(quarter, "--quarter")
    resolved = parse_area(store, area)
    try:
        require_months(store, period.months)
    except InputError as exc:
        raise InputError(f"--quarter {quarter_label(period)}: {exc}") from None
    history = months_up_to(store, period.end)
    frame = street_counts(store, ["month"], Period(history[0], history[-1]), resolved, ASB_WHERE)
    monthly = frame.set_index("month")["count"].reindex(history, fill_value=0).astype("int64")
    residents = area_population(store, resolved, [])
    return Context(store, resolved, period, tuple(history), monthly, residents, permutations, seed)
