"""The method and data appendix: sources with checksums from the store's lineage, periods,
harm weights with their vintage, scoring rules, parameters and the priorities file, so an
analyst can check every number and reproduce it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csphub.analysis.store_inputs import loaded_months
from csphub.reports.assess.plain import glossary_table
from csphub.reports.assess.scoring import Score
from csphub.reports.common.disclose import unlocated_text
from csphub.reports.common.places import ADJUST, ALPHA
from csphub.reports.common.sources import month_span, sources_table, window_text
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context


def appendix_section(ctx: Context, scores: list[Score]) -> Section:
    sources = sources_table(ctx.store)
    s = ctx.scoring
    parameters = Table.of(
        "parameters",
        "Periods, weights, methods and parameters",
        [
            {"Item": "Assessment period", "Value": f"{ctx.current.label} ({ctx.current_label})"},
            {"Item": "Previous period", "Value": f"{ctx.previous.label} ({ctx.previous_label})"},
            {"Item": "Chart window", "Value": window_text(ctx.window, ctx.history)},
            {
                "Item": "Rows without a location, assessment period (any area)",
                "Value": unlocated_text(ctx.store, ctx.current),
            },
            {
                "Item": "Rows without a location, previous period (any area)",
                "Value": unlocated_text(ctx.store, ctx.previous),
            },
            {"Item": "Harm weights", "Value": f"{ctx.weights.name}; {ctx.weights.vintage}"},
            {"Item": "Harm weights source", "Value": ctx.weights.source},
            {"Item": "Priorities", "Value": f"{ctx.priorities.name} ({ctx.priorities.path})"},
            {"Item": "Priorities source", "Value": ctx.priorities.source},
            {"Item": "Scoring", "Value": s.name},
            {"Item": "Scoring source", "Value": s.source},
            {
                "Item": "Impact thresholds (share of harm, or of records for ASB)",
                "Value": f"4 from {s.impact_shares[0]:g}, 3 from {s.impact_shares[1]:g}, "
                f"2 from {s.impact_shares[2]:g}, else 1",
            },
            {
                "Item": "Likelihood",
                "Value": "the change test of the period against the previous (as for crime "
                f"types); 4 significant rise, 3 rise, 2 no rise, 1 significant fall "
                f"(alpha {s.alpha:g})",
            },
            {
                "Item": "Confidence",
                "Value": f"High: measured directly and at least {s.high_count} records in each "
                f"period; Low: under {s.low_count} in a period; else Medium",
            },
            {
                "Item": "Hotspots",
                "Value": f"Getis-Ord Gi*, queen contiguity, {ctx.permutations} permutations, "
                f"seed {ctx.seed}, {ADJUST} at {ALPHA}",
            },
            {
                "Item": "Crime-type changes",
                "Value": "Pearson dispersion of the monthly counts about each period's mean; "
                "where it exceeds 1 beyond chance (chi-square test at 5%), a quasi-Poisson "
                "GLM t test of the period (McCullagh and Nelder 1989), else the Poisson "
                "E-test of the totals (Krishnamoorthy and Thomson 2004); two-sided, "
                "Holm-adjusted across crime types; the test used is named in each row",
            },
        ],
    )
    priorities = Table.of(
        "priorities-config",
        "The priorities and how the data measures each",
        [
            {
                "Order": p.order,
                "Priority": p.title,
                "police.uk crime types": "; ".join(p.policeuk_types),
                "Partner offence pattern": p.event_pattern,
                "Fit": "proxy" if p.proxy else "direct",
                "Lead": p.lead,
            }
            for p in ctx.priorities.items
        ],
    )
    street = loaded_months(ctx.store, "street")
    events = loaded_months(ctx.store, "events")
    paragraphs = (
        f"Area: {ctx.area.name} ({ctx.area.label}, {len(ctx.area.lsoa_codes)} LSOAs). "
        f"Police.uk street data loaded: {month_span(street)}. Partner events loaded: "
        f"{month_span(events)}.",
        "Every number in this assessment is in one of its tables; every table is a CSV in "
        "the data folder and a sheet of tables.xlsx.",
        "Police.uk locations are snapped to anonymised map points and LSOAs come from them, "
        "so small-area counts are approximate; rows without a location cannot be placed in "
        "an area and are left out of every area figure.",
        "Recorded crime reflects recording practice as well as crime: rises after changes "
        "in recording (as after the 2014 HMIC inspection) are not all real rises.",
        "Scores are a structured starting point for the partnership's judgement "
        "(MoRiLE-style, not official); the board sets the priorities.",
    )
    tables = (glossary_table(), parameters, priorities, sources)
    return Section("appendix", "Method, data and glossary", paragraphs, tables)
