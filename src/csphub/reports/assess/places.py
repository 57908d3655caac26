"""Places shared by the chapters and the geography section: LSOA names and wards, the
boundaries (read once) and Gi* over them with the assessment's fixed parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from csphub.analysis.store_inputs import InputError, lsoa_boundaries
from csphub.reports.common.places import WARD_NAME_SQL, gistar_lsoas, hotspot_figure

if TYPE_CHECKING:
    from csphub.analysis.hotspots import GiStarResult
    from csphub.reports.assess.build import Context
    from csphub.reports.document.model import Figure


@dataclass(frozen=True, eq=False)
class Lsoas:
    """The area's LSOAs in boundary order with names, wards and polygons (WKB, WGS84)."""

    codes: list[str]
    polygons: list[bytes]
    names: dict[str, str]
    wards: pd.DataFrame  # lsoa_code, ward_code, ward_name


def _read_lsoas(ctx: Context) -> Lsoas | str:
    lookup = ctx.store.con.execute(
        "SELECT l.code AS lsoa_code, coalesce(b.name, g.lsoa_name, l.code) AS name, "
        f"g.ward_code, {WARD_NAME_SQL} AS ward_name "
        "FROM (SELECT unnest(?::VARCHAR[]) AS code) l "
        "LEFT JOIN boundary b ON b.level = 'lsoa' AND b.code = l.code "
        "LEFT JOIN geo_lookup g ON g.lsoa_code = l.code",
        [list(ctx.area.lsoa_codes)],
    ).df()
    names = dict(zip(lookup["lsoa_code"], lookup["name"], strict=True))
    wards = lookup[["lsoa_code", "ward_code", "ward_name"]]
    try:
        codes, polygons = lsoa_boundaries(ctx.store, ctx.area)
    except InputError as exc:
        return str(exc)
    return Lsoas(codes, polygons, names, wards)


def lsoas(ctx: Context) -> Lsoas | str:
    """The LSOAs, or the one-line reason they cannot be mapped (read once per report)."""
    if "lsoas" not in ctx.memo:
        ctx.memo["lsoas"] = _read_lsoas(ctx)
    return ctx.memo["lsoas"]


def names(ctx: Context) -> dict[str, str]:
    found = lsoas(ctx)
    if isinstance(found, Lsoas):
        return found.names
    return {c: c for c in ctx.area.lsoa_codes}


def gistar(ctx: Context, found: Lsoas, counts: pd.Series) -> GiStarResult:
    values = counts.reindex(found.codes).to_numpy(float)
    return gistar_lsoas(
        found.codes, found.polygons, values, permutations=ctx.permutations, seed=ctx.seed
    )


@dataclass(frozen=True, eq=False)
class HotspotMap:
    """Gi* over one count by LSOA, its map, and the LSOAs it was run on."""

    lsoas: Lsoas
    result: GiStarResult
    figure: Figure


def hotspot_map(
    ctx: Context, counts: pd.Series, *, title: str, period_label: str, value_label: str, id: str
) -> HotspotMap | str:
    """Gi* of ``counts`` (by LSOA code) with the report's parameters and its map, or the
    one-line reason there is no map (the boundaries cannot be read)."""
    found = lsoas(ctx)
    if isinstance(found, str):
        return found
    result = gistar(ctx, found, counts)
    figure = hotspot_figure(
        found.codes,
        found.polygons,
        found.names,
        result,
        [int(v) for v in counts.reindex(found.codes)],
        title=title,
        area_name=ctx.area.name,
        period_label=period_label,
        value_label=value_label,
        id=id,
    )
    return HotspotMap(found, result, figure)


def per_1000(counts: pd.Series, population: pd.Series | None) -> pd.Series:
    """Rate per 1,000 residents by LSOA (NaN without a population)."""
    if population is None:
        return pd.Series(np.nan, index=counts.index)
    pop = population.reindex(counts.index)
    return (1000 * counts / pop).where(pop > 0)
