"""Names of an area's LSOAs and wards, Getis-Ord Gi* over its LSOAs and the hotspot map."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from csphub.reports.document.model import Figure, Table
from csphub.reports.svg import hotspot_map
from csphub.store import Store
from csphub.store.areas import Area

if TYPE_CHECKING:
    from csphub.analysis.hotspots import GiStarResult

#: Gi* significance level and the false-discovery adjustment of its p-values.
ALPHA = 0.05
ADJUST = "fdr_bh"


def lsoa_names(store: Store, codes: Sequence[str]) -> dict[str, str]:
    """LSOA names from the loaded boundaries (the code when a name is missing)."""
    rows = store.con.execute(
        "SELECT code, name FROM boundary WHERE level = 'lsoa' "
        "AND code IN (SELECT unnest(?::VARCHAR[]))",
        [list(codes)],
    ).fetchall()
    names = {code: name for code, name in rows if name}
    return {c: names.get(c, c) for c in codes}


#: A ward's name: the lookup's, else that of a loaded ward boundary (whose file names its
#: wards where an ONS lookup gives only codes), else the code.
WARD_NAME_SQL = (
    "coalesce(g.ward_name, (SELECT b.name FROM boundary b WHERE b.level = 'ward' "
    "AND b.code = g.ward_code), g.ward_code)"
)


def ward_names(store: Store, area: Area) -> dict[str, str]:
    """Wards of the area's LSOAs in the loaded lookup, code to name (empty when not loaded)."""
    rows = store.con.execute(
        f"SELECT DISTINCT g.ward_code, {WARD_NAME_SQL} FROM geo_lookup g "
        "WHERE g.ward_code IS NOT NULL AND g.lsoa_code IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY 1",
        [list(area.lsoa_codes)],
    ).fetchall()
    return {code: name or code for code, name in rows}


def gistar_lsoas(codes, polygons, values, *, permutations: int, seed: int) -> GiStarResult:
    """Gi* with queen contiguity over LSOA polygons, p-values adjusted by :data:`ADJUST`."""
    from csphub.analysis.hotspots import gistar_polygons

    return gistar_polygons(
        codes,
        polygons,
        values,
        permutations=permutations,
        seed=seed,
        alpha=ALPHA,
        adjust=ADJUST,
    )


def hotspot_figure(
    codes: Sequence[str],
    polygons: Sequence[bytes],
    names: dict[str, str],
    result: GiStarResult,
    counts: Sequence[object],
    *,
    title: str,
    area_name: str,
    period_label: str,
    value_label: str,
    id: str,
) -> Figure:
    """The hotspot map of a Gi* result over LSOAs, with its data table (id ``id``)."""
    svg = hotspot_map(
        polygons,
        list(result.hotspot),
        codes,
        title=title,
        description=(
            f"Getis-Ord Gi* result for each of the {len(codes)} LSOAs of {area_name} "
            f"over {period_label}: {result.n_hot} hot spot(s) outlined in red, "
            f"{result.n_cold} cold spot(s) dotted blue, the rest grey (not significant)."
        ),
        values=[int(v) for v in counts],
        value_label=value_label,
        labels=[names[c] for c in codes],
        unit_names=("LSOA", "LSOAs"),
        id=id,
    )
    return Figure(svg, Table.of(id, svg.title, svg.table, svg.columns))
