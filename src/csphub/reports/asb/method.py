"""The "ASB tools used" note and the "Data and method" section: periods, coverage, sources
with checksums, parameters and caveats, so every number can be traced and reproduced."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csphub.analysis.store_inputs import Period, loaded_months
from csphub.reports.asb import locations, people, places, summary, trend
from csphub.reports.asb.context import ASB, ASB_WHERE
from csphub.reports.asb.quarters import quarter_label
from csphub.reports.common.baseline import CHART_MONTHS
from csphub.reports.common.disclose import unlocated_text
from csphub.reports.common.places import ADJUST, ALPHA
from csphub.reports.common.sources import month_span, sources_table
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.asb.context import Context


def tools_section() -> Section:
    return Section(
        "asb-tools",
        "ASB tools used",
        (
            "Not reported yet: csphub does not record ASB cases and the tools used on them "
            "(warnings, Community Protection Warnings and Notices, injunctions, closures); "
            "these figures will come from the partnership hub's ASB case records once it is "
            "built.",
        ),
    )


def _period_row(use: str, period: Period, loaded: bool) -> dict[str, Any]:
    return {
        "Use": use,
        "From": period.start,
        "To": period.end,
        "Months": len(period.months),
        "Loaded": "Yes" if loaded else "No",
    }


def _periods(ctx: Context) -> Table:
    chart = ctx.history[-CHART_MONTHS:]
    persistence = [ctx.shifted(-k) for k in range(locations.PERSISTENCE_QUARTERS)]
    rows = [
        _period_row(f"The quarter ({ctx.label})", ctx.quarter, True),
        _period_row(
            f"Same quarter last year ({quarter_label(ctx.shifted(-4))})",
            ctx.shifted(-4),
            ctx.loaded(ctx.shifted(-4)),
        ),
        _period_row(
            f"Previous quarter ({quarter_label(ctx.shifted(-1))})",
            ctx.shifted(-1),
            ctx.loaded(ctx.shifted(-1)),
        ),
        {
            "Use": "Trend chart (loaded months)",
            "From": chart[0],
            "To": chart[-1],
            "Months": len(chart),
            "Loaded": "Yes",
        },
        {
            "Use": "Seasonal baseline history (loaded months)",
            "From": ctx.history[0],
            "To": ctx.history[-1],
            "Months": len(ctx.history),
            "Loaded": "Yes",
        },
        _period_row(
            "Repeat-location persistence",
            Period(persistence[-1].start, ctx.quarter.end),
            all(ctx.loaded(q) for q in persistence),
        ),
    ]
    return Table.of("periods", "Periods used", rows)


def _coverage(ctx: Context) -> Table:
    residents = ctx.residents
    rows: list[dict[str, Any]] = [
        {"Item": "Police.uk street data loaded", "Value": month_span(loaded_months(ctx.store))},
        {
            "Item": "Partner events loaded",
            "Value": month_span(loaded_months(ctx.store, "events")),
        },
        {"Item": "LSOAs in the area", "Value": len(ctx.area.lsoa_codes)},
        {
            "Item": "Residents (population loaded)",
            "Value": None if ctx.population is None else int(ctx.population),
        },
        {"Item": "Population source", "Value": residents.source or residents.per},
        {"Item": "LSOAs of the area without a population", "Value": len(residents.missing)},
        {
            "Item": f"ASB rows of {ctx.label} without a location (any area)",
            "Value": unlocated_text(ctx.store, ctx.quarter, ASB_WHERE),
        },
    ]
    return Table.of("coverage", "Data coverage", rows)


def _parameters(ctx: Context) -> Table:
    rows = [
        ("What is counted", f'Police.uk street rows of crime type "{ASB}" in the area'),
        ("Quarters", "Calendar quarters: Q1 January to March, ..., Q4 October to December"),
        (
            "Change test",
            "change_test of the quarters' monthly counts: quasi-Poisson (McCullagh and Nelder "
            "1989) where their dispersion exceeds 1 beyond chance, else the Poisson E-test "
            "(Krishnamoorthy and Thomson 2004); two-sided, 5%",
        ),
        (
            "p-values",
            "Three significant figures in tables (below 1e-15, beyond the E-test's "
            f"precision, shown as 1e-15); below {summary.P_FLOOR} written "
            f"< {summary.P_FLOOR} in the text",
        ),
        (
            "Seasonal baseline",
            "seasonal_baseline: auto (same month or STL), negative binomial, 95% and 99%",
        ),
        ("Trend chart", f"The last {CHART_MONTHS} loaded months to the quarter's end"),
        ("Quarterly table", f"The loaded quarters among the last {trend.TABLE_QUARTERS}"),
        (
            "Hotspots",
            f"Getis-Ord Gi* over LSOAs, queen contiguity, {ctx.permutations:,} permutations, "
            f"{ADJUST} at {ALPHA}",
        ),
        ("Hotspot seed", str(ctx.seed)),
        ("Places listed", f"Top {locations.TOP} LSOAs and map locations by count"),
        (
            "Persistent location",
            f"In the top {locations.TOP} (ties included) in at least "
            f"{locations.PERSISTENT_MIN} of the last {locations.PERSISTENCE_QUARTERS} quarters; "
            f"a quarter is compared when at least {locations.MIN_OVERLAP:.0%} of this "
            "quarter's map points were also used in it",
        ),
        ("Concentration", f"Share of ASB in the busiest {places.BUSIEST:.0%} of places"),
        (
            "Repeat people and addresses",
            f"vol_rankings over the quarter's 3 months; a repeat has {people.MIN_REPEAT} or "
            f"more events; top {people.TOP} listed",
        ),
    ]
    return Table.of(
        "parameters",
        "Methods and parameters used",
        [{"Item": item, "Value": value} for item, value in rows],
    )


def method_section(ctx: Context) -> Section:
    paragraphs = (
        "Police.uk ASB rows are incident records: one row per incident the police recorded, "
        "not per call and not per crime, published with a month and no day.",
        "Each row is placed at an anonymised map point (the nearest of a fixed set of points) "
        "and its LSOA comes from that point, so small-area counts are approximate; rows "
        "without a location cannot be placed in an area and are left out of every area "
        "figure.",
        "Police.uk gives no National Standard for Incident Recording (NSIR) qualifier: ASB "
        "cannot be split into personal, nuisance and environmental here.",
        "Months that are not loaded are missing, never counted as zero. The same store gives "
        "the same report: the seed is fixed and recorded.",
    )
    tables = (
        _periods(ctx),
        _coverage(ctx),
        sources_table(ctx.store),
        _parameters(ctx),
    )
    return Section("data-and-method", "Data and method", paragraphs, tables)
