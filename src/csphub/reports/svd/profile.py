"""The profile of serious violence: volumes and trends (police and A&E), where (LSOAs, rates
and Gi* hot spots) and when (month; hour and day from A&E and police event extracts)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from csphub.analysis.profiles import time_profile
from csphub.analysis.store_inputs import Period
from csphub.analysis.trends import change_test
from csphub.reports.assess import places
from csphub.reports.common.assaults import (
    NONE_LOADED,
    change_from_counts,
    joint_figure,
    monthly_counts,
)
from csphub.reports.common.change import change_table, verdict_words
from csphub.reports.common.places import ALPHA
from csphub.reports.common.profiles import time_figures
from csphub.reports.document.model import Section, Table
from csphub.reports.svd.context import Context

TOP_LSOAS = 10


def police_test(ctx: Context):
    """The dispersion-aware test of the definition's police.uk records per month."""
    frame = ctx.police(["month"], Period(ctx.previous.start, ctx.current.end))
    monthly = frame.set_index("month")["count"]
    before = [int(monthly.get(m, 0)) for m in ctx.previous.months]
    after = [int(monthly.get(m, 0)) for m in ctx.current.months]
    return change_test(before, after)


def _type_table(ctx: Context) -> Table:
    rows: list[dict[str, Any]] = []
    now = ctx.police(["crime_type"]).set_index("crime_type")["count"]
    before = ctx.police(["crime_type"], ctx.previous).set_index("crime_type")["count"]
    for t in ctx.definition.policeuk_types:
        a, b = int(before.get(t, 0)), int(now.get(t, 0))
        rows.append({"Crime type": t, ctx.previous.label: a, ctx.current.label: b, "Change": b - a})
    return Table.of("volume-types", "Police.uk records by crime type", rows)


def _ae_paragraph(ctx: Context, ae: pd.Series, months: tuple[str, ...]) -> tuple[str, list]:
    """The A&E change in words, and its test table (none when a period has no extract)."""
    covered = set(months)
    test = change_from_counts(ae, covered, ctx.previous.months, ctx.current.months)
    if test is None:
        inside = [m for m in ctx.current.months if m in covered]
        current = sum(int(ae.get(m, 0)) for m in inside)
        return (
            f"A&E assaults: {current:,} in the {len(inside)} months of {ctx.current_label} "
            "with an extract; the extracts do not cover both periods, so no change is tested."
        ), []
    text = (
        f"A&E assaults: {test.c2:,} in {ctx.current_label} ({int(test.n2)} months with an "
        f"extract) against {test.c1:,} in {ctx.previous_label} ({int(test.n1)} months): "
        f"{verdict_words(test)}."
    )
    return text, [("A&E assaults", test)]


def volumes_section(ctx: Context) -> Section:
    test = police_test(ctx)
    paragraphs = [
        f"Police records ({', '.join(ctx.definition.policeuk_types)}): {test.c2:,} in "
        f"{ctx.current_label} against {test.c1:,} in {ctx.previous_label}: "
        f"{verdict_words(test)}."
    ]
    tests = [("Police records", test)]
    data = ctx.assaults()
    window = list(ctx.window)
    police = ctx.police(["month"], Period(window[0], window[-1]))
    ae = pd.Series(dtype=int)
    if data is None:
        paragraphs.append(NONE_LOADED)
    else:
        ae = monthly_counts(data.assaults["incident_date"])
        text, more = _ae_paragraph(ctx, ae, data.months)
        paragraphs.append(text)
        tests += more
    figure = joint_figure(
        "volume",
        window,
        police.set_index("month")["count"],
        ae,
        # Assaults are read for the two periods only: earlier extract months are gaps too.
        {m for m in data.months if m >= ctx.previous.start} if data is not None else set(),
        f"Police records and A&E assaults per month, {ctx.area.name}",
        police_label="Police records",
    )
    tables = [
        _type_table(ctx),
        change_table(
            "volume-test",
            "The change tests of police records and A&E assaults per month",
            tests,
            ctx.previous.label,
            ctx.current.label,
        ),
    ]
    return Section(
        "volumes",
        "Volumes and trends",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        figures=(figure,),
    )


def _lsoa_counts(ctx: Context) -> pd.Series:
    frame = ctx.police(["lsoa_code"])
    series = frame.set_index("lsoa_code")["count"] if len(frame) else pd.Series(dtype=int)
    return series.reindex(list(ctx.area.lsoa_codes), fill_value=0).astype("int64")


def where_section(ctx: Context) -> Section:
    counts = _lsoa_counts(ctx)
    names = places.names(ctx)  # type: ignore[arg-type]
    rate = places.per_1000(counts, ctx.lsoa_population)
    ae_counts = pd.Series(dtype=int)
    if (data := ctx.assaults()) is not None:
        current = data.assaults[
            data.assaults["incident_date"].dt.strftime("%Y-%m").isin(ctx.current.months)
        ]
        ae_counts = current["lsoa"].value_counts()
    top = counts.sort_values(ascending=False, kind="stable").head(TOP_LSOAS)
    rows = [
        {
            "LSOA": code,
            "Name": names.get(code, code),
            "Police records": int(n),
            "Per 1,000 residents": None if pd.isna(rate.get(code)) else round(float(rate[code]), 1),
            "A&E assaults": int(ae_counts.get(code, 0)) if data is not None else None,
        }
        for code, n in top.items()
        if n > 0
    ]
    total = int(counts.sum())
    share = int(top.sum()) / total if total else 0.0
    paragraphs = [
        f"The {len(rows)} LSOAs with most police records hold {100 * share:.0f}% of the area's "
        f"{total:,} records in {ctx.current_label}."
    ]
    figures = []
    drawn = places.hotspot_map(
        ctx,  # type: ignore[arg-type]
        counts,
        title=f"Serious violence: Gi* hot spots by LSOA, {ctx.current_label}",
        period_label=ctx.current_label,
        value_label="Police records",
        id="where-map",
    )
    if isinstance(drawn, str):
        paragraphs.append(f"No hot spot map: {drawn}.")
    else:
        figures.append(drawn.figure)
        paragraphs.append(
            f"Hot spots: {drawn.result.n_hot} LSOA(s) are significant hot spots of police records "
            f"(Getis-Ord Gi*, queen contiguity, {ctx.permutations:,} permutations, seed "
            f"{ctx.seed}, false discovery rate {ALPHA:g})."
        )
    table = Table.of(
        "where-lsoas", f"The LSOAs with most police records, {ctx.current_label}", rows
    )
    return Section(
        "where", "Where", paragraphs=tuple(paragraphs), tables=(table,), figures=tuple(figures)
    )


def _police_events(ctx: Context) -> pd.DataFrame | None:
    """Police event rows of the definition's crime types in the period, or None."""
    from csphub.analysis.store_inputs import events_frame
    from csphub.analysis.store_inputs.partner import has_view

    if not has_view(ctx.store, "events"):
        return None
    start, end = ctx.dates()
    frame = events_frame(ctx.store, area=ctx.area, date_from=start, date_to=end)
    frame = frame[frame["crime_type"].isin(ctx.definition.policeuk_types)]
    when = pd.to_datetime(frame["occurred_at"])
    frame = frame.assign(hour=when.dt.hour, weekday=when.dt.day_of_week + 1)
    return frame[when.dt.strftime("%Y-%m").isin(ctx.current.months)]


def when_section(ctx: Context) -> Section:
    paragraphs = [
        "police.uk gives only the month of each crime, so the hour and day come from the A&E "
        "extracts and from any police event extract loaded."
    ]
    figures = []
    rows: list[dict[str, Any]] = []
    data = ctx.assaults()
    if data is None:
        paragraphs.append(NONE_LOADED)
    else:
        current = data.assaults[
            data.assaults["incident_date"].dt.strftime("%Y-%m").isin(ctx.current.months)
        ]
        profile = time_profile(current)
        rows.append(
            {"Data": "A&E assaults", "Rows": len(current), "Without an hour": profile.no_hour}
        )
        figures += time_figures(
            profile, "when-ae", "A&E assaults", f"{ctx.area.name}, {ctx.current_label}"
        )
        if profile.busiest_hour is not None:
            paragraphs.append(
                f"A&E assaults peak in the hour from {profile.busiest_hour:02d}:00 and on "
                f"{profile.busiest_weekday}s."
            )
    events = _police_events(ctx)
    if events is None or events.empty:
        paragraphs.append("No police event extract with times is loaded for the period.")
    else:
        profile = time_profile(events)
        rows.append(
            {"Data": "Police events", "Rows": len(events), "Without an hour": profile.no_hour}
        )
        figures += time_figures(
            profile, "when-police", "Police events", f"{ctx.area.name}, {ctx.current_label}"
        )
        paragraphs.append(
            f"Police event extract: {len(events):,} events of these crime types; they peak in "
            f"the hour from {profile.busiest_hour:02d}:00 and on {profile.busiest_weekday}s."
        )
    tables = (Table.of("when-sources", "The data with times", rows),) if rows else ()
    return Section(
        "when", "When", paragraphs=tuple(paragraphs), tables=tables, figures=tuple(figures)
    )
