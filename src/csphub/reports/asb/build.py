"""Build the ASB report from the evidence store: pure functions, store in, report out.

Sections read the store through :mod:`csphub.analysis.store_inputs` and the analysis
library; nothing here writes files.
"""

from __future__ import annotations

from csphub.reports.asb import method, people, places, summary, trend
from csphub.reports.asb.context import HOTSPOT_PERMUTATIONS, SEED, make_context
from csphub.reports.casework.hub import HubSource
from csphub.reports.casework.sections import casework_section, read_for
from csphub.reports.document.model import DEFAULT_MARKING, Report, Stopwatch
from csphub.store import Store


def build_report(
    store: Store,
    quarter: str,
    area: str,
    *,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
    stopwatch: Stopwatch | None = None,
    hub: HubSource | None = None,
    marking: str = DEFAULT_MARKING,
) -> Report:
    """The ASB performance report for ``quarter`` (``YYYY-Qn``) and ``area`` (a local
    authority, ward, MSOA or LSOA code, as ``csphub query counts --area``).

    Raises :class:`InputError` (one line naming the option and saying what to load) when
    the quarter is not written ``YYYY-Qn`` or not loaded, or the area is unknown; sections
    whose data are missing say what to load instead of failing. With ``hub`` the cases
    open in the quarter come from the partnership hub (:mod:`csphub.reports.casework`).
    """
    watch = stopwatch or Stopwatch()
    with watch.stage("counts"):
        ctx = make_context(store, quarter, area, permutations=permutations, seed=seed)
    with watch.stage("volume and trend"):
        volume = trend.trend_section(ctx)
    with watch.stage("problem places and hotspots"):
        where = places.places_section(ctx)
    with watch.stage("problem people"):
        who = people.people_section(ctx)
    with watch.stage("casework from the hub"):
        work = read_for(hub, ctx.start_date, ctx.end_date)
        cases = casework_section(work, ctx.area.lsoa_codes, ctx.area.name, ctx.name)
    with watch.stage("data and method"):
        data = method.method_section(ctx)
    with watch.stage("summary"):
        headline = summary.summary_section(ctx, where, who)
    return Report(
        title=f"ASB performance report: {ctx.area.name}, {ctx.name}",
        area_code=ctx.area.label,
        area_name=ctx.area.name,
        period=ctx.label,
        slug="asb-report",
        sections=(headline, volume, where, who, cases, method.tools_section(), data),
        parameters={"seed": seed, "permutations": permutations},
        marking=marking,
    )
