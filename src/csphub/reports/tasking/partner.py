"""Sections from the partner events (when loaded): near-repeat burglary alerts and repeat
victims, offenders and locations. Ids are the extracts' pseudonymous keys only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csphub.analysis.store_inputs import (
    InputError,
    agencies,
    events_frame,
    store_near_repeat_alert,
    vol_events,
)
from csphub.reports.common.repeats import TOP, repeat_section
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context

LOAD_EVENTS = "Load an event-level police extract (csphub ingest events PATH) to see"
SPACE_BANDS = (0.1, 100.0, 200.0, 300.0, 400.0)
TIME_BANDS = (7.0, 14.0, 21.0, 28.0)
KNOX_PERMUTATIONS = 999
HISTORY_DAYS = 365
LOOKBACK_DAYS = 14
MIN_RATIO = 1.2
VOL_MONTHS = 12


def near_repeat_section(ctx: Context) -> Section:
    title = "Near-repeat burglary alert"
    if not agencies(ctx.store):
        return Section("near-repeat", title, unavailable=f"{LOAD_EVENTS} near-repeat alerts.")
    try:
        run = store_near_repeat_alert(
            ctx.store,
            where={"crime_type": ["Burglary"]},
            area=ctx.area,
            as_of=ctx.month_end,
            history_days=HISTORY_DAYS,
            lookback_days=LOOKBACK_DAYS,
            space_bands=SPACE_BANDS,
            time_bands=TIME_BANDS,
            permutations=KNOX_PERMUTATIONS,
            seed=ctx.seed,
            min_ratio=MIN_RATIO,
        )
    except InputError:
        return Section(
            "near-repeat",
            title,
            unavailable=f"No burglary events in {ctx.area.name} in the "
            f"{HISTORY_DAYS} days to {ctx.month_end}: no near-repeat alert can be made.",
        )
    found, result, envelope, alert = run.events, run.knox, run.envelope, run.alert
    rows = []
    for record in alert.to_records():
        source = found.rows.iloc[int(record["event_index"])]
        rows.append(
            {
                "Event": f"{source['agency']}:{source['event_id']}",
                "LSOA": source["lsoa_code"],
                "Easting": round(float(record["x"])),
                "Northing": round(float(record["y"])),
                "Burglary date": record["event_date"],
                "Radius (m)": record["radius_m"],
                "Elevated risk until": record["risk_until"],
            }
        )
    paragraphs = [
        f"Knox test of {result.n_events} burglaries in the {HISTORY_DAYS} days to "
        f"{ctx.month_end} ({KNOX_PERMUTATIONS} permutations, seed {result.seed}; dates "
        "permuted within each calendar month so the seasons are not read as near repeats, "
        "and the band cells' p-values adjusted by Benjamini-Hochberg): "
        + (
            f"nearby burglaries are more likely within {envelope.max_distance_m:g} m and "
            f"{envelope.max_days:g} days of one another."
            if envelope.steps
            else "no significant near-repeat pattern at the shortest distance and time."
        ),
        *[f"Note: {n}" for n in (*found.events.issues, *envelope.notes)],
    ]
    if not rows:
        paragraphs.append(
            f"No burglary in the last {LOOKBACK_DAYS} days of the month raises an alert."
        )
        return Section("near-repeat", title, tuple(paragraphs))
    paragraphs.append(
        f"{alert.n_events} burglary(ies) in the last {LOOKBACK_DAYS} days of the month put "
        "the places within each radius of it (British National Grid easting and northing, "
        "metres) at raised risk of burglary until the date shown."
    )
    table = Table.of(
        "near-repeat-alert",
        "Places at elevated near-repeat burglary risk",
        rows,
        identifiers=True,
    )
    return Section("near-repeat", title, tuple(paragraphs), (table,))


def vol_section(ctx: Context) -> Section:
    title = "Repeat locations, victims and offenders"
    if not agencies(ctx.store):
        return Section(
            "repeats", title, unavailable=f"{LOAD_EVENTS} repeat victims, offenders and locations."
        )
    from csphub.analysis.harm import load_weights
    from csphub.analysis.vol import vol_rankings

    frame = events_frame(ctx.store, area=ctx.area, date_to=ctx.month_end)
    if frame.empty:
        return Section("repeats", title, unavailable=f"No partner events in {ctx.area.name}.")
    weights = load_weights("css")
    result = vol_rankings(vol_events(frame), ctx.month_end, weights, months=VOL_MONTHS)
    subsections = []
    for role, label in (
        ("locations", "Locations"),
        ("victims", "Victims"),
        ("offenders", "Offenders"),
    ):
        subsections.append(
            repeat_section(
                role, label, getattr(result, role), window=f"12 months to {ctx.month_label}"
            )
        )
    paragraphs = (
        f"Distinct events in the {VOL_MONTHS} months {result.window_start.date()} to "
        f"{ctx.month_end}, from the partner extracts; repeats have 2 or more events. The "
        f"{TOP} with most events are listed; harm uses the {weights.name} weights "
        f"({weights.vintage}). Ids are the extracts' pseudonymous keys: handle this page as "
        "the extracts are handled.",
    )
    return Section("repeats", title, paragraphs, subsections=tuple(subsections))
