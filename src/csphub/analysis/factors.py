"""Risk factors from open data: how a count per resident varies with deprivation.

Each LSOA carries a decile of a deprivation domain (1 = the most deprived tenth of
England's LSOAs). The rate per 1,000 residents of each quintile (deciles 1-2, 3-4, ...)
and the ratio of the most to the least deprived quintile describe the gradient. It is an
area association, not a cause, and says nothing about individuals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

QUINTILE_NAMES = (
    "1 (most deprived)",
    "2",
    "3",
    "4",
    "5 (least deprived)",
)


@dataclass(frozen=True)
class Gradient:
    """Rates by deprivation quintile of one domain.

    ``table`` has ``quintile``, ``lsoas``, ``residents``, ``count`` and ``per_1000``;
    ``ratio`` is the rate of the most deprived quintile the area has over that of its least
    deprived (``compared``: those quintiles, 1 to 5), None when the area has one quintile
    or the least deprived has no records; ``unmatched`` the LSOAs without a decile or a
    population, left out.
    """

    domain: str
    table: pd.DataFrame
    ratio: float | None
    unmatched: int
    compared: tuple[int, int] | None = None


def deprivation_gradient(
    counts: pd.Series, population: pd.Series, decile: pd.Series, domain: str
) -> Gradient:
    """Records per 1,000 residents by deprivation quintile.

    Parameters
    ----------
    counts, population, decile : Series indexed by LSOA code
        Records (absent = 0), residents and the domain's decile (1-10) of each LSOA; the
        LSOAs are those of ``population``.
    domain : str
        The domain's name, kept on the result.

    Examples
    --------
    >>> idx = ["a", "b", "c", "d"]
    >>> g = deprivation_gradient(pd.Series({"a": 30, "d": 5}), pd.Series([1000] * 4, idx),
    ...                          pd.Series([1, 2, 9, 10], idx), "imd")
    >>> g.table["per_1000"].tolist(), g.ratio
    ([15.0, None, None, None, 2.5], 6.0)
    """
    frame = pd.DataFrame({"residents": population.astype(float)})
    frame["count"] = counts.reindex(frame.index).fillna(0).astype("int64")
    frame["decile"] = pd.to_numeric(decile.reindex(frame.index), errors="coerce")
    ok = frame["decile"].between(1, 10) & (frame["residents"] > 0)
    used = frame[ok].copy()
    used["quintile"] = ((used["decile"] - 1) // 2 + 1).astype(int)
    grouped = used.groupby("quintile").agg(
        lsoas=("count", "size"), residents=("residents", "sum"), count=("count", "sum")
    )
    grouped = grouped.reindex(range(1, 6))
    rate = 1000 * grouped["count"] / grouped["residents"]
    table = pd.DataFrame(
        {
            "quintile": list(QUINTILE_NAMES),
            "lsoas": grouped["lsoas"].fillna(0).astype("int64").to_numpy(),
            "residents": grouped["residents"].fillna(0).to_numpy(),
            "count": grouped["count"].fillna(0).astype("int64").to_numpy(),
        }
    )
    table["per_1000"] = pd.Series(
        [None if np.isnan(v) else round(float(v), 2) for v in rate], dtype=object
    )
    present = [int(q) for q in rate.index if not np.isnan(rate[q])]
    ratio, compared = None, None
    if len(present) > 1:
        compared = (present[0], present[-1])
        low = float(rate[present[-1]])
        ratio = round(float(rate[present[0]]) / low, 2) if low > 0 else None
    return Gradient(domain, table, ratio, int((~ok).sum()), compared)
