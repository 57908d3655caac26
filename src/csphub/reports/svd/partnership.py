"""Whose data this assessment used (the Duty's specified authorities), the data gaps by
name, and the section the partnership fills in: the interventions and cohorts, drafted from
the findings and replaced by the partnership's own file (``--interventions``)."""

from __future__ import annotations

import csv
from pathlib import Path

from csphub.analysis.harm import read_commented_csv
from csphub.analysis.store_inputs import InputError
from csphub.analysis.store_inputs.partner import has_view
from csphub.reports.common.profiles import top_value
from csphub.reports.document.model import Section, Table
from csphub.reports.svd.context import Context

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "svd"
INTERVENTION_COLUMNS = (
    "Cohort or place",
    "Evidence in this assessment",
    "Intervention",
    "Lead authority",
    "Partners",
    "Funding",
    "Review date",
)


def read_data_file(name: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    path = DATA_DIR / name
    return read_commented_csv(path.read_text(encoding="utf-8"), str(path))


def loaded(ctx: Context) -> dict[str, int]:
    """Rows of each store view this assessment used for the area and period (0 = none)."""
    street = int(ctx.police(["crime_type"])["count"].sum())
    assaults, collisions, fires = ctx.assaults(), ctx.collisions(), ctx.fires()
    return {
        "street": street,
        "events": int(has_view(ctx.store, "events")),
        "ae_assaults": 0 if assaults is None else len(assaults.assaults),
        "collisions": 0
        if collisions is None
        else len(collisions.collisions) or len(collisions.years),
        "fire_incidents": 0 if fires is None else len(fires),
        "fire_aggregates": int(has_view(ctx.store, "fire_aggregates")),
        "deprivation": int(ctx.store.has_rows("deprivation")),
        "population": int(ctx.lsoa_population is not None),
    }


def authorities_section(ctx: Context) -> Section:
    meta, rows = read_data_file("specified_authorities.csv")
    _, sources = read_data_file("data_sources.csv")
    names = {r["view"]: r["dataset"] for r in sources if r["view"]}
    have = loaded(ctx)
    table_rows, used = [], []
    for r in rows:
        views = [v for v in r["csphub_data"].split(";") if v]
        present = [v for v in views if have.get(v)]
        if present:
            used.append(r["authority"])
        table_rows.append(
            {
                "Authority": r["authority"],
                "Role under the Duty": r["role"],
                "Data used here": "; ".join(names.get(v, v) for v in present) or "none",
                "What csphub can hold": r["what"],
            }
        )
    paragraphs = (
        "This assessment used data of: " + ("; ".join(used) if used else "no authority") + ".",
        "The others' data is not in this assessment (see Data gaps).",
        f"Source of the list: {meta.get('source', '')}",
    )
    return Section(
        "data-used",
        "Specified authorities and the data used",
        paragraphs=paragraphs,
        tables=(Table.of("authorities", "The Duty's authorities and their data here", table_rows),),
    )


def gaps_section(ctx: Context) -> Section:
    meta, rows = read_data_file("data_sources.csv")
    have = loaded(ctx)
    table_rows = [
        {
            "Data": r["dataset"],
            "Held by": r["authority"],
            "In this assessment": "yes" if r["view"] and have.get(r["view"]) else "no",
            "What it adds": r["adds"],
        }
        for r in rows
    ]
    gaps = [r["Data"] for r in table_rows if r["In this assessment"] == "no"]
    return Section(
        "data-gaps",
        "Data gaps",
        paragraphs=(
            f"{len(gaps)} of the {len(rows)} kinds of data a needs assessment draws on are not in "
            "this one: " + "; ".join(gaps) + ".",
            f"Source of the list: {meta.get('source', '')}",
        ),
        tables=(
            Table.of("data-gaps", "Data a needs assessment draws on, and what is here", table_rows),
        ),
    )


def seeded(ctx: Context, hot: list[str], ae_frame) -> list[dict[str, str]]:
    """Draft rows from the findings: cohorts and places to consider, the rest left to fill."""
    rows = []
    if hot:
        rows.append(
            {
                "Cohort or place": "The hot spot LSOAs",
                "Evidence in this assessment": "Where: " + ", ".join(hot),
            }
        )
    if ae_frame is not None and len(ae_frame):
        for column, what in (
            ("age_band", "age band"),
            ("assailant", "assailant"),
            ("location_type", "location"),
        ):
            if top := top_value(ae_frame, column):
                rows.append(
                    {
                        "Cohort or place": f"A&E assaults, {what}: {top.split(' (')[0]}",
                        "Evidence in this assessment": f"Who / where: most often {top}",
                    }
                )
    rows.append(
        {
            "Cohort or place": "Young people at risk (school exclusion, exploitation)",
            "Evidence in this assessment": "Not in the data here: see Data gaps",
        }
    )
    return [{c: r.get(c, "") for c in INTERVENTION_COLUMNS} for r in rows]


def read_interventions(path: Path) -> list[dict[str, str]]:
    """The partnership's interventions file (the columns of ``data/interventions.csv``)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"--interventions: cannot read {path}: {exc.strerror}") from None
    if rows and (missing := [c for c in INTERVENTION_COLUMNS if c not in rows[0]]):
        raise InputError(f"--interventions {path}: header lacks {', '.join(missing)}")
    return [{c: (r.get(c) or "").strip() for c in INTERVENTION_COLUMNS} for r in rows]


def interventions_section(rows: list[dict[str, str]], edited: bool) -> Section:
    if edited:
        text = (
            "The partnership's interventions and cohorts, as agreed (from the file given with "
            "--interventions)."
        )
    else:
        text = (
            "For the partnership to complete: the cohorts and places below are drafted from "
            "this assessment's findings; the interventions, leads, funding and review dates are "
            "for the partnership to agree. Edit data/interventions.csv and run csphub svd-needs "
            "again with --interventions FILE to print the agreed version here."
        )
    return Section(
        "interventions",
        "Interventions and cohorts (completed by the partnership)",
        paragraphs=(text,),
        tables=(
            Table.of("interventions", "Interventions and cohorts", rows, INTERVENTION_COLUMNS),
        ),
    )
