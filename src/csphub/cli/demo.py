"""``csphub demo``: generate the demo borough and load it through the real ingest path."""

from __future__ import annotations

import sys
from pathlib import Path
from time import perf_counter

import click

from csphub.cli.common import opened_store
from csphub.cli.demo_products import write_demo_products
from csphub.cli.output import note
from csphub.cli.products import pdf_option
from csphub.demo import generate_demo
from csphub.demo.geography import LAD_CODE as DEMO_AREA
from csphub.ingest.geography import ingest_geography
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("csphub-demo"),
    show_default=True,
    help="Folder for the generated files.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Evidence store for the demo [default: OUT/store, kept apart from real data].",
)
@click.option(
    "--products/--no-products",
    default=True,
    show_default=True,
    help="Also write the Strategic Assessment, tasking pack and ASB report to OUT/products.",
)
@pdf_option
def demo(out: Path, seed: int, store_dir: Path | None, products: bool, pdf: bool) -> None:
    """Generate the synthetic demo borough, Brackwater, ingest it and write its reports.

    The files are written in the formats real data comes in (data.police.uk CSVs, ONS
    GeoJSON and lookups, population and deprivation, partner extracts) and loaded with the
    same code as real downloads. Same seed, same files. Then the three products are
    written for the borough: the Strategic Assessment of the last 12 months, the tasking
    pack of the last month and the ASB report of the last quarter.
    """
    store_dir = store_dir or out / "store"
    started = perf_counter()
    note(f"Generating the demo borough in {out} (seed {seed}) ...")
    files = generate_demo(out, seed=seed)
    made = perf_counter()
    note(
        f"  Brackwater: {files.lsoas} LSOAs, {files.wards} wards, {files.msoas} MSOAs, "
        f"{files.population:,} residents, {files.area_km2:.1f} km²"
    )
    note(
        f"  {len(files.street_files)} months of police.uk street files "
        f"({files.street_rows:,} rows), outcomes ({files.outcome_rows:,} rows)"
    )
    note(
        f"  partner extracts: {files.events:,} police events, "
        f"{files.housing_events:,} housing ASB reports ({made - started:.1f} s)"
    )
    failed = False
    with opened_store(store_dir, create=True) as store:
        t = perf_counter()
        geo = ingest_geography(
            store,
            boundaries=[
                (files.lsoa_geojson, "lsoa"),
                (files.ward_geojson, "ward"),
                (files.msoa_geojson, "msoa"),
            ],
            lookups=[files.lookup],
            population=[files.population_csv],
            imd=[files.imd],
        )
        failed |= not geo.ok
        for e in geo.errors:
            note(f"  error: {e.message}")
        loaded = sum(1 for f in geo.files if f.status != "unchanged")
        note(
            f"Ingested geography: {loaded} loaded, {len(geo.files) - loaded} unchanged "
            f"({perf_counter() - t:.1f} s)"
        )
        for label, paths in (
            ("police.uk files", [files.root / "police-uk"]),
            ("partner extracts", [files.police_events, files.housing_asb]),
        ):
            sources, errors = expand_paths(paths)
            summary = ingest_sources(store, sources).to_dict()
            for e in [*errors, *summary["errors"]]:
                note(f"  error: {e}")
            failed |= bool(errors or summary["errors"])
            note(
                f"Ingested {label}: {summary['files_loaded']} loaded, "
                f"{summary['files_unchanged']} unchanged, {summary['rows_loaded']:,} rows, "
                f"{summary['rows_quarantined']} quarantined ({summary['seconds']:.1f} s)"
            )
        if products and not failed:
            note(f"Writing the reports for Brackwater ({DEMO_AREA}) to {out / 'products'}:")
            write_demo_products(store, DEMO_AREA, out / "products", pdf=pdf)
    note(f"Done in {perf_counter() - started:.1f} s. Store: {store_dir}")
    note(f"Try: csphub query counts --by month,crime_type --store {store_dir}")
    note(f"     csphub query counts --by ward_code --area {DEMO_AREA} --store {store_dir}")
    if failed:
        sys.exit(1)
