"""Build the needs assessment from the evidence store: store in,
:class:`~csphub.reports.document.Report` out (nothing written here)."""

from __future__ import annotations

from pathlib import Path

from csphub.reports.document.model import Report, Stopwatch
from csphub.store import Store

#: Stages of :func:`build_needs`, for the progress bar.
STAGES = 4


def build_needs(
    store: Store,
    area: str,
    period: str,
    previous: str | None = None,
    *,
    priorities: Path | None = None,
    interventions: Path | None = None,
    stopwatch: Stopwatch | None = None,
) -> Report:
    """The needs assessment of ``area`` for ``period`` (``YYYY-MM..YYYY-MM``) against
    ``previous`` (default: the same length just before).

    Raises :class:`~csphub.analysis.store_inputs.InputError` when an option is wrong or a
    police.uk month is not loaded; sections whose data is not loaded say so instead.
    """
    from csphub.reports.svd import factors, overview, partnership, people, profile
    from csphub.reports.svd.context import make_context

    watch = stopwatch or Stopwatch()
    with watch.stage("context and summary"):
        ctx = make_context(store, area, period, previous, priorities=priorities)
        summary = overview.summary_section(ctx)
        used = partnership.authorities_section(ctx)
    with watch.stage("volumes, where and when"):
        volumes = profile.volumes_section(ctx)
        where = profile.where_section(ctx)
        when = profile.when_section(ctx)
    with watch.stage("who, weapons and the night-time economy"):
        people_sections = (
            people.who_section(ctx),
            people.weapons_section(ctx),
            people.nte_section(ctx),
            people.joint_section(ctx),
        )
    with watch.stage("risk factors, gaps and interventions"):
        risk = factors.factors_section(ctx)
        context = overview.context_section(ctx)
        gaps = partnership.gaps_section(ctx)
        if interventions is not None:
            rows, edited = partnership.read_interventions(interventions), True
        else:
            hot = [r["Name"] for r in where.tables[0].rows[:3]] if where.tables else []
            rows = partnership.seeded(ctx, hot, people.current_assaults(ctx))
            edited = False
        plan = partnership.interventions_section(rows, edited)
    return Report(
        title=f"Serious Violence Strategic Needs Assessment: {ctx.area.name}, {ctx.current_label}",
        area_code=ctx.area.label,
        area_name=ctx.area.name,
        period=ctx.current.label,
        sections=(summary, used, volumes, where, when, *people_sections, risk, context, gaps, plan),
        slug="serious-violence-needs-assessment",
        parameters={"seed": ctx.seed, "permutations": ctx.permutations},
    )
