"""Build the Brackwater demo borough and write every file ``csphub demo`` loads.

Only writes files: loading them goes through the real ingest code, so the demo exercises
the same path as real data. Same seed, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from csphub.demo import ae, fires, partner, policeuk, roads
from csphub.demo import geography_files as gf
from csphub.demo.crime import simulate_police_events
from csphub.demo.deprivation import Deprivation, simulate_deprivation
from csphub.demo.geography import Geography, build_geography
from csphub.demo.hotspots import place_hotspots
from csphub.demo.housing import simulate_housing_asb
from csphub.demo.locate import build_setting
from csphub.demo.names import FORCE, HOUSING_PROVIDER
from csphub.demo.outcomes import simulate_outcomes
from csphub.demo.params import SPECS, check_specs
from csphub.demo.people import build_people
from csphub.demo.places import build_addresses
from csphub.demo.population import simulate_population
from csphub.demo.rand import stream
from csphub.demo.snap import build_snap_points
from csphub.demo.timing import month_window

NO_LOCATION_RATE = 0.028
NO_LOCATION_RATE_BY_TYPE = {"Other crime": 0.10}  # often recorded against no place


@dataclass(frozen=True)
class DemoFiles:
    """Every file written, and the counts the CLI reports.

    ``street_rows`` equals ``events``: each police event is one street row. The housing
    log and the address list are extra partner files, not published by police.uk.
    """

    root: Path
    street_files: tuple[Path, ...]
    outcome_files: tuple[Path, ...]
    lsoa_geojson: Path
    msoa_geojson: Path
    ward_geojson: Path
    lookup: Path
    population_csv: Path
    imd: Path
    police_events: Path
    housing_asb: Path
    addresses: Path
    collisions: Path  # DfT STATS19 layout, with casualties and vehicles
    casualties: Path
    vehicles: Path
    fire_incidents: Path
    istv_files: tuple[Path, ...]  # the A&E's monthly ISTV extracts
    lsoas: int
    msoas: int
    wards: int
    population: int
    area_km2: float
    street_rows_by_month: tuple[tuple[str, int], ...]
    street_rows: int
    outcome_rows: int
    events: int
    housing_events: int
    address_count: int

    @property
    def paths(self) -> tuple[Path, ...]:
        """All written files, street and outcome files first."""
        out: list[Path] = [*self.street_files, *self.outcome_files]
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Path) and f.name != "root":
                out.append(value)
        return (*out, *self.istv_files)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill((np.arange(n) + 1).astype(str), width))


def _write_geography(g: Path, geo: Geography, ages: np.ndarray, dep: Deprivation) -> None:
    gf.write_geojson(
        g / "lsoa.geojson", geo.lsoa_poly, {"LSOA11CD": geo.lsoa_code, "LSOA11NM": geo.lsoa_name}
    )
    gf.write_geojson(
        g / "msoa.geojson", geo.msoa_poly, {"MSOA11CD": geo.msoa_code, "MSOA11NM": geo.msoa_name}
    )
    gf.write_geojson(
        g / "wards.geojson", geo.ward_poly, {"WD13CD": geo.ward_code, "WD13NM": geo.ward_name}
    )
    gf.write_lookup(g / "lookup.csv", geo)
    gf.write_population(g / "population.csv", geo, ages)
    gf.write_imd(g / "imd2019.csv", geo, dep)


def _write_partner_formats(p, window, police, asb, geo, spots, addr, seed) -> dict[str, object]:
    """STATS19 collisions (+ casualties, vehicles), the A&E's ISTV extracts and the fire
    service's incidents, each from its own random stream."""
    collisions = roads.simulate_collisions(window, geo, spots, stream(seed, "roads"))
    paths = roads.write_collisions(p / "stats19", collisions, stream(seed, "road-people"))
    injury = np.isin(police.offence, ["Assault with injury", "Grievous bodily harm"])
    records = ae.simulate_attendances(police, injury, window, geo, spots, stream(seed, "ae"))
    istv = ae.write_monthly_extracts(p / "istv", records)
    asb_events = police.take(np.flatnonzero(police.ctype == asb))
    asb_events = asb_events.take(np.argsort(asb_events.t, kind="stable"))
    incidents = fires.simulate_fires(window, asb_events, addr, geo, stream(seed, "fire"))
    fires.write_fires(p / "fire" / "fire-incidents.csv", incidents, geo)
    return {
        "collisions": paths[0],
        "casualties": paths[1],
        "vehicles": paths[2],
        "fire_incidents": p / "fire" / "fire-incidents.csv",
        "istv_files": tuple(istv),
    }


def generate_demo(
    out_dir: Path, *, seed: int = 2026, months: int = 36, end_month: str = "2025-12"
) -> DemoFiles:
    """Simulate Brackwater for ``months`` months ending ``end_month`` and write its files.

    Layout under ``out_dir``: ``police-uk/YYYY-MM/YYYY-MM-demoshire-{street,outcomes}.csv``,
    ``geography/`` (boundaries, lookup, population, IMD) and ``partner/`` (police and
    housing extracts, addresses). Existing files of the same names are overwritten; nothing
    else is touched.

    Examples
    --------
    >>> files = generate_demo(Path("csphub-demo"), seed=2026)  # doctest: +SKIP
    >>> files.lsoas, files.wards  # doctest: +SKIP
    (90, 20)
    """
    out_dir = Path(out_dir)
    window = month_window(end_month, months)
    check_specs()
    asb = next(i for i, s in enumerate(SPECS) if s.name == "Anti-social behaviour")

    geo = build_geography(stream(seed, "geography"))
    spots = place_hotspots(geo, stream(seed, "hotspots"))
    dep = simulate_deprivation(geo, spots, stream(seed, "deprivation"))
    ages = simulate_population(geo, dep, spots, stream(seed, "population"))
    addr = build_addresses(geo, spots, ages.sum(axis=1), stream(seed, "addresses"))
    snap = build_snap_points(geo, addr, spots, stream(seed, "snap"))
    people = build_people(addr, dep.score, stream(seed, "people"))
    setting = build_setting(geo, spots, addr, dep)
    police = simulate_police_events(setting, people, window, stream(seed, "crime"))
    housing = simulate_housing_asb(police, asb, window, setting, people, stream(seed, "housing"))

    rng = stream(seed, "publication")
    month = (police.t.astype("datetime64[M]") - window[0]).astype(int)
    outcomes = simulate_outcomes(police.ctype, month, police.offender >= 0, months, asb, rng)
    rate = np.array([NO_LOCATION_RATE_BY_TYPE.get(s.name, NO_LOCATION_RATE) for s in SPECS])
    no_location = rng.uniform(size=len(police)) < rate[police.ctype]
    event_ids = _ids("PE-", len(police), 7)
    crime_ids = policeuk.crime_ids(event_ids, seed)
    pub = policeuk.publish(police, crime_ids, month, no_location, snap, asb)

    labels = window.astype(str).tolist()
    street = policeuk.write_street(out_dir / "police-uk", pub, police, outcomes.last, labels, geo)
    outs = policeuk.write_outcomes(out_dir / "police-uk", pub, outcomes, labels, geo)
    g, p = out_dir / "geography", out_dir / "partner"
    _write_geography(g, geo, ages, dep)
    partner.write_events(p / "police-events.csv", police, event_ids, FORCE, geo, addr, people.ids)
    housing_ids = _ids("BH-", len(housing), 6)
    partner.write_events(
        p / "housing-asb.csv", housing, housing_ids, HOUSING_PROVIDER, geo, addr, people.ids
    )
    n_addresses = partner.write_addresses(p / "addresses.csv", addr, geo)
    others = _write_partner_formats(p, window, police, asb, geo, spots, addr, seed)

    return DemoFiles(
        root=out_dir,
        street_files=tuple(path for path, _ in street),
        outcome_files=tuple(path for path, _ in outs),
        lsoa_geojson=g / "lsoa.geojson",
        msoa_geojson=g / "msoa.geojson",
        ward_geojson=g / "wards.geojson",
        lookup=g / "lookup.csv",
        population_csv=g / "population.csv",
        imd=g / "imd2019.csv",
        police_events=p / "police-events.csv",
        housing_asb=p / "housing-asb.csv",
        addresses=p / "addresses.csv",
        **others,
        lsoas=geo.n_lsoa,
        msoas=len(geo.msoa_code),
        wards=len(geo.ward_code),
        population=int(ages.sum()),
        area_km2=round(float(geo.outline.area) / 1e6, 3),
        street_rows_by_month=tuple((m, n) for m, (_, n) in zip(labels, street, strict=True)),
        street_rows=sum(n for _, n in street),
        outcome_rows=sum(n for _, n in outs),
        events=len(police),
        housing_events=len(housing),
        address_count=n_addresses,
    )
