"""Road safety and the Serious Violence needs assessment on real data: Blackpool
(E06000009) with police.uk (to October 2022) and the DfT STATS19 Lancashire 2023 collisions.
Expectations are the published figures (SOURCES.md 9a) and counts made here with the csv
module from the raw files. Skips without ../shared/data."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter

import pytest
from click.testing import CliRunner

from csphub.cli.main import cli

pytestmark = pytest.mark.shared

AREA = "E06000009"
CURRENT, PREVIOUS = "2021-11..2022-10", "2020-11..2021-10"
VIOLENCE = ("Violence and sexual offences", "Robbery", "Possession of weapons")
STATS19 = "road_safety/stats19_collisions_2023_lancashire_DERIVED.csv"
STREET = "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"


@pytest.fixture(scope="module")
def blackpool(tmp_path_factory, shared_data_session):
    shared = shared_data_session
    root = tmp_path_factory.mktemp("blackpool-partner")
    store = str(root / "store")
    ref = shared / "reference_tables"
    steps = [
        ["ingest", "police-uk", str(shared / STREET)],
        ["ingest", "geography",
         "--boundaries", str(shared / "boundaries/lsoa11_by_lad/E06000009.geojson"),
         "--level", "lsoa",
         "--boundaries", str(shared / "boundaries/wards13_by_lad/E06000009.geojson"),
         "--level", "ward",
         "--lookup", str(ref / "lookup_lsoa11_ltla21.csv.gz"),
         "--lookup", str(ref / "lookup_lsoa11_ward17.csv.gz"),
         "--population", str(shared / "population"
                             / "lsoa11_population_mid2020_single_year_of_age.csv.gz"),
         "--imd", str(shared / "deprivation/imd2019_england_lsoa11_ranks_deciles.csv.gz")],
        ["ingest", "stats19", str(shared / STATS19)],
        ["assess", "--area", AREA, "--period", CURRENT, "--previous", PREVIOUS,
         "--out", str(root / "sa"), "--no-pdf"],
        ["svd-needs", "--area", AREA, "--period", CURRENT, "--out", str(root / "svd"),
         "--no-pdf"],
    ]  # fmt: skip
    for args in steps:
        result = CliRunner().invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    return root, shared


def _rows(folder, name):
    text = (folder / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _raw_collisions(shared):
    with (shared / STATS19).open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["local_authority_ons_district"] == AREA]


def _raw_street(shared, period, types):
    start, end = period.split("..")
    with gzip.open(shared / STREET, "rt", encoding="utf-8", newline="") as handle:
        return sum(
            1
            for r in csv.DictReader(handle)
            if start <= r["Month"] <= end and r["Crime type"] in types and r["LSOA code"]
        )


def test_road_safety_shows_2023_for_reference_and_is_not_scored(blackpool):
    root, shared = blackpool
    raw = _raw_collisions(shared)
    severities = [r["accident_severity"] for r in raw]
    severity = {r["Measure"]: r for r in _rows(root / "sa", "road-roads-severity")}
    # the published figures: 279 collisions, 4 fatal, 86 serious, 189 slight
    assert len(raw) == 279
    assert int(severity["Collisions"]["2023"]) == 279
    assert int(severity["Collisions: fatal"]["2023"]) == severities.count("1") == 4
    assert int(severity["Collisions: serious (recorded)"]["2023"]) == severities.count("2") == 86
    assert int(severity["Collisions: slight (recorded)"]["2023"]) == severities.count("3") == 189
    assert float(severity["Collisions: KSI (recorded)"]["2023"]) == 90
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "KSI as recorded (no severity adjustment)" in html
    assert "cannot be computed: no STATS19 casualty rows are loaded" in html
    missing = {
        r["Priority"]: r["Why not scored"] for r in _rows(root / "sa", "priorities-not-measured")
    }
    assert "the collisions loaded cover 2023" in missing["Road safety"]
    by_lsoa = Counter(r["lsoa_of_accident_location"] for r in raw)
    lsoas = {r["LSOA"]: int(r["Collisions"]) for r in _rows(root / "sa", "road-roads-lsoas")}
    assert lsoas == {code: by_lsoa[code] for code in lsoas}
    assert max(lsoas.values()) == max(by_lsoa.values())
    hours = {
        r["Hour starting"]: int(r["Collisions"])
        for r in _rows(root / "sa", "road-roads-time-hours")
    }
    raw_hours = [int(r["time"][:2]) for r in raw]
    assert hours == {f"{h:02d}:00": raw_hours.count(h) for h in range(24)}


def test_violence_confidence_says_police_only(blackpool):
    root, _ = blackpool
    ranked = {r["Priority"]: r for r in _rows(root / "sa", "priorities-ranked")}
    assert ranked["Violence and serious violence"]["Confidence"] == "Medium"
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "(police.uk only)" in html
    assert "No A&amp;E assault data (ISTV) is loaded" in html


def test_needs_assessment_figures_and_honesty(blackpool):
    root, shared = blackpool
    svd = root / "svd"
    html = (svd / "index.html").read_text(encoding="utf-8")
    for period in (PREVIOUS, CURRENT):
        types = {r["Crime type"]: int(r[period]) for r in _rows(svd, "volume-types")}
        assert sum(types.values()) == _raw_street(shared, period, VIOLENCE)
        assert types["Robbery"] == _raw_street(shared, period, ("Robbery",))
    # every A&E part says no ISTV data was loaded
    assert html.count("No A&amp;E assault data (ISTV) is loaded") >= 5
    assert "No A&amp;E assault data (ISTV) was loaded" in html
    # STATS19 2023 is shown for reference, with the published figures
    assert (
        "279 injury collisions, 90 killing or seriously injuring someone (4 fatal, 86 serious, "
        "189 slight; 362 casualties)" in html
    )
    used = {r["Authority"]: r["Data used here"] for r in _rows(svd, "authorities")}
    police = next(k for k in used if k.startswith("Police"))
    assert (
        used[police] == "Police recorded crime and ASB (data.police.uk); Road collisions (STATS19)"
    )
    assert used["Integrated care board (health)"] == "none"
    gaps = {r["Data"]: r["In this assessment"] for r in _rows(svd, "data-gaps")}
    assert gaps["A&E assault attendances (ISTV / ISB1594)"] == "no"
    assert gaps["Police recorded crime and ASB (data.police.uk)"] == "yes"
    for section in ("Who", "Weapons", "The night-time economy", "Data gaps",
                    "Interventions and cohorts (completed by the partnership)"):  # fmt: skip
        assert f">{section}</h2>" in html
    interventions = _rows(svd, "interventions")
    assert interventions and all(r["Intervention"] == "" for r in interventions)
