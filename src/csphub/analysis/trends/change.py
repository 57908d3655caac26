"""Change between two periods by group: a table of tests with adjusted p-values.

Each group is tested with the Poisson E-test of its totals (``test="etest"``) or, given
monthly counts, with :func:`~csphub.analysis.trends.dispersion.change_test`, which switches to
quasi-Poisson where the months vary more than Poisson counts would (``test="auto"``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from csphub.analysis.trends.dispersion import change_test
from csphub.analysis.trends.etest import poisson_etest

_ADJUST = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


@dataclass(frozen=True)
class PeriodChange:
    """E-tests of before against after for every group, with adjusted p-values.

    ``table`` columns: the ``by`` columns, then ``before``, ``after``, ``change``,
    ``rate_before``, ``rate_after`` (count / exposure), ``rate_ratio``, ``pct_change``
    (NaN when before is 0), ``test`` (the test whose p is shown), ``dispersion`` (Pearson
    dispersion of the monthly counts, NaN for the E-test of totals), ``p_value``,
    ``p_adjusted`` and ``significant`` (p_adjusted < alpha). ``note`` explains the
    multiple-testing adjustment.
    """

    table: pd.DataFrame = field(hash=False)
    by: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    exposure_before: float
    exposure_after: float
    alpha: float
    adjust: str
    note: str

    def to_records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready records (NaN becomes None)."""
        return json.loads(self.table.to_json(orient="records", double_precision=15))

    def to_dict(self) -> dict[str, Any]:
        """Parameters, note and rows as JSON-ready values."""
        out = {k: getattr(self, k) for k in ("alpha", "adjust", "note")}
        out.update(
            by=list(self.by),
            before=list(self.before),
            after=list(self.after),
            exposure_before=self.exposure_before,
            exposure_after=self.exposure_after,
            rows=self.to_records(),
        )
        return out


def _periods(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return (str(value),)
    return tuple(str(v) for v in value)


def _frame(counts: Any) -> pd.DataFrame:
    return counts if isinstance(counts, pd.DataFrame) else counts.to_pandas()


def period_change(
    counts: Any,
    before: Any,
    after: Any,
    *,
    by: str | Sequence[str] | None = "crime_type",
    period_col: str = "period",
    count_col: str = "count",
    exposure_before: float | None = None,
    exposure_after: float | None = None,
    alpha: float = 0.05,
    adjust: str | None = "holm",
    test: str = "etest",
) -> PeriodChange:
    """Before/after change by group (e.g. crime type), each with a Poisson E-test or, with
    ``test="auto"``, a test chosen by the dispersion of the monthly counts.

    Parameters
    ----------
    counts : DataFrame or pyarrow Table
        ``period_col``, the ``by`` columns and ``count_col`` (without it each row is one
        crime). Periods are compared as text, e.g. ``"2024-03"``.
    before, after : period or sequence of periods
        The periods summed into each side.
    by : str, list of str or None
        Grouping columns; None tests the total.
    exposure_before, exposure_after : float, optional
        Default: the number of periods on each side, so 12 months against 3 compares rates.
    alpha : float
        Level for ``significant``.
    adjust : {"holm", "bh", "bonferroni"} or None
        Multiple-testing adjustment of the p-values across groups (Holm controls the chance
        of any false flag; "bh" the expected share of false flags).
    test : {"etest", "auto"}
        ``"etest"`` tests each group's totals; ``"auto"`` treats every period as one month
        and uses :func:`~csphub.analysis.trends.dispersion.change_test` on each group's
        monthly counts (a period listed but absent for a group counts 0 for it: list only
        the months the store holds). Exposures are then the number of months.

    Returns
    -------
    PeriodChange

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["2024-01", "2024-02"] * 2,
    ...                    "crime_type": ["Burglary"] * 2 + ["Robbery"] * 2,
    ...                    "count": [40, 20, 3, 4]})
    >>> out = period_change(df, "2024-01", "2024-02")
    >>> out.table[["crime_type", "change", "significant"]].values.tolist()
    [['Burglary', -20, True], ['Robbery', 1, False]]
    """
    df = _frame(counts)
    keys = [by] if isinstance(by, str) else list(by or [])
    pb, pa = _periods(before), _periods(after)
    if set(pb) & set(pa):
        raise ValueError("a period is on both sides")
    if test not in ("etest", "auto"):
        raise ValueError("test must be 'etest' or 'auto'")
    nb = float(exposure_before if exposure_before is not None else len(pb))
    na = float(exposure_after if exposure_after is not None else len(pa))
    period = df[period_col].astype(str)
    n = df[count_col] if count_col in df.columns else pd.Series(1, index=df.index)
    side = pd.Series(
        np.where(period.isin(pb), "before", np.where(period.isin(pa), "after", None)),
        index=df.index,
    )
    keep = side.notna()
    work = df.loc[keep, keys].assign(_side=side[keep], _n=n[keep])
    if keys:
        wide = (
            work.groupby([*keys, "_side"], dropna=False)["_n"].sum().unstack("_side", fill_value=0)
        )
    else:
        wide = work.groupby("_side")["_n"].sum().to_frame().T
    wide = wide.reindex(columns=["before", "after"], fill_value=0)
    if (wide != wide.round()).any().any():
        raise ValueError("counts must be whole numbers")
    wide = wide.astype("int64")
    table = wide.reset_index(drop=not keys)
    if test == "auto":
        tests = _monthly_tests(df.loc[keep], keys, period, n[keep], pb, pa, len(table))
    else:
        tests = [
            poisson_etest(b, a, nb, na)
            for b, a in zip(table["before"], table["after"], strict=True)
        ]
    table["change"] = table["after"] - table["before"]
    table["rate_before"] = table["before"] / nb
    table["rate_after"] = table["after"] / na
    table["rate_ratio"] = [t.rate_ratio for t in tests]
    table["pct_change"] = [t.pct_change for t in tests]
    table["test"] = [getattr(t, "test", "Poisson E-test") for t in tests]
    table["dispersion"] = [getattr(t, "dispersion", None) for t in tests]
    table["dispersion"] = table["dispersion"].astype(float)
    table["p_value"] = [t.p_value for t in tests]
    table["p_adjusted"] = _adjusted(table["p_value"], adjust)
    table["significant"] = table["p_adjusted"] < alpha
    table.columns.name = None
    note = _note(len(table), alpha, adjust)
    return PeriodChange(table, tuple(keys), pb, pa, nb, na, alpha, adjust or "none", note)


def _monthly_tests(
    rows: pd.DataFrame,
    keys: list[str],
    period: pd.Series,
    n: pd.Series,
    pb: tuple[str, ...],
    pa: tuple[str, ...],
    groups: int,
) -> list[Any]:
    """:func:`change_test` of each group's months, in the order of the grouped table."""
    work = rows[keys].assign(_period=period[rows.index], _n=n)
    if not keys:
        series = work.groupby("_period")["_n"].sum()
        return [change_test(series.reindex(pb, fill_value=0), series.reindex(pa, fill_value=0))]
    grid = work.groupby([*keys, "_period"], dropna=False)["_n"].sum().unstack(fill_value=0)
    grid = grid.reindex(columns=[*pb, *pa], fill_value=0).sort_index()
    if len(grid) != groups:
        raise ValueError("groups and their months do not line up")
    return [change_test(r[list(pb)].to_numpy(), r[list(pa)].to_numpy()) for _, r in grid.iterrows()]


def _adjusted(p: pd.Series, adjust: str | None) -> list[float]:
    if adjust is None or len(p) < 2:
        return p.tolist()
    if adjust not in _ADJUST:
        raise ValueError(f"adjust must be one of {sorted(_ADJUST)} or None")
    return multipletests(p.to_numpy(), method=_ADJUST[adjust])[1].tolist()


def _note(m: int, alpha: float, adjust: str | None) -> str:
    chance = f"{m} groups tested: with no real change about {alpha * m:.1f} would have p < {alpha}"
    if adjust is None or m < 2:
        return chance + " by chance; p-values are not adjusted."
    what = {
        "holm": "Holm (chance of any false flag <= alpha)",
        "bh": "Benjamini-Hochberg (expected share of false flags <= alpha)",
        "bonferroni": "Bonferroni (chance of any false flag <= alpha)",
    }[adjust]
    return f"{chance} by chance; significant uses p-values adjusted by {what}."
