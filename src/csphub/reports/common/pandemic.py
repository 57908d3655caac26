"""The pandemic caveat for a monthly product: which of the months a month is compared with
(its seasonal baseline's same months, and the same month last year) fall in the COVID-19
restrictions, and the same month before the pandemic where the store holds it."""

from __future__ import annotations

from collections.abc import Sequence

from csphub.analysis.pandemic import Pandemic
from csphub.analysis.store_inputs import shift_month


def baseline_months(month: str, history: Sequence[str], max_years: int = 3) -> list[str]:
    """The same calendar month in the ``max_years`` years before, where loaded (the months
    ``seasonal_baseline``'s same-month forecast averages)."""
    have = set(history)
    return [m for k in range(1, max_years + 1) if (m := shift_month(month, -12 * k)) in have]


def pre_pandemic_month(pandemic: Pandemic, month: str, history: Sequence[str]) -> str | None:
    """The latest same calendar month of the pre-pandemic years that is loaded, or None."""
    have = set(history)
    candidates = [m for m in have if pandemic.pre_from <= m <= pandemic.pre_to]
    same = sorted(m for m in candidates if m[5:] == month[5:])
    return same[-1] if same else None


def month_caveat(pandemic: Pandemic, month: str, history: Sequence[str]) -> str | None:
    """A sentence when the month, its baseline months or last year's month overlap the
    restrictions; None otherwise."""
    base = baseline_months(month, history)
    last = shift_month(month, -12)
    hit_base = pandemic.overlap(base)
    parts = []
    if pandemic.overlap([month]):
        parts.append(f"{month} itself is in them")
    if hit_base:
        parts.append(
            f"its expected count averages {', '.join(base)}, of which {', '.join(hit_base)} "
            "fell in them"
        )
    if last in history and pandemic.overlap([last]) and last not in hit_base:
        parts.append(f"last year's {last} fell in them")
    if not parts:
        return None
    return (
        f"Pandemic: COVID-19 restrictions ({pandemic.label()}) changed crime and reporting; "
        + "; ".join(parts)
        + ". Expectations and year-on-year changes partly measure lockdown and recovery."
    )
