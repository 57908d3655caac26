"""The opening of the needs assessment (the Duty, the area, the local definition and the
headline figures) and the context other partners' data gives (road danger, deliberate
fires), which is not violence under the Duty but shares its places."""

from __future__ import annotations

from csphub.analysis.roads import severity, year_months
from csphub.reports.common.roads import latest_year
from csphub.reports.document.model import Section, Table
from csphub.reports.svd.context import Context
from csphub.reports.svd.partnership import read_data_file
from csphub.reports.svd.profile import police_test


def summary_section(ctx: Context) -> Section:
    meta, _ = read_data_file("specified_authorities.csv")
    test = police_test(ctx)
    assaults = ctx.assaults()
    if assaults is None:
        ae_text = "No A&E assault data (ISTV) was loaded, so every A&E section says so."
    else:
        months = assaults.assaults["incident_date"].dt.strftime("%Y-%m")
        now = int(months.isin(ctx.current.months).sum())
        ae_text = (
            f"A&E assault attendances placed in the area in {ctx.current_label}: {now:,} "
            f"(sites: {', '.join(assaults.sites) or 'not named'})."
        )
    paragraphs = (
        "The Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2 "
        f"Chapter 1; {meta.get('vintage', '')}) requires the specified authorities to identify "
        "the kinds and causes of serious violence in their area and prepare a strategy; this "
        "strategic needs assessment is the evidence for it.",
        f"Area: {ctx.area.name} ({ctx.area.label}). Period: {ctx.current_label}, compared with "
        f"{ctx.previous_label}.",
        "Local definition of serious violence used here: police.uk "
        f"{', '.join(ctx.definition.policeuk_types)}, and every A&E assault attendance. "
        f"{ctx.definition.coverage_note}",
        f"Police records: {test.c2:,} in {ctx.current_label} against {test.c1:,} in "
        f"{ctx.previous_label}.",
        ae_text,
    )
    return Section("summary", "Summary", paragraphs=paragraphs)


def _road(ctx: Context) -> tuple[str, list[dict[str, object]]]:
    data = ctx.collisions()
    if data is None:
        return "Road collisions (STATS19): none loaded.", []
    covered = set(year_months(data.years))
    months = data.collisions["date"].dt.strftime("%Y-%m")
    now = data.collisions[months.isin(ctx.current.months)]
    inside = [m for m in ctx.current.months if m in covered]
    if inside:
        what, label = f"{len(inside)} months of {ctx.current_label} covered", ctx.current.label
    else:
        now = latest_year(ctx.store, ctx.area, data.years).collisions
        label = str(max(data.years))
        what = (
            f"the years loaded ({', '.join(map(str, data.years))}) do not cover "
            f"{ctx.current_label}; for reference only, {label}"
        )
    s = severity(now)
    casualties = int(now["casualties"].sum())
    text = (
        f"Road collisions (STATS19, police-recorded; {what}): {s.rows:,} injury collisions, "
        f"{s.ksi_recorded:,} killing or seriously injuring someone ({s.fatal:,} fatal, "
        f"{s.serious:,} serious, {s.slight:,} slight; {casualties:,} casualties); KSI "
        f"{s.basis}. Road danger is not violence under the Duty; it is shown as other data of "
        "the specified authorities."
    )
    rows = [
        ("Injury collisions", s.rows),
        ("Fatal", s.fatal),
        ("Serious (recorded)", s.serious),
        ("Slight (recorded)", s.slight),
        ("KSI (recorded)", s.ksi_recorded),
        ("Casualties", casualties),
    ]
    return text, [
        {"Data": "Road collisions (STATS19)", "Period": label, "Measure": m, "Value": v}
        for m, v in rows
    ]


def context_section(ctx: Context) -> Section:
    """Road collisions and deliberate fires in the period, where loaded."""
    text, rows = _road(ctx)
    paragraphs = [text]
    fires = ctx.fires()
    if fires is None:
        paragraphs.append("Fire incidents: none loaded.")
    else:
        months = fires["date"].dt.strftime("%Y-%m")
        now = fires[months.isin(ctx.current.months)]
        deliberate = int(now["deliberate"].fillna(False).astype(bool).sum())
        paragraphs.append(
            f"Fire incidents: {len(now):,} in {ctx.current_label}, {deliberate:,} of them "
            "deliberate (context for criminal damage and antisocial behaviour)."
        )
        rows += [
            {"Data": "Fire incidents", "Period": ctx.current.label, "Measure": m, "Value": v}
            for m, v in (("Incidents", len(now)), ("Deliberate", deliberate))
        ]
    tables = (Table.of("context", "Other partner data", rows),) if rows else ()
    return Section(
        "context", "Context from other partner data", paragraphs=tuple(paragraphs), tables=tables
    )
