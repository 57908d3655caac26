"""The A&E assault parts of a product (ISTV, ISB1594 fields): where, when, weapon,
assailant, who was injured, the night-time economy, the joint monthly picture with police
violence, and the estimate of the share of A&E assaults police data holds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from csphub.analysis.linkage import LIMITS, METHOD, LinkEstimate
from csphub.analysis.profiles import NTE_FROM, NTE_TO, night_time_economy, time_profile
from csphub.analysis.trends import ChangeTest, change_test
from csphub.reports.common.profiles import category_table, time_figures, top_value
from csphub.reports.common.roads import Parts
from csphub.reports.document.model import Figure, Table
from csphub.reports.svg import line_chart

#: police.uk categories set against A&E assaults (assaults with injury fall in these).
LINK_TYPES = ("Violence and sexual offences", "Robbery")
ISTV = "A&E assault attendances (ISTV, ISB1594)"
NONE_LOADED = (
    "No A&E assault data (ISTV) is loaded, so the violence that reaches A&E but not the police "
    "cannot be seen: load the A&E extract with csphub ingest istv."
)
FIELDS = (
    ("location_type", "Location type", "where the assault happened"),
    ("weapon", "Weapon (means of assault)", "the means of assault"),
    ("assailant", "Assailant", "who the assailant was"),
    ("age_band", "Age band", "age band of the injured"),
    ("sex", "Sex", "sex of the injured"),
)


def nte_words(count: int, total: int) -> str:
    share = f" ({100 * count / total:.0f}%)" if total else ""
    return (
        f"Night-time economy: {count:,} of {total:,} assaults{share} happened on Friday or "
        f"Saturday night ({NTE_FROM:02d}:00 to {NTE_TO - 1:02d}:59 the next morning)."
    )


def nte_table(id: str, count: int, total: int, label: str) -> Table:
    """The night-time economy count and share (the numbers of :func:`nte_words`)."""
    rows = [
        {"Measure": "A&E assaults", "Value": total},
        {"Measure": "On Friday or Saturday night", "Value": count},
        {"Measure": "Share (%)", "Value": round(100 * count / total) if total else None},
    ]
    return Table.of(id, f"A&E assaults in the night-time economy, {label}", rows)


def ae_change(
    dates: pd.Series, covered: set[str], previous: tuple[str, ...], current: tuple[str, ...]
) -> ChangeTest | None:
    """The dispersion-aware test of A&E assaults per month over the months of each period
    an extract covers (None when a period has none)."""
    return change_from_counts(monthly_counts(dates), covered, previous, current)


def change_from_counts(
    counts: pd.Series, covered: set[str], previous: tuple[str, ...], current: tuple[str, ...]
) -> ChangeTest | None:
    """The change test of counts by ``YYYY-MM`` over the months of each period that the
    data covers (None when a period has none)."""
    sides = [[m for m in p if m in covered] for p in (previous, current)]
    if not sides[0] or not sides[1]:
        return None
    return change_test(*([int(counts.get(m, 0)) for m in side] for side in sides))


def coverage_table(
    id: str, sites: tuple[str, ...], months: tuple[str, ...], unplaced: int
) -> Table:
    """What the A&E extracts cover, and the assaults that cannot be placed in the area."""
    rows = [
        {"Measure": "A&E sites", "Value": "; ".join(sites) or "not named"},
        {"Measure": "Months with an extract", "Value": len(months)},
        {"Measure": "A&E assaults without an LSOA (left out)", "Value": unplaced},
    ]
    return Table.of(id, "The A&E extracts loaded", rows)


def assault_parts(prefix: str, assaults: pd.DataFrame, label: str, where: str) -> Parts:
    """A&E assaults of one period: counts by each ISB1594 field and by time."""
    parts = Parts()
    n = len(assaults)
    parts.paragraphs.append(f"A&E assaults: {n:,} attendances for assault in {where}, {label}.")
    if not n:
        return parts
    found = []
    for column, heading, what in FIELDS:
        parts.tables.append(
            category_table(
                assaults,
                column,
                f"{prefix}-{column.replace('_', '-')}",
                f"A&E assaults by {what}, {label}",
                heading,
            )
        )
        if column in ("location_type", "weapon", "assailant") and (
            top := top_value(assaults, column)
        ):
            found.append(f"{heading.split(' (')[0].lower()}: most often {top}")
    if found:
        parts.paragraphs.append(
            "Of the assaults with the field recorded, " + "; ".join(found) + "."
        )
    nte = night_time_economy(assaults)
    parts.paragraphs.append(nte_words(nte, n))
    parts.tables.append(nte_table(f"{prefix}-nte", nte, n, label))
    profile = time_profile(assaults)
    parts.figures += time_figures(profile, f"{prefix}-time", "A&E assaults", f"{where}, {label}")
    return parts


def joint_figure(
    prefix: str,
    months: list[str],
    police: pd.Series,
    ae: pd.Series,
    ae_months: set[str],
    title: str,
    police_label: str = "Police violence and robbery records",
) -> Figure:
    """Police records and A&E assaults per month on one chart; A&E months not covered by an
    extract are gaps, not zeros."""
    police_values = [int(police.get(m, 0)) for m in months]
    ae_values = [int(ae.get(m, 0)) if m in ae_months else None for m in months]
    svg = line_chart(
        {police_label: police_values, "A&E assaults": ae_values},
        title=title,
        description=(
            f"{police_label} (police.uk) and A&E assault attendances per month, {months[0]} to "
            f"{months[-1]}. Months without an A&E extract are gaps."
        ),
        y_label="Per month",
        x_labels=months,
        id=f"{prefix}-joint",
    )
    return Figure(svg, Table.of(f"{prefix}-joint", svg.title, svg.table, svg.columns))


def link_parts(prefix: str, estimate: LinkEstimate, label: str) -> Parts:
    """The estimate of the share of A&E assaults police data holds, with method and limits."""
    parts = Parts()
    at_most, none_there = estimate.share_at_most, estimate.share_not_held
    if at_most is None or none_there is None:
        parts.paragraphs.append(
            "Share held by police: no A&E assault in the period has both an LSOA and a date, "
            "so none can be set against police data."
        )
        return parts
    parts.paragraphs += [
        f"Share held by police (an estimate): of the {estimate.linkable:,} A&E assaults of "
        f"{label} with an LSOA and a date, at most {estimate.at_most_held:,} "
        f"({100 * at_most:.0f}%) could be among the police's violence records of the same LSOA "
        f"and month, and {100 * none_there:.0f}% happened in an LSOA and month with no police "
        f"violence record at all."
        + (
            f" {estimate.assaults - estimate.linkable:,} had no date and could not be linked."
            if estimate.assaults > estimate.linkable
            else ""
        ),
        f"Method: {METHOD}",
        f"Limits: {LIMITS}",
    ]
    rows = [
        {"Measure": "A&E assaults", "Value": estimate.assaults},
        {"Measure": "Linkable (LSOA and date known)", "Value": estimate.linkable},
        {"Measure": "In an LSOA-month with police violence", "Value": estimate.in_police_cells},
        {"Measure": "At most held by police (upper bound)", "Value": estimate.at_most_held},
        {"Measure": "Upper bound as a share of linkable (%)", "Value": round(100 * at_most, 1)},
        {
            "Measure": "In LSOA-months with no police violence (%)",
            "Value": round(100 * none_there, 1),
        },
    ]
    parts.tables.append(
        Table.of(f"{prefix}-police-share", f"A&E assaults police data may hold, {label}", rows)
    )
    cells = [
        {
            "LSOA": r.lsoa,
            "Month": r.month,
            "A&E assaults": int(r.ae),
            "Police violence records": int(r.police),
            "At most held": int(r.at_most_held),
        }
        for r in estimate.table.itertuples()
    ]
    parts.tables.append(
        Table.of(
            f"{prefix}-police-share-cells",
            f"A&E assaults against police violence by LSOA and month, {label}",
            cells,
            ["LSOA", "Month", "A&E assaults", "Police violence records", "At most held"],
            reference=True,
        )
    )
    return parts


def monthly_counts(dates: pd.Series) -> pd.Series:
    """Rows per ``YYYY-MM`` of a datetime series (NaT left out)."""
    valid = pd.to_datetime(dates, errors="coerce").dropna()
    if valid.empty:
        return pd.Series(dtype="int64")
    return valid.dt.strftime("%Y-%m").value_counts().sort_index().astype(np.int64)
