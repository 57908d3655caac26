"""Build the Strategic Assessment from the evidence store: pure functions, store in,
:class:`~csphub.reports.document.Report` out (nothing written here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from csphub.analysis.harm import WeightTable, load_weights
from csphub.analysis.pandemic import Pandemic, load_pandemic
from csphub.analysis.store_inputs import (
    InputError,
    Period,
    area_population,
    loaded_months,
    month_range,
    parse_area,
    parse_period,
    require_months,
    shift_month,
)
from csphub.reports.assess.config import Priorities, Scoring, load_priorities, load_scoring
from csphub.reports.document.model import Report, Stopwatch
from csphub.store import Store
from csphub.store.areas import Area

#: Fixed, recorded seed and permutations for Gi*: the same store gives the same report.
SEED = 20260101
HOTSPOT_PERMUTATIONS = 9999
CHART_MONTHS = 36
#: Stages of :func:`build_assessment`, for the progress bar.
STAGES = 6


@dataclass(frozen=True, eq=False)
class Context:
    """What every part of the assessment needs."""

    store: Store
    area: Area
    current: Period
    previous: Period
    history: tuple[str, ...]
    weights: WeightTable
    priorities: Priorities
    scoring: Scoring
    population: float | None
    lsoa_population: pd.Series | None
    permutations: int
    seed: int
    memo: dict[str, Any] = field(default_factory=dict)
    #: Every calendar month of the chart window, loaded or not (``history`` is the loaded).
    window: tuple[str, ...] = ()
    pandemic: Pandemic | None = None
    #: Every street month the store holds (for the pre-pandemic comparison).
    loaded: tuple[str, ...] = ()
    #: The published ONS Crime Severity Score of the area, where a file was given.
    css: Any = None

    def pre_pandemic(self, period: Period) -> tuple[list[str], list[str]]:
        """(pre-pandemic months, months of ``period``) compared: same calendar months."""
        if self.pandemic is None:
            return [], []
        return self.pandemic.comparison(list(period.months), list(self.loaded))

    @property
    def missing(self) -> tuple[str, ...]:
        """Calendar months of the window that the store does not hold."""
        have = set(self.history)
        return tuple(m for m in self.window if m not in have)

    @staticmethod
    def label(period: Period) -> str:
        def name(month: str) -> str:
            return dt.date.fromisoformat(month + "-01").strftime("%B %Y")

        if period.start == period.end:
            return name(period.start)
        return f"{name(period.start)} to {name(period.end)}"

    @property
    def current_label(self) -> str:
        return self.label(self.current)

    @property
    def previous_label(self) -> str:
        return self.label(self.previous)


def default_previous(current: Period) -> Period:
    """The period of the same length just before ``current``."""
    n = len(current.months)
    return Period(shift_month(current.start, -n), shift_month(current.start, -1))


def _population(store: Store, area: Area) -> tuple[float | None, pd.Series | None]:
    pop = area_population(store, area, ["lsoa_code"])
    if pop.value is None or pop.missing:
        return None, None
    series = pop.value.set_index("lsoa_code")["population"]
    return float(series.sum()), series.reindex(list(area.lsoa_codes))


def make_context(
    store: Store,
    area: str,
    period: str,
    previous: str | None = None,
    *,
    priorities: Path | None = None,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
    pre_pandemic: str | None = None,
    css: Path | None = None,
    css_label: str = "as published",
) -> Context:
    """Check the options and the store; :class:`InputError` (one line) if they do not fit.

    ``pre_pandemic`` (``YYYY-MM..YYYY-MM``) replaces the pre-pandemic comparison years of the
    pandemic file."""
    current = parse_period(period, "--period")
    before = parse_period(previous, "--previous") if previous else default_previous(current)
    if before.end >= current.start:
        raise InputError(
            f"--previous {before.label}: it must end before --period starts ({current.start})"
        )
    resolved = parse_area(store, area)
    require_months(store, [*before.months, *current.months])
    first = shift_month(current.end, -(CHART_MONTHS - 1))
    have = set(loaded_months(store))
    window = tuple(month_range(min(first, before.start), current.end))
    history = tuple(m for m in window if m in have)
    total, by_lsoa = _population(store, resolved)
    pandemic = _pandemic(pre_pandemic)
    published = None
    if css is not None:
        from csphub.reports.assess.severity import read_css

        published = read_css(css, resolved.label, css_label)
    return Context(
        store,
        resolved,
        current,
        before,
        history,
        load_weights("css"),
        load_priorities(priorities),
        load_scoring(),
        total,
        by_lsoa,
        permutations,
        seed,
        window=window,
        pandemic=pandemic,
        loaded=tuple(sorted(have)),
        css=published,
    )


def _pandemic(pre_pandemic: str | None) -> Pandemic:
    from csphub.analysis.pandemic import PandemicFileError

    years = parse_period(pre_pandemic, "--pre-pandemic") if pre_pandemic else None
    try:
        return load_pandemic(
            pre_from=years.start if years else None, pre_to=years.end if years else None
        )
    except PandemicFileError as exc:
        raise InputError(f"--pre-pandemic: {exc}") from None


def build_assessment(
    store: Store,
    area: str,
    period: str,
    previous: str | None = None,
    *,
    priorities: Path | None = None,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
    stopwatch: Stopwatch | None = None,
    pre_pandemic: str | None = None,
    css: Path | None = None,
    css_label: str = "as published",
    recommendations: Path | None = None,
) -> Report:
    """The Strategic Assessment of ``area`` for ``period`` (``YYYY-MM..YYYY-MM``) against
    ``previous`` (default: the same length just before).

    Raises :class:`InputError` when an option is wrong or a month is not loaded; parts whose
    data are missing say so, and name the data that would support them, instead.
    """
    from csphub.reports.assess import appendix, chapters, geography, recommend, summary
    from csphub.reports.assess.measures import area_totals, measure
    from csphub.reports.assess.scoring import score_priorities

    watch = stopwatch or Stopwatch()
    with watch.stage("counts and priorities"):
        ctx = make_context(
            store,
            area,
            period,
            previous,
            priorities=priorities,
            permutations=permutations,
            seed=seed,
            pre_pandemic=pre_pandemic,
            css=css,
            css_label=css_label,
        )
        totals = area_totals(ctx)
        measured = [measure(ctx, p) for p in ctx.priorities.items]
    with watch.stage("scores"):
        in_pandemic = bool(ctx.pandemic and ctx.pandemic.overlap(list(ctx.previous.months)))
        scores = score_priorities(measured, totals, ctx.scoring, in_pandemic)
    with watch.stage("priority chapters and hotspots"):
        chapter_sections = [chapters.chapter(ctx, m, scores) for m in measured]
    with watch.stage("executive summary and threats"):
        summary_section = summary.summary_section(ctx, totals, measured, scores)
    with watch.stage("geography"):
        geo = geography.geography_section(ctx)
    with watch.stage("method and data appendix"):
        data = appendix.appendix_section(ctx, scores)
        if recommendations is not None:
            rows, edited = recommend.read_recommendations(recommendations), True
        else:
            rows = recommend.seeded(ctx, measured, scores, ctx.memo["threats"])
            edited = False
        advice = recommend.recommendations_section(ctx, rows, edited)
    return Report(
        title=f"Strategic Assessment: {ctx.area.name}, {ctx.current_label}",
        area_code=ctx.area.label,
        area_name=ctx.area.name,
        period=ctx.current.label,
        sections=(summary_section, *chapter_sections, geo, advice, data),
        slug="strategic-assessment",
        parameters={"seed": seed, "permutations": permutations},
    )
