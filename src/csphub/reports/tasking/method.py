"""The "Data and method" section: sources with checksums, months loaded, parameters and
caveats, so every number in the pack can be traced and reproduced."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csphub.analysis.store_inputs import Period, loaded_months, rows_without_location
from csphub.ingest.quarantine import list_files
from csphub.reports.document.model import Section, Table
from csphub.reports.tasking import partner, places

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context


def _ranges(months: list[str]) -> str:
    return f"{months[0]} to {months[-1]} ({len(months)} months)" if months else "none"


def method_section(ctx: Context) -> Section:
    files = [f for f in list_files(ctx.store) if f["status"] == "current"]
    sources = Table.of(
        "sources",
        "Source files (current) with their SHA-256 checksums",
        [
            {
                "File": f["name"],
                "Kind": f["kind"],
                "Rows loaded": f["rows_loaded"],
                "SHA-256": f["sha256"],
            }
            for f in files
        ],
    )
    unlocated = rows_without_location(ctx.store, Period(ctx.month, ctx.month), None)
    parameters = Table.of(
        "parameters",
        "Methods and parameters used",
        [
            {
                "Item": "Seasonal baseline",
                "Value": "seasonal_baseline: auto (same month or STL), negative binomial, "
                "95% and 99%",
            },
            {
                "Item": "Year-on-year test",
                "Value": "Poisson E-test (Krishnamoorthy and Thomson 2004), two-sided",
            },
            {
                "Item": "Hotspots",
                "Value": f"Getis-Ord Gi*, queen contiguity, {ctx.permutations} permutations, "
                f"{places.ADJUST} at {places.ALPHA}",
            },
            {"Item": "Hotspot seed", "Value": str(ctx.seed)},
            {
                "Item": "Near-repeat Knox test",
                "Value": f"{partner.KNOX_PERMUTATIONS} permutations, seed {ctx.seed}, bands "
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
        f"Police.uk street data loaded: {_ranges(street)}. Partner events loaded: "
        f"{_ranges(events)}.",
        "Police.uk locations are snapped to anonymised map points and LSOAs come from them, "
        "so small-area counts are approximate.",
        f"{unlocated:,} police.uk row(s) of {ctx.month} (any area) have no location: they "
        "cannot be placed in an area and are excluded from every area figure in this pack.",
        "Months that are not loaded are missing, never counted as zero. The same store "
        "gives the same pack: seeds are fixed and recorded.",
    )
    return Section("data-and-method", "Data and method", paragraphs, (sources, parameters))
