"""Geography: LSOA maps of harm per 1,000 residents and of deprivation, their rank
correlation, and a ward table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from csphub.analysis.store_inputs import street_counts
from csphub.reports.assess import places
from csphub.reports.assess.measures import ASB
from csphub.reports.assess.severity import town_centre_caveat
from csphub.reports.document.model import Figure, Section, Table
from csphub.reports.svg import choropleth
from csphub.reports.svg.palette import sequential

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context


def lsoa_harm(ctx: Context) -> pd.DataFrame:
    """Per LSOA of the area: crime records (excluding ASB), ASB records and CSS harm in the
    current period, with residents and harm per 1,000 (NaN without a population)."""
    frame = street_counts(ctx.store, ["lsoa_code", "crime_type"], ctx.current, ctx.area, None)
    weights = frame["crime_type"].map(ctx.weights.weight)
    frame = frame.assign(harm=frame["count"] * weights.fillna(0.0))
    is_asb = frame["crime_type"] == ASB
    out = pd.DataFrame(index=pd.Index(list(ctx.area.lsoa_codes), name="lsoa_code"))
    out["crime"] = frame[~is_asb].groupby("lsoa_code")["count"].sum()
    out["asb"] = frame[is_asb].groupby("lsoa_code")["count"].sum()
    out["harm"] = frame.groupby("lsoa_code")["harm"].sum()
    out = out.fillna(0.0).astype({"crime": "int64", "asb": "int64"})
    pop = ctx.lsoa_population
    out["population"] = pop.reindex(out.index) if pop is not None else np.nan
    out["harm_per_1000"] = (1000 * out["harm"] / out["population"]).where(out["population"] > 0)
    return out


def _deprivation(ctx: Context) -> pd.DataFrame | None:
    if not ctx.store.has_rows("deprivation"):
        return None
    frame = ctx.store.con.execute(
        "SELECT lsoa_code, rank, decile FROM deprivation WHERE domain = 'imd' "
        "AND lsoa_code IN (SELECT unnest(?::VARCHAR[]))",
        [list(ctx.area.lsoa_codes)],
    ).df()
    return frame.set_index("lsoa_code") if len(frame) else None


def _harm_map(ctx: Context, found: places.Lsoas, harm: pd.DataFrame) -> Figure:
    values = [None if np.isnan(v) else round(float(v), 1) for v in harm.loc[found.codes,
              "harm_per_1000"]]  # fmt: skip
    svg = choropleth(
        found.polygons,
        values,
        found.codes,
        title=f"Harm per 1,000 residents by LSOA, {ctx.area.name}, {ctx.current_label}",
        description=(
            "Crime harm (ONS Crime Severity Score days) per 1,000 residents in each LSOA, "
            "in five quantile classes, darker for more harm; ASB carries no weight."
        ),
        legend_title="Harm per 1,000 residents",
        classes=5,
        labels=[found.names[c] for c in found.codes],
        unit_names=("LSOA", "LSOAs"),
        id="map-harm-rate",
    )
    return Figure(svg, Table.of("map-harm-rate", svg.title, svg.table, svg.columns))


def _imd_map(ctx: Context, found: places.Lsoas, imd: pd.DataFrame) -> Figure:
    deciles = imd["decile"].reindex(found.codes)
    svg = choropleth(
        found.polygons,
        [None if pd.isna(v) else int(v) for v in deciles],
        found.codes,
        title=f"Index of Multiple Deprivation decile by LSOA, {ctx.area.name}",
        description=(
            "National IMD decile of each LSOA (1 is the most deprived tenth of England); "
            "darker is more deprived."
        ),
        legend_title="IMD decile",
        scheme="fixed",
        breaks=[2.5, 4.5, 6.5, 8.5],
        palette=tuple(reversed(sequential("purples", 5))),
        labels=[found.names[c] for c in found.codes],
        unit_names=("LSOA", "LSOAs"),
        decimals=0,
        id="map-imd",
    )
    return Figure(svg, Table.of("map-imd", svg.title, svg.table, svg.columns))


def _ward_table(ctx: Context, found: places.Lsoas, harm: pd.DataFrame) -> Table | None:
    wards = found.wards.dropna(subset=["ward_code"])
    if wards.empty:
        return None
    joined = harm.join(wards.set_index("lsoa_code"), how="inner")
    grouped = joined.groupby(["ward_code", "ward_name"], dropna=False).agg(
        lsoas=("crime", "size"),
        population=("population", "sum"),
        crime=("crime", "sum"),
        asb=("asb", "sum"),
        harm=("harm", "sum"),
    )
    rows: list[dict[str, Any]] = []
    for (code, name), r in grouped.sort_values("harm", ascending=False).iterrows():
        pop = r["population"] if ctx.lsoa_population is not None else None
        rows.append(
            {
                "Ward": code,
                "Name": code if pd.isna(name) else name,
                "LSOAs": int(r["lsoas"]),
                "Residents": None if pop is None else int(pop),
                "Crime (excluding ASB)": int(r["crime"]),
                "ASB": int(r["asb"]),
                "Harm (CSS days)": round(float(r["harm"])),
                "Harm per 1,000 residents": None if not pop else round(1000 * r["harm"] / pop, 1),
            }
        )
    caption = f"Wards by harm, {ctx.current_label}"
    return Table.of("wards", caption, rows)


def geography_section(ctx: Context) -> Section:
    title = "Geography: where harm falls"
    found = places.lsoas(ctx)
    if isinstance(found, str):
        return Section("geography", title, unavailable=f"No maps: {found}.")
    harm = lsoa_harm(ctx)
    figures, paragraphs = [], []
    if ctx.lsoa_population is not None:
        figures.append(_harm_map(ctx, found, harm))
        top = harm["harm_per_1000"].idxmax()
        paragraphs.append(
            f"Harm per 1,000 residents is highest in {found.names[top]} ({top}): "
            f"{harm.loc[top, 'harm_per_1000']:,.1f} CSS days per 1,000 residents."
        )
        paragraphs.append(town_centre_caveat())
    else:
        paragraphs.append(
            "Harm per 1,000 residents cannot be mapped: no population is loaded "
            "(csphub ingest geography --population FILE)."
        )
    imd = _deprivation(ctx)
    tables = []
    if imd is not None:
        figures.append(_imd_map(ctx, found, imd))
        both = harm.join(imd, how="inner").dropna(subset=["harm_per_1000", "rank"])
        if len(both) >= 10:
            rho, p = spearmanr(both["rank"], both["harm_per_1000"])
            paragraphs.append(
                f"Across {len(both)} LSOAs, harm per 1,000 residents and IMD rank have a "
                f"Spearman correlation of {rho:.3f} (p = {p:.3g}); a negative value means "
                "more harm where deprivation is greater (rank 1 is the most deprived)."
            )
            tables.append(
                Table.of(
                    "harm-deprivation-correlation",
                    "Rank correlation of harm per 1,000 residents with IMD rank",
                    [
                        {
                            "LSOAs": len(both),
                            "Spearman rho": round(float(rho), 3),
                            "p-value": float(f"{p:.3g}"),
                        }
                    ],
                )
            )
    else:
        paragraphs.append(
            "Deprivation cannot be mapped: the English Indices of Deprivation are not "
            "loaded (csphub ingest geography --imd FILE)."
        )
    if (wards := _ward_table(ctx, found, harm)) is not None:
        tables.append(wards)
        first = wards.rows[0]
        paragraphs.append(
            f"The ward with the most harm is {first['Name']} "
            f"({first['Harm (CSS days)']:,} CSS days)."
        )
    return Section("geography", title, tuple(paragraphs), tuple(tables), tuple(figures))
