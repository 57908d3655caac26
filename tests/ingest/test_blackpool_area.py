"""End to end on real data: the Lancashire files, the ONS lookup, and Blackpool as an area."""

from __future__ import annotations

import csv

import pytest

from csphub.analysis.counts import counts
from csphub.ingest.geography import ingest_geography
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
from csphub.store.areas import resolve_area

pytestmark = pytest.mark.shared


def test_blackpool_counts_through_the_lookup_equal_the_reference(store, shared_data):
    sources, _ = expand_paths([shared_data / "police_uk/lancashire/street"])
    ingest_sources(store, sources)
    ref = shared_data / "reference_tables"
    geo = ingest_geography(
        store,
        lookups=[ref / "lookup_lsoa11_ltla21.csv.gz", ref / "lookup_lsoa11_ward17.csv.gz"],
        population=[shared_data / "population/lsoa11_population_mid2019_single_year_of_age.csv.gz"],
    )
    assert geo.ok
    blackpool = resolve_area(store, "E06000009")
    assert len(blackpool.lsoa_codes) == 94 and blackpool.name == "Blackpool"

    got = {
        (r["month"], r["crime_type"]): r["count"]
        for r in counts(store, ["month", "crime_type"], area=blackpool).records()
    }
    with open(ref / "blackpool_monthly_counts_by_crime_type_DERIVED.csv") as fh:
        expected = {
            (r["month"], r["crime_type"]): int(r["count"])
            for r in csv.DictReader(fh)
            if int(r["count"])
        }
    assert got == expected
    assert sum(got.values()) == 97_629

    one_year = counts(store, ["crime_type"], area=blackpool, start="2021-11", end="2022-10")
    assert "rate_per_1000" in one_year.columns
    asb = next(r for r in one_year.records() if r["crime_type"] == "Anti-social behaviour")
    assert asb["rate_per_1000"] == pytest.approx(1000 * asb["count"] / 139_446, abs=1e-3)
    wards = counts(store, ["ward_code"], area=blackpool)
    assert len(wards.rows) == 21
    assert wards.total == 97_629
