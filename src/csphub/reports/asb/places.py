"""Problem places: the LSOAs with most ASB and a Gi* hotspot map of the quarter, wards,
repeat locations (:mod:`.locations`) and concentration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.concentration import concentration
from csphub.analysis.store_inputs import (
    InputError,
    area_population,
    concentration_units,
    lsoa_boundaries,
    lsoa_counts,
    street_counts,
)
from csphub.reports.asb.context import ASB_WHERE, rate_per_1000
from csphub.reports.asb.locations import PERSISTENT, TOP, locations_section
from csphub.reports.common.places import gistar_lsoas, hotspot_figure, lsoa_names, ward_names
from csphub.reports.document.model import Figure, Section, Table

if TYPE_CHECKING:
    from csphub.analysis.store_inputs import Period
    from csphub.reports.asb.context import Context

#: Concentration: share of ASB in the busiest fraction of places.
BUSIEST = 0.10
HOT_SPOTS = "LSOAs that are Gi* hot spots"
GI_LABELS = {"hot": "Hot spot", "cold": "Cold spot", "none": "Not significant"}


def places_section(ctx: Context) -> Section:
    now = lsoa_counts(ctx.store, ctx.quarter, ctx.area, ASB_WHERE)
    last_year = ctx.shifted(-4)
    before = (
        lsoa_counts(ctx.store, last_year, ctx.area, ASB_WHERE) if ctx.loaded(last_year) else None
    )
    names = lsoa_names(ctx.store, list(ctx.area.lsoa_codes))
    glance: list[dict[str, Any]] = [
        {"Measure": "LSOAs in the area", "Value": len(ctx.area.lsoa_codes)},
        {"Measure": "LSOAs with ASB this quarter", "Value": int((now > 0).sum())},
    ]
    hotspots, figure, gi_note = _hotspots(ctx, now, names)
    if hotspots is not None:
        glance += [
            {"Measure": HOT_SPOTS, "Value": sum(v == "hot" for v in hotspots.values())},
            {
                "Measure": "LSOAs that are Gi* cold spots",
                "Value": sum(v == "cold" for v in hotspots.values()),
            },
        ]
    lsoas = _lsoa_section(ctx, now, before, names, hotspots, figure, gi_note)
    locations = locations_section(ctx)
    if locations.persistent is not None:
        glance.append({"Measure": PERSISTENT, "Value": locations.persistent})
    concentrated = _concentration_section(ctx, redrawn=locations.redrawn)
    paragraphs = (
        f"Where ASB happened in {ctx.name}: the neighbourhoods (LSOAs) and wards with most "
        "ASB, whether busy LSOAs cluster into a significant hotspot, and the police.uk map "
        "locations that keep appearing among the busiest.",
    )
    return Section(
        "problem-places",
        "Problem places",
        paragraphs,
        (Table.of("places-summary", f"Problem places at a glance, {ctx.name}", glance),),
        subsections=(lsoas, _ward_section(ctx), locations.section, concentrated),
    )


def _residents(ctx: Context, by: str) -> pd.Series | None:
    """Residents by ``lsoa_code`` or ``ward_code`` (within the area), None when not loaded."""
    value = area_population(ctx.store, ctx.area, [by]).value
    return value.set_index(by)["population"] if isinstance(value, pd.DataFrame) else None


def _hotspots(
    ctx: Context, now: pd.Series, names: dict[str, str]
) -> tuple[dict[str, str] | None, Figure | None, str]:
    """Gi* result per LSOA code, the map, and the paragraph saying how (or why not)."""
    try:
        codes, polygons = lsoa_boundaries(ctx.store, ctx.area)
    except InputError as exc:
        return None, None, f"No hotspot map: {exc}."
    counts = now.reindex(codes)
    result = gistar_lsoas(
        codes, polygons, counts.to_numpy(float), permutations=ctx.permutations, seed=ctx.seed
    )
    figure = hotspot_figure(
        codes,
        polygons,
        names,
        result,
        counts,
        title=f"ASB hotspots: Gi* of ASB by LSOA, {ctx.name}",
        area_name=ctx.area.name,
        period_label=ctx.name,
        value_label="ASB incidents",
        id="map-asb-hotspots",
    )
    note = (
        "A hot spot is an LSOA whose ASB, together with its neighbours', is significantly "
        f"high (Getis-Ord Gi*, queen contiguity, {ctx.permutations:,} permutations, seed "
        f"{ctx.seed}, p-values adjusted for false discoveries). Rows without a location "
        "are not counted."
    )
    notes = " ".join(f"Note: {n}" for n in result.notes)
    return dict(zip(codes, result.hotspot, strict=True)), figure, (note + " " + notes).strip()


def _lsoa_section(ctx, now, before, names, hotspots, figure, gi_note) -> Section:
    residents = _residents(ctx, "lsoa_code")
    ranked = now[now > 0].sort_index().sort_values(ascending=False, kind="stable").head(TOP)
    rows = []
    for code, count in ranked.items():
        row: dict[str, Any] = {"LSOA": code, "Name": names[code], "ASB incidents": int(count)}
        if residents is not None:
            row["Rate per 1,000 residents"] = rate_per_1000(int(count), residents.get(code))
        if before is not None:
            row["Same quarter last year"] = int(before[code])
            row["Change"] = int(count) - int(before[code])
        if hotspots is not None:
            row["Gi* result"] = GI_LABELS.get(hotspots[code])
        rows.append(row)
    caption = f"The {len(rows)} LSOAs with most ASB, {ctx.name}"
    tables = (Table.of("top-lsoas", caption, rows),) if rows else ()
    paragraphs = [gi_note]
    if before is None:
        paragraphs.append("The same quarter last year is not loaded: no change is shown.")
    return Section(
        "problem-lsoas",
        "Neighbourhoods (LSOAs)",
        tuple(paragraphs),
        tables,
        (figure,) if figure is not None else (),
    )


def _ward_section(ctx: Context) -> Section:
    title = "Wards"
    wards = ward_names(ctx.store, ctx.area)
    if not wards:
        return Section(
            "problem-wards",
            title,
            unavailable="No ward lookup is loaded for this area: load one with csphub ingest "
            "geography --lookup FILE (LSOA to ward and local authority).",
        )
    now = _ward_counts(ctx, ctx.quarter)
    last_year = ctx.shifted(-4)
    before = _ward_counts(ctx, last_year) if ctx.loaded(last_year) else None
    residents = _residents(ctx, "ward_code")
    rows = []
    for code, name in wards.items():
        count = int(now.get(code, 0))
        row: dict[str, Any] = {"Ward": code, "Name": name, "ASB incidents": count}
        if residents is not None:
            row["Rate per 1,000 residents"] = rate_per_1000(count, residents.get(code))
        if before is not None:
            row["Same quarter last year"] = int(before.get(code, 0))
            row["Change"] = count - row["Same quarter last year"]
        rows.append(row)
    rows.sort(key=lambda r: (-r["ASB incidents"], r["Ward"]))
    paragraph = (
        "Every ward of the area, most ASB first; rates are per resident of the part of the "
        "ward inside the area."
    )
    table = Table.of("wards", f"ASB by ward, {ctx.name}", rows)
    return Section("problem-wards", title, (paragraph,), (table,))


def _ward_counts(ctx: Context, period: Period) -> pd.Series:
    frame = street_counts(ctx.store, ["ward_code"], period, ctx.area, ASB_WHERE)
    return frame.set_index("ward_code")["count"]


def _concentration_section(ctx: Context, *, redrawn: bool) -> Section:
    rows = []
    for unit, label in (("lsoa", "LSOAs"), ("location", "Police.uk map locations")):
        units = concentration_units(ctx.store, unit, ctx.quarter, ctx.area, ASB_WHERE)
        if not units["count"].sum():
            continue
        result = concentration(units["count"].to_numpy())
        rows.append(
            {
                "Places": label,
                "Places in the area": result.n_units,
                "Places with ASB": result.n_units_with_events,
                "ASB incidents": int(result.n_events),
                f"Share of ASB in the busiest {BUSIEST:.0%} of places (%)": round(
                    100 * result.top_shares[BUSIEST], 1
                ),
                "Share of places holding half of ASB (%)": round(100 * result.places_for_half, 1),
                "Gini coefficient": round(result.gini, 3),
            }
        )
    paragraphs = (
        "How concentrated ASB is: the share of the quarter's ASB in the busiest tenth of "
        "places, counting every place of the area, those without ASB included (map "
        "locations: every police.uk map point of the area seen in any loaded month).",
    )
    if redrawn:
        paragraphs += (
            "Police.uk redrew its map points within the loaded months (see Repeat locations): "
            "points it no longer uses still count as places without ASB, so the map-location "
            "figures overstate concentration; the LSOA figures are the safer guide.",
        )
    if not rows:
        return Section("concentration", "Concentration", unavailable="No located ASB this quarter.")
    table = Table.of("concentration", f"Concentration of ASB, {ctx.name}", rows)
    return Section("concentration", "Concentration", paragraphs, (table,))
