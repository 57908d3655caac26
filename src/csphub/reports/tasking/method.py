"""The "Data and method" section: sources with checksums, months loaded, parameters and
caveats, so every number in the pack can be traced and reproduced."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csphub.analysis.store_inputs import Period, loaded_months
from csphub.reports.common.disclose import unlocated_sentence
from csphub.reports.common.places import ADJUST, ALPHA
from csphub.reports.common.sources import month_span, sources_table
from csphub.reports.document.model import Section, Table
from csphub.reports.tasking import partner

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context


def method_section(ctx: Context) -> Section:
    sources = sources_table(ctx.store)
    parameters = Table.of(
        "parameters",
        "Methods and parameters used",
        [
            {
                "Item": "Seasonal baseline",
                "Value": "seasonal_baseline: auto (same month or STL), negative binomial with "
                "the dispersion learnt from earlier forecasts or complete earlier years; above "
                "the 95th/99th or below the 5th/1st percentile; too little history flags "
                "nothing",
            },
            {
                "Item": "Year-on-year test",
                "Value": "Poisson E-test (Krishnamoorthy and Thomson 2004), two-sided",
            },
            {
                "Item": "Hotspots",
                "Value": f"Getis-Ord Gi*, queen contiguity, {ctx.permutations} permutations, "
                f"{ADJUST} at {ALPHA}",
            },
            {"Item": "Hotspot seed", "Value": str(ctx.seed)},
            {
                "Item": "Near-repeat Knox test",
                "Value": f"dates permuted within calendar months, {partner.KNOX_PERMUTATIONS} "
                f"permutations, seed {ctx.seed}, Benjamini-Hochberg over the cells, bands "
                f"{partner.SPACE_BANDS} m x {partner.TIME_BANDS} days, "
                f"min ratio {partner.MIN_RATIO}",
            },
            {
                "Item": "Repeat victims, offenders, locations",
                "Value": f"vol_rankings over {partner.VOL_MONTHS} months, CSS harm weights",
            },
        ],
    )
    street = loaded_months(ctx.store, "street")
    events = loaded_months(ctx.store, "events")
    paragraphs = (
        f"Area: {ctx.area.name} ({ctx.area.label}, {len(ctx.area.lsoa_codes)} LSOAs). "
        f"Police.uk street data loaded: {month_span(street)}. Partner events loaded: "
        f"{month_span(events)}.",
        "Police.uk locations are snapped to anonymised map points and LSOAs come from them, "
        "so small-area counts are approximate.",
        unlocated_sentence(ctx.store, Period(ctx.month, ctx.month), ctx.month_label),
        "Months that are not loaded are missing, never counted as zero. The same store "
        "gives the same pack: seeds are fixed and recorded.",
    )
    return Section("data-and-method", "Data and method", paragraphs, (sources, parameters))
