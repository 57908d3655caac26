"""Rank the priorities: impact (share of harm) x likelihood (direction of change), 1 to 16,
with a confidence that says how well the data measures each priority.

Pure: measures in, ranked rows out. The thresholds come from the scoring file.
"""

from __future__ import annotations

from dataclasses import dataclass

from csphub.reports.assess.config import Scoring
from csphub.reports.assess.measures import POLICE_UK, AreaTotals, Measures, NoData
from csphub.reports.common.roads import STATS19

LIKELIHOOD_TEXT = {
    4: "significant rise",
    3: "rise, not significant",
    2: "no rise",
    1: "significant fall",
}


@dataclass(frozen=True)
class Score:
    """The score of one measured priority (``rank`` 1 is the highest)."""

    priority_id: str
    title: str
    share: float
    share_of: str
    impact: int
    likelihood: int
    score: int
    confidence: str
    reasons: str
    rank: int = 0
    basis: str = ""


def likelihood(measures: Measures, alpha: float) -> int:
    """Likelihood from the change against the previous period alone."""
    test = measures.test
    significant = test.p_value < alpha
    if test.rate_change > 0:
        return 4 if significant else 3
    if test.rate_change < 0 and significant:
        return 1
    return 2


def pandemic_likelihood(
    measures: Measures, alpha: float, previous_in_pandemic: bool
) -> tuple[int, str]:
    """Likelihood, and how it was reached, taking the pre-pandemic comparison into account.

    Where the previous period overlaps the pandemic and the store holds the same months
    before it, a significant rise that leaves the priority significantly *below* its
    pre-pandemic level is scored 3 (a rise, not above normal), and a significant fall that
    leaves it significantly *above* that level is scored 3 too (still above normal). Every
    other case keeps the previous-period likelihood.
    """
    level = likelihood(measures, alpha)
    basis = f"{LIKELIHOOD_TEXT[level]} against the previous period ({measures.test.test})"
    pre = measures.pre
    if not previous_in_pandemic:
        return level, basis
    if pre is None:
        return level, basis + "; previous period in the pandemic, no pre-pandemic months loaded"
    below = pre.test.p_value < alpha and pre.test.rate_change < 0
    above = pre.test.p_value < alpha and pre.test.rate_change > 0
    if level == 4 and below:
        return 3, (
            f"{basis}, but significantly below the pre-pandemic level "
            f"({pre.test.pct_change:+.0f}%): scored 3, a recovery, not a rise above normal"
        )
    if level == 1 and above:
        return 3, (
            f"{basis}, but still significantly above the pre-pandemic level "
            f"({pre.test.pct_change:+.0f}%): scored 3, above normal"
        )
    return level, basis + "; the pre-pandemic comparison does not change it"


def _share(measures: Measures, totals: AreaTotals) -> tuple[float, str]:
    if measures.weighted:
        whole = totals.harm_current
        return (measures.harm_current / whole if whole else 0.0), "harm"
    whole = totals.total("current", asb=False) + totals.total("current", asb=True)
    if measures.source == STATS19:
        whole += measures.current
        share = measures.current / whole if whole else 0.0
        return share, "records (police.uk crime and ASB with the road collisions)"
    return (measures.current / whole if whole else 0.0), "records"


def confidence(measures: Measures, scoring: Scoring) -> tuple[str, str]:
    """High, Medium or Low, and why."""
    reasons = []
    fewest = min(measures.current, measures.previous)
    if fewest < scoring.low_count:
        return "Low", f"fewer than {scoring.low_count} records in a period"
    if measures.source not in (POLICE_UK, STATS19):
        reasons.append("measured from a partner extract")
    if measures.priority.proxy and not measures.joined:
        reasons.append("the data measures something wider than the priority (police.uk only)")
    reasons += list(measures.reasons)
    if not measures.weighted:
        reasons.append("no harm weight, impact from volume")
    if fewest < scoring.high_count:
        reasons.append(f"fewer than {scoring.high_count} records in a period")
    if not reasons:
        if measures.joined:
            return "High", (
                f"police.uk's wider category read with {', '.join(measures.joined)} for the "
                "same months, enough records"
            )
        return "High", "measured directly, enough records"
    return "Medium", "; ".join(reasons)


def score_priorities(
    measured: list[Measures | NoData],
    totals: AreaTotals,
    scoring: Scoring,
    previous_in_pandemic: bool = False,
) -> list[Score]:
    """Scores of the measured priorities, ranked by score, then share, then plan order;
    ``previous_in_pandemic`` brings in the pre-pandemic comparison (see
    :func:`pandemic_likelihood`)."""
    scores = []
    for m in measured:
        if isinstance(m, NoData):
            continue
        share, share_of = _share(m, totals)
        impact = scoring.impact(share)
        like, basis = pandemic_likelihood(m, scoring.alpha, previous_in_pandemic)
        level, why = confidence(m, scoring)
        scores.append(
            Score(
                m.priority.id,
                m.priority.title,
                share,
                share_of,
                impact,
                like,
                impact * like,
                level,
                why,
                basis=basis,
            )
        )
    order = {m.priority.id: m.priority.order for m in measured}
    scores.sort(key=lambda s: (-s.score, -s.share, order[s.priority_id]))
    return [Score(**{**s.__dict__, "rank": i}) for i, s in enumerate(scores, start=1)]
