"""Recommendations: a draft the partnership edits before publishing, seeded from the
findings (the ranked priorities, the key threats, what the data cannot measure and what is
missing). The seeded rows are written to data/recommendations.csv; ``csphub assess
--recommendations FILE`` prints the partnership's edited file instead."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.store_inputs import InputError
from csphub.reports.assess.measures import Measures, NoData
from csphub.reports.assess.scoring import Score
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

COLUMNS = ("Recommendation", "Based on", "Lead")
#: Priorities scoring at least this (of 16) are recommended to stay priorities.
KEEP_SCORE = 8


def seeded(
    ctx: Context, measured: list[Measures | NoData], scores: list[Score], threats: pd.DataFrame
) -> list[dict[str, str]]:
    """Draft recommendations from the findings, most important first."""
    by_id = {m.priority.id: m.priority for m in measured}
    rows = []
    for s in scores:
        lead = by_id[s.priority_id].lead
        if s.score >= KEEP_SCORE:
            rows.append(
                {
                    "Recommendation": f"Keep {s.title} as a priority and task partners to it.",
                    "Based on": f"score {s.score} of 16 ({s.basis}; {s.confidence} confidence)",
                    "Lead": lead,
                }
            )
        else:
            rows.append(
                {
                    "Recommendation": f"Review whether {s.title} still needs to be a priority.",
                    "Based on": f"score {s.score} of 16 ({s.basis})",
                    "Lead": lead,
                }
            )
    covered = {t for m in measured if not isinstance(m, NoData) for t in m.priority.policeuk_types}
    for _, r in threats.iterrows():
        if r["crime_type"] not in covered:
            rows.append(
                {
                    "Recommendation": f"Ask a partnership group to look into the rise in "
                    f"{r['crime_type'].lower()}, which no priority covers.",
                    "Based on": f"a significant rise of {int(r['change']):+,} ({r['test']})",
                    "Lead": "",
                }
            )
    for m in measured:
        if isinstance(m, NoData):
            rows.append(
                {
                    "Recommendation": f"Obtain the data to measure {m.priority.title}: "
                    f"{m.priority.needs}",
                    "Based on": m.reason,
                    "Lead": m.priority.lead,
                }
            )
    if ctx.missing:
        rows.append(
            {
                "Recommendation": "Load the police.uk months missing from the store and re-run.",
                "Based on": f"months not loaded: {runs(ctx.missing)}",
                "Lead": "Community safety analyst",
            }
        )
    return rows


def read_recommendations(path: Path) -> list[dict[str, str]]:
    """The partnership's edited recommendations (the columns of data/recommendations.csv)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"--recommendations {path}: {exc.strerror}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and "Recommendation" not in rows[0]:
        raise InputError(f"--recommendations {path}: needs a Recommendation column")
    return [{c: (r.get(c) or "").strip() for c in COLUMNS} for r in rows if r.get("Recommendation")]


def recommendations_section(ctx: Context, rows: list[dict[str, str]], edited: bool) -> Section:
    status = (
        "These are the partnership's recommendations."
        if edited
        else "A draft seeded from the findings above, for the partnership to edit before "
        "publishing: change data/recommendations.csv (add, remove or reword rows, name a "
        "lead) and build the assessment again with --recommendations pointing at it."
    )
    table = Table.of("recommendations", "Recommendations", rows, COLUMNS)
    title = "Recommendations" if edited else "Recommendations (draft for the partnership)"
    return Section("recommendations", title, (status,), (table,) if rows else ())
