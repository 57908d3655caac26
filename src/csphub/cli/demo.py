"""``csphub demo``: generate the demo borough and load it through the real ingest path."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from time import perf_counter

import click

from csphub.cli.common import opened_store
from csphub.cli.demo_hub import DemoHub, create_demo_hub
from csphub.cli.demo_products import write_demo_products
from csphub.cli.output import note
from csphub.cli.products import pdf_option
from csphub.cli.serve import exit_if_port_in_use
from csphub.demo import generate_demo
from csphub.demo.geography import LAD_CODE as DEMO_AREA
from csphub.ingest.geography import ingest_geography
from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
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
    help="Also write the Strategic Assessment, Serious Violence needs assessment, tasking pack "
    "and ASB report to OUT/products.",
)
@pdf_option
@click.option(
    "--serve/--no-serve",
    default=True,
    show_default=True,
    envvar="CSPHUB_DEMO_SERVE",
    help="Serve the demo hub at the end (until Ctrl+C) [env CSPHUB_DEMO_SERVE=0 never serves].",
)
@click.option("--port", type=int, default=8000, show_default=True, help="Port of the demo hub.")
def demo(
    out: Path,
    seed: int,
    store_dir: Path | None,
    products: bool,
    pdf: bool,
    serve: bool,
    port: int,
) -> None:
    """Generate the synthetic demo borough, Brackwater, ingest it and write its reports,
    then create the demo partnership hub and serve it.

    The files are written in the formats real data comes in (data.police.uk CSVs, ONS
    GeoJSON and lookups, population and deprivation, partner extracts) and loaded with the
    same code as real downloads. Same seed, same files. Then the four products are
    written for the borough: the Strategic Assessment and the Serious Violence needs
    assessment of the last 12 months, the tasking pack of the last month and the ASB report
    of the last quarter. Last, the demo
    partnership (agencies, users, groups, the plan, meetings and actions) is created in
    OUT/hub (SQLite) and served at http://localhost:PORT/ with the demo store as its
    evidence (--no-serve to stop after creating it).
    """
    store_dir = store_dir or out / "store"
    if serve:  # say so now, not after a minute of generating and writing
        exit_if_port_in_use("127.0.0.1", port)
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
        for label, paths, fmt in (
            ("police.uk files", [files.root / "police-uk"], None),
            ("partner extracts", [files.police_events, files.housing_asb], None),
            ("STATS19 collisions", [files.collisions, files.casualties, files.vehicles], "stats19"),
            ("A&E ISTV extracts", list(files.istv_files), "istv"),
            ("fire incidents", [files.fire_incidents], "fire"),
        ):
            sources, errors = expand_paths(paths)
            partner = partner_format(fmt) if fmt else None
            summary = ingest_sources(store, sources, fmt=partner).to_dict()
            for e in [*errors, *summary["errors"]]:
                note(f"  error: {e}")
            failed |= bool(errors or summary["errors"])
            note(
                f"Ingested {label}: {summary['files_loaded']} loaded, "
                f"{summary['files_unchanged']} unchanged, {summary['rows_loaded']:,} rows, "
                f"{summary['rows_quarantined']} quarantined ({summary['seconds']:.1f} s)"
            )
    # The hub after the store is closed (its places are located in it, read only), and
    # the products after the hub, with its casework.
    hub = None if failed else create_demo_hub(out / "hub", store_dir)
    if products and hub is not None:
        with opened_store(store_dir) as store:
            note(f"Writing the reports for Brackwater ({DEMO_AREA}) to {out / 'products'}:")
            write_demo_products(store, DEMO_AREA, out / "products", pdf=pdf, hub_dir=hub.hub_dir)
    note(f"Done in {perf_counter() - started:.1f} s. Store: {store_dir}")
    note(f"Try: csphub query counts --by month,crime_type --store {store_dir}")
    note(f"     csphub query counts --by ward_code --area {DEMO_AREA} --store {store_dir}")
    if hub is None:
        sys.exit(1)
    say_how_to_sign_in(hub, port, store_dir)
    if serve:
        serve_demo_hub(hub, store_dir, port)


def say_how_to_sign_in(hub: DemoHub, port: int, store_dir: Path) -> None:
    made = f"{hub.created} records created" if hub.created else "already there, unchanged"
    note(f"The demo partnership hub: {hub.database} ({made}).")
    note(f"Sign in at http://localhost:{port}/sign-in/ as one of these users,")
    note(f"all with the password {hub.password} (a demo password, for local use only):")
    width = max(len(u.username) for u in hub.users)
    for u in hub.users:
        note(f"  {u.username:<{width}}  {u.name}, {u.agency}: {u.roles}")
    note(
        f"Serve it again with: csphub serve --hub-dir {hub.hub_dir} --port {port} "
        f"--store {store_dir} --area {DEMO_AREA}"
    )


def serve_demo_hub(hub: DemoHub, store_dir: Path, port: int) -> None:
    """Serve the demo hub with the demo store as its evidence (until Ctrl+C)."""
    from csphub.cli.serve import prepare, serve_prepared

    os.environ.pop("DATABASE_URL", None)  # the demo hub is the SQLite file in OUT/hub
    prepare(hub.hub_dir, store_dir.resolve(), DEMO_AREA)
    serve_prepared("127.0.0.1", port, workers=2, threads=4)
