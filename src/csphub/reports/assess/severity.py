"""Harm per resident beside the published ONS Crime Severity Score, where a CSS file is
given, with the gap and the reasons for it; and the caveat on rates per resident where
residents are few and visitors many (town centres)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csphub.analysis.store_inputs import InputError
from csphub.reports.document.model import Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context
    from csphub.reports.assess.measures import AreaTotals

#: Why police.uk harm per resident differs from a published CSS: all are known properties
#: of the data (docs/analysis.md, Harm), said beside the figure.
REASONS = (
    "police.uk has no fraud or computer misuse (recorded by Action Fraud), which the CSS counts",
    "police.uk crime types are coarse groups, each weighted by one rolled-up CSS weight, where "
    "ONS weights each Home Office offence code",
    "the weights are national averages of one vintage (c. 2020); ONS uses the weights of the "
    "year published",
    "rows without a location cannot be placed in the area and are left out of its harm",
    "the periods and population estimates may differ (see the table)",
)


@dataclass(frozen=True)
class PublishedCSS:
    """A published Crime Severity Score of the assessed area, and what it covers."""

    score: float
    label: str
    path: str


def read_css(path: Path, area_code: str, label: str) -> PublishedCSS | None:
    """The score of ``area_code`` in a CSV whose first column is an area code and second a
    score (ONS's ``:`` for suppressed is no score); None when the area is not in it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"--css {path}: {exc.strerror}") from None
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip() == area_code:
            try:
                return PublishedCSS(float(row[1]), label, str(path))
            except ValueError:
                return None
    return None


def css_table(ctx: Context, totals: AreaTotals, css: PublishedCSS) -> tuple[Table, str] | None:
    """Harm per resident against the published score, the gap and why."""
    if not ctx.population:
        return None
    ours = totals.harm_current / ctx.population
    gap = 100 * (ours - css.score) / css.score
    rows = [
        {
            "Measure": "Harm per resident (police.uk, CSS weights)",
            "Period": ctx.current_label,
            "Value": round(ours, 2),
        },
        {
            "Measure": "ONS Crime Severity Score (published)",
            "Period": css.label,
            "Value": round(css.score, 2),
        },
        {"Measure": "Gap (%)", "Period": None, "Value": round(gap, 1)},
    ]
    text = (
        f"Harm per resident here is {abs(gap):.1f}% {'below' if gap < 0 else 'above'} the "
        f"published ONS Crime Severity Score for {ctx.area.name} ({css.label}). Known reasons: "
        + "; ".join(REASONS)
        + "."
    )
    return Table.of("harm-against-css", "Harm per resident against the published ONS Crime "
                    "Severity Score", rows), text  # fmt: skip


def town_centre_caveat() -> str:
    """Rates per resident where the people present are mostly not residents."""
    return (
        "Rates per resident: in town-centre, seafront and other visitor LSOAs few people live "
        "but many visit, work or go out, so crime and harm per resident there are high because "
        "the residents are few, not because residents face that risk; read those LSOAs' rates "
        "as where harm falls, and their counts beside them."
    )
