"""A change between two periods in words and as a table row: the verdict, the test that
made it and its p-value, with the same rounding in both, so every number of the sentence is
in the table."""

from __future__ import annotations

from typing import Any

from csphub.analysis.trends import ChangeTest
from csphub.analysis.trends.dispersion import QUASI
from csphub.reports.common.pvalues import p_table, p_text
from csphub.reports.document.model import Table


def verdict_words(test: ChangeTest, alpha: float = 0.05) -> str:
    """ "up 12 (8.0%), not a significant change (Poisson E-test, p = 0.41)"."""
    direction = "up" if test.change > 0 else "down" if test.change < 0 else "unchanged"
    amount = f" {abs(test.change):,}" if test.change else ""
    pct = f" ({abs(test.pct_change):.1f}%)" if test.pct_change is not None and test.change else ""
    if test.p_value < alpha:
        verdict = "a significant rise" if test.change > 0 else "a significant fall"
    else:
        verdict = "not a significant change"
    name = test.test
    if test.test == QUASI and test.dispersion is not None:
        name = f"{QUASI} test, months vary {test.dispersion:.1f} times as much as Poisson"
    return f"{direction}{amount}{pct}, {verdict} ({name}, {p_text(test.p_value)})"


def change_row(measure: str, test: ChangeTest, previous: str, current: str) -> dict[str, Any]:
    """One table row of a change test (columns as :func:`change_table`)."""
    return {
        "Measure": measure,
        previous: test.c1,
        current: test.c2,
        "Change": test.change,
        "Change (%)": None if test.pct_change is None else round(test.pct_change, 1),
        "Test": test.test,
        "p": p_table(test.p_value),
        "Monthly dispersion (1 is Poisson)": None
        if test.dispersion is None
        else round(test.dispersion, 1),
        "Months compared": f"{int(test.n1)} and {int(test.n2)}",
    }


def change_table(
    id: str, caption: str, rows: list[tuple[str, ChangeTest]], previous: str, current: str
) -> Table:
    """A table of change tests, one row per (measure, test)."""
    return Table.of(id, caption, [change_row(m, t, previous, current) for m, t in rows])
