"""Geography inputs: residents of an area (for rates), LSOA boundaries (for contiguity) and
the area's outline in British National Grid metres (for grids)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import shapely

from csphub.analysis.projection import project_geometries
from csphub.analysis.store_inputs.periods import InputError
from csphub.store import Store
from csphub.store.areas import Area, AreaError, resolve_area

if TYPE_CHECKING:  # the hotspots package pulls in scipy.stats: imported when used
    from csphub.analysis.hotspots.grid import Grid

_GEOGRAPHY_HINT = "csphub ingest geography --boundaries FILE --level lsoa"


def _source_name(store: Store, kind: str) -> str | None:
    row = store.con.execute(
        "SELECT name FROM source_file WHERE kind = ? AND status = 'current' "
        "ORDER BY file_id DESC LIMIT 1",
        [kind],
    ).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class Population:
    """Residents for per-1,000 rates, in the shape ``harm_totals`` takes.

    ``value`` is None (not loaded), one number (the whole area) or a table of
    ``population`` by ``lsoa_code`` or ``ward_code``. ``missing`` lists the area's LSOAs
    without a population row.
    """

    value: float | pd.DataFrame | None
    per: str
    source: str | None
    missing: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        total = self.value if isinstance(self.value, float) else None
        if isinstance(self.value, pd.DataFrame):
            total = float(self.value["population"].sum())
        return {
            "per": self.per,
            "residents": total,
            "source": self.source,
            "lsoas_without_population": list(self.missing),
        }


def area_population(store: Store, area: Area, by: Sequence[str]) -> Population:
    """Residents of the area's LSOAs: by LSOA or ward when grouping by them, else in total."""
    if not store.has_rows("population"):
        return Population(None, "population not loaded", None)
    codes = list(area.lsoa_codes)
    found = store.con.execute(
        "SELECT p.lsoa_code, p.population, g.ward_code FROM population p "
        "LEFT JOIN geo_lookup g ON g.lsoa_code = p.lsoa_code "
        "WHERE p.lsoa_code IN (SELECT unnest(?::VARCHAR[]))",
        [codes],
    ).df()
    missing = tuple(sorted(set(codes) - set(found["lsoa_code"])))
    source = _source_name(store, "population")
    if "lsoa_code" in by:
        value: float | pd.DataFrame = found[["lsoa_code", "population"]].astype(
            {"population": float}
        )
        per = "residents of the LSOA"
    elif "ward_code" in by:
        value = (
            found.groupby("ward_code", as_index=False)["population"]
            .sum()
            .astype({"population": float})
        )
        per = f"residents of the ward within {area.name}"
    else:
        value = float(found["population"].sum())
        per = f"residents of {area.name}"
    return Population(value, per, source, missing)


def parse_area(store: Store, spec: str, option: str = "--area") -> Area:
    """The area named by ``spec`` (as ``csphub query counts --area``: local authority, ward,
    MSOA or LSOA codes, a comma-separated list or ``@FILE``), or :class:`InputError` naming
    the option."""
    try:
        return resolve_area(store, spec)
    except AreaError as exc:
        raise InputError(f"{option}: {exc}") from None


def lsoa_boundaries(store: Store, area: Area) -> tuple[list[str], list[bytes]]:
    """LSOA codes and WKB polygons (WGS84) of every LSOA of the area.

    Raises :class:`InputError` when any LSOA of the area has no boundary loaded.
    """
    rows = store.con.execute(
        "SELECT code, geometry FROM boundary WHERE level = 'lsoa' "
        "AND code IN (SELECT unnest(?::VARCHAR[])) ORDER BY code",
        [list(area.lsoa_codes)],
    ).fetchall()
    if not rows:
        raise InputError(
            f"no LSOA boundaries loaded for {area.label}: load them with {_GEOGRAPHY_HINT}"
        )
    missing = sorted(set(area.lsoa_codes) - {r[0] for r in rows})
    if missing:
        raise InputError(
            f"{len(missing)} of the {len(area.lsoa_codes)} LSOAs of {area.label} have no "
            f"boundary loaded (e.g. {', '.join(missing[:3])}): load them with {_GEOGRAPHY_HINT}"
        )
    return [r[0] for r in rows], [bytes(r[1]) for r in rows]


def area_outline_bng(store: Store, area: Area) -> shapely.Geometry | None:
    """The union of the area's LSOA polygons in BNG metres, or None without boundaries."""
    try:
        _, wkb = lsoa_boundaries(store, area)
    except InputError:
        return None
    polygons = project_geometries(shapely.from_wkb(wkb))
    return shapely.union_all(shapely.make_valid(polygons))


def area_grid(outline: shapely.Geometry, cell_size: float) -> tuple[Grid, shapely.Geometry]:
    """The grid over an area (BNG metres) and the union of its cells that overlap the area.

    Passed as ``grid`` and ``within`` to :func:`csphub.analysis.hotspots.gistar_grid`, every
    cell sharing some area with the outline is a unit (a cell centre test alone would drop
    the events of edge cells whose centre lies outside the area).
    """
    from csphub.analysis.hotspots.grid import Grid

    grid = Grid.from_bounds(*shapely.bounds(outline).tolist(), cell_size)
    xc, yc = grid.centres()
    half = cell_size / 2
    cells = shapely.box(xc - half, yc - half, xc + half, yc + half)
    shapely.prepare(outline)
    overlap = shapely.intersects(outline, cells) & ~shapely.touches(outline, cells)
    return grid, shapely.union_all(cells[overlap])
