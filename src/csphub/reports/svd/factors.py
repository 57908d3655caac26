"""Risk and protective factors from open data: police records (and A&E assaults) per 1,000
residents by deprivation quintile of each IMD domain loaded, and the population structure
the store holds."""

from __future__ import annotations

import pandas as pd

from csphub.analysis.factors import deprivation_gradient
from csphub.analysis.store_inputs.partner import deprivation_deciles
from csphub.reports.document.model import Section, Table
from csphub.reports.svd.context import Context

CAVEAT = (
    "These are associations between areas, not causes, and say nothing about any person; "
    "individual risk and protective factors (school exclusion, adverse childhood experiences, "
    "substance misuse, trusted adults) need partner data this assessment does not hold."
)


def _counts(ctx: Context) -> pd.Series:
    frame = ctx.police(["lsoa_code"])
    return frame.set_index("lsoa_code")["count"] if len(frame) else pd.Series(dtype=int)


def _gradient_rows(ctx: Context, deciles: pd.DataFrame, counts: pd.Series, what: str):
    rows, ratios = [], {}
    for domain, part in deciles.groupby("domain", sort=True):
        g = deprivation_gradient(
            counts, ctx.lsoa_population, part.set_index("lsoa_code")["decile"], str(domain)
        )
        ratios[str(domain)] = (g.ratio, g.compared)
        for r in g.table.itertuples():
            rows.append(
                {
                    "Domain": domain,
                    "Quintile": r.quintile,
                    "LSOAs": int(r.lsoas),
                    "Residents": int(r.residents),
                    what: int(r.count),
                    "Per 1,000 residents": r.per_1000,
                }
            )
    return rows, ratios


def factors_section(ctx: Context) -> Section:
    deciles = deprivation_deciles(ctx.store, ctx.area)
    paragraphs: list[str] = []
    tables: list[Table] = []
    if ctx.lsoa_population is None:
        paragraphs.append(
            "No population is loaded for every LSOA of the area, so no rates by deprivation "
            "(load it with csphub ingest geography --population)."
        )
    elif deciles.empty:
        paragraphs.append(
            "No Index of Multiple Deprivation is loaded for the area (load it with csphub "
            "ingest geography --imd)."
        )
    else:
        rows, ratios = _gradient_rows(ctx, deciles, _counts(ctx), "Police records")
        tables.append(
            Table.of(
                "factors-deprivation",
                f"Police records per 1,000 residents by deprivation quintile, {ctx.current_label}",
                rows,
            )
        )
        imd, compared = ratios.get("imd", (None, None))
        if imd is not None and compared is not None:
            paragraphs.append(
                f"Deprivation: the area's LSOAs in the most deprived IMD quintile it has "
                f"(quintile {compared[0]} of England's five) have {imd:.1f} times the rate of "
                f"police records of those in its least deprived (quintile {compared[1]})."
            )
        tables.append(
            Table.of(
                "factors-ratios",
                "Rate of the most over the least deprived quintile the area has, by domain",
                [
                    {
                        "Domain": k,
                        "Quintiles compared": None if c is None else f"{c[0]} and {c[1]}",
                        "Ratio": None if v is None else round(v, 1),
                    }
                    for k, (v, c) in ratios.items()
                ],
            )
        )
        steep = sorted(((v, k) for k, (v, _) in ratios.items() if v is not None), reverse=True)
        if steep:
            paragraphs.append(
                "By domain, the steepest gradients (most over least deprived quintile) are: "
                + "; ".join(f"{k} {v:.1f}" for v, k in steep[:3])
                + "."
            )
    paragraphs.append(CAVEAT)
    tables.append(_population_table(ctx))
    paragraphs.append(
        "Population structure: the store holds residents per LSOA only, not by age, so the "
        "share of young people (the age most at risk of serious violence) cannot be shown; "
        "loading single-year-of-age population would add it."
    )
    return Section(
        "factors",
        "Risk and protective factors",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
    )


def _population_table(ctx: Context) -> Table:
    area_km2 = ctx.store.con.execute(
        "SELECT sum(area_km2) FROM boundary WHERE level = 'lsoa' "
        "AND code IN (SELECT unnest(?::VARCHAR[]))",
        [list(ctx.area.lsoa_codes)],
    ).fetchone()[0]
    residents = ctx.population
    density = round(residents / area_km2, 1) if residents and area_km2 else None
    rows = [
        {"Measure": "LSOAs", "Value": len(ctx.area.lsoa_codes)},
        {"Measure": "Residents", "Value": None if residents is None else int(residents)},
        {"Measure": "Area (km²)", "Value": None if not area_km2 else round(float(area_km2), 1)},
        {"Measure": "Residents per km²", "Value": density},
    ]
    return Table.of("factors-population", f"Population of {ctx.area.name}", rows)
