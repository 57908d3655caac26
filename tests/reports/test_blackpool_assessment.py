"""The Strategic Assessment on real data: Blackpool (E06000009, 94 LSOAs) for 2021-11..2022-10
against 2020-11..2021-10. The report's headline numbers must equal the store's and the
published reference counts. Skips without ../shared/data."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from csphub.analysis.counts import counts
from csphub.cli.main import cli
from csphub.store import open_store
from csphub.store.areas import resolve_area

pytestmark = pytest.mark.shared

AREA = "E06000009"
CURRENT, PREVIOUS = "2021-11..2022-10", "2020-11..2021-10"
ASB = "Anti-social behaviour"


@pytest.fixture(scope="module")
def blackpool(tmp_path_factory, shared_data_session):
    SHARED_DATA = shared_data_session
    root = tmp_path_factory.mktemp("blackpool")
    store = str(root / "store")
    ref = SHARED_DATA / "reference_tables"
    steps = [
        ["ingest", "police-uk",
         str(SHARED_DATA / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz")],
        ["ingest", "geography",
         "--boundaries", str(SHARED_DATA / "boundaries/lsoa11_by_lad/E06000009.geojson"),
         "--level", "lsoa",
         "--boundaries", str(SHARED_DATA / "boundaries/wards13_by_lad/E06000009.geojson"),
         "--level", "ward",
         "--lookup", str(ref / "lookup_lsoa11_ltla21.csv.gz"),
         "--lookup", str(ref / "lookup_lsoa11_ward17.csv.gz"),
         "--population", str(SHARED_DATA / "population"
                             / "lsoa11_population_mid2020_single_year_of_age.csv.gz"),
         "--imd", str(SHARED_DATA / "deprivation/imd2019_england_lsoa11_ranks_deciles.csv.gz")],
        ["assess", "--area", AREA, "--period", CURRENT, "--previous", PREVIOUS,
         "--css", str(SHARED_DATA / "harm_weights_official/css_total_by_ltla23_ye_mar2023.csv"),
         "--css-label", "April 2022 to March 2023", "--out", str(root / "sa"), "--no-pdf"],
    ]  # fmt: skip
    for args in steps:
        result = CliRunner().invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    return root, SHARED_DATA


def _rows(root, name):
    text = (root / "sa" / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _reference(shared, period):
    start, end = period.split("..")
    path = shared / "reference_tables" / "blackpool_monthly_counts_by_crime_type_DERIVED.csv"
    totals: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if start <= r["month"] <= end:
                totals[r["crime_type"]] = totals.get(r["crime_type"], 0) + int(r["count"])
    return totals


def test_headline_numbers_equal_the_store_and_the_reference(blackpool):
    root, shared = blackpool
    headline = {r["Measure"]: r for r in _rows(root, "headline-totals")}
    with open_store(root / "store", read_only=True) as store:
        area = resolve_area(store, AREA)
        assert len(area.lsoa_codes) == 94
        for period in (PREVIOUS, CURRENT):
            start, end = period.split("..")
            by_type = {
                r["crime_type"]: r["count"]
                for r in counts(store, ["crime_type"], start=start, end=end, area=area).records()
            }
            reference = _reference(shared, period)
            assert by_type == reference
            asb = by_type.pop(ASB)
            assert int(headline[ASB][period]) == asb
            assert int(headline["All crime (excluding ASB)"][period]) == sum(by_type.values())
    changes = {r["Crime type"]: r for r in _rows(root, "changes-by-type")}
    current = _reference(shared, CURRENT)
    assert {t: int(r[CURRENT]) for t, r in changes.items()} == current


def test_priorities_on_real_data(blackpool):
    root, shared = blackpool
    ranked = {r["Priority"]: r for r in _rows(root, "priorities-ranked")}
    assert set(ranked) == {"Violence and serious violence", "Antisocial behaviour", "Burglary"}
    for period in (PREVIOUS, CURRENT):
        reference = _reference(shared, period)
        assert int(ranked["Burglary"][period]) == reference["Burglary"]
        violence = sum(
            reference.get(t, 0)
            for t in ("Violence and sexual offences", "Robbery", "Possession of weapons")
        )
        assert int(ranked["Violence and serious violence"][period]) == violence
    missing = {r["Priority"] for r in _rows(root, "priorities-not-measured")}
    assert missing == {
        "Sexual offences, rape and prostitution",
        "Domestic abuse",
        "Child sexual and criminal exploitation",
        "Road safety",
    }
    wards = _rows(root, "wards")
    assert len(wards) == 21
    assert sum(int(w["ASB"]) for w in wards) == _reference(shared, CURRENT)[ASB]


def test_key_threats_name_every_significant_rise_with_its_test(blackpool):
    root, _ = blackpool
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    sentence = html.split("Key threats:")[1].split("</p>")[0]
    changes = _rows(root, "changes-by-type")
    rises = [r for r in changes if r["Significant"] == "True" and int(r["Change"]) > 0]
    for r in rises:
        assert f"{r['Crime type']} ({int(r['Change']):+,}, {r['Test']}" in sentence
    others = [r["Crime type"] for r in changes if r not in rises]
    assert not [t for t in others if f"{t} (" in sentence]
    # Blackpool's monthly counts vary several times as much as Poisson counts: violence
    # and sexual offences is tested with quasi-Poisson and its rise is not significant after
    # Holm, while theft from the person's is
    by_type = {r["Crime type"]: r for r in changes}
    violence = by_type["Violence and sexual offences"]
    assert violence["Test"] == "quasi-Poisson" and float(violence["Monthly dispersion"]) > 4
    assert violence["Significant"] == "False"
    assert by_type["Theft from the person"]["Significant"] == "True"


def test_missing_months_are_gaps_named_and_never_averaged_over(blackpool):
    # the Blackpool file lacks 2019-03 to 2019-11, 2020-06, 2020-08 and 2020-09; the chart
    # window is 2019-11 to 2022-10
    root, _ = blackpool
    trend = {r["Month"]: r for r in _rows(root, "violence-trend")}
    assert len(trend) == 36
    assert trend["2020-06"]["Recorded"] == "" and trend["2019-11"]["Recorded"] == ""
    # 12 calendar months to 2021-02 include 2020-06, -08 and -09: no average (the old
    # average of 12 loaded rows spanned 15 months); 2021-10's 12 months are all loaded
    assert trend["2021-02"]["12-month average"] == ""
    assert trend["2021-08"]["12-month average"] == ""  # 2020-09 to 2021-08
    months = [f"2020-{m:02d}" for m in range(11, 13)] + [f"2021-{m:02d}" for m in range(1, 11)]
    mean = sum(int(trend[m]["Recorded"]) for m in months) / 12
    assert float(trend["2021-10"]["12-month average"]) == round(mean, 1)
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "2019-11, 2020-06, 2020-08 to 2020-09" in html
    window = {r["Item"]: r["Value"] for r in _rows(root, "parameters")}["Chart window"]
    assert window == (
        "2019-11 to 2022-10 (36 calendar months; not loaded: 2019-11, 2020-06, 2020-08 to 2020-09)"
    )


def test_the_pandemic_is_context_with_a_pre_pandemic_comparison(blackpool):
    root, shared = blackpool
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "COVID-19 restrictions (March 2020 to March 2022)" in html
    assert "previous period (2020-11 to 2021-10) falls wholly within them" in html
    assert "overlaps them in 2021-11 to 2022-03" in html
    # the store holds 2018-11 to 2019-02 and 2019-12 to 2020-02 before the pandemic: the
    # same calendar months of the assessment period are November to February
    path = shared / "reference_tables" / "blackpool_monthly_counts_by_crime_type_DERIVED.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["crime_type"] == "Burglary"]
    pre = ("2018-11", "2018-12", "2019-01", "2019-02", "2019-12", "2020-01", "2020-02")
    now = ("2021-11", "2021-12", "2022-01", "2022-02")
    pre_rate = sum(int(r["count"]) for r in rows if r["month"] in pre) / len(pre)
    now_rate = sum(int(r["count"]) for r in rows if r["month"] in now) / len(now)
    context = {r["Measure"]: r for r in _rows(root, "pandemic-context")}
    burglary = context["Burglary"]
    assert float(burglary["Pre-pandemic per month"]) == round(pre_rate, 1)
    assert float(burglary["Same months now per month"]) == round(now_rate, 1)
    assert float(burglary["Against pre-pandemic (%)"]) == round(100 * (now_rate / pre_rate - 1), 1)
    assert now_rate < 0.7 * pre_rate
    # burglary's rise on the pandemic year leaves it well below its pre-pandemic level:
    # scored as a recovery, and the table says so
    ranked = {r["Priority"]: r for r in _rows(root, "priorities-ranked")}
    assert ranked["Burglary"]["Likelihood (1-4)"] == "3"
    assert "below the pre-pandemic level" in ranked["Burglary"]["Likelihood basis"]


def test_harm_per_resident_is_set_beside_the_published_css_with_the_reasons(blackpool):
    root, _ = blackpool
    headline = {r["Measure"]: r for r in _rows(root, "headline-totals")}
    harm = float(headline["Harm of all crime (CSS days)"][CURRENT])
    residents = float(headline["Residents (population loaded)"][CURRENT])
    css = {r["Measure"]: r for r in _rows(root, "harm-against-css")}
    ours = harm / residents
    # ONS publishes 29.4658 for Blackpool, April 2022 to March 2023 (SOURCES.md section 10)
    assert float(css["ONS Crime Severity Score (published)"]["Value"]) == 29.47
    assert float(css["Gap (%)"]["Value"]) == pytest.approx(100 * (ours / 29.4658 - 1), abs=0.1)
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "below the published ONS Crime Severity Score for Blackpool" in html
    assert "no fraud" in html and "Rates per resident: in town-centre" in html


def test_wards_are_named_from_the_loaded_ward_boundaries(blackpool):
    import json

    root, shared = blackpool
    path = shared / "boundaries/wards13_by_lad/E06000009.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    names = {f["properties"]["WD13CD"]: f["properties"]["WD13NM"] for f in features}
    wards = _rows(root, "wards")
    assert {w["Ward"]: w["Name"] for w in wards} == {w["Ward"]: names[w["Ward"]] for w in wards}
    assert "Talbot" in {w["Name"] for w in wards}


def test_checksums_are_of_the_files_as_downloaded_and_not_printed(blackpool):
    import hashlib

    root, shared = blackpool
    gz = shared / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"
    sources = {r["File"]: r for r in _rows(root, "sources")}
    row = sources[gz.name]
    assert row["SHA-256 of the file as downloaded"] == hashlib.sha256(gz.read_bytes()).hexdigest()
    assert row["SHA-256 of the CSV loaded"] != row["SHA-256 of the file as downloaded"]
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert '<details class="govuk-details"><summary class="govuk-details__summary">Source' in html


def test_an_assessment_without_identifiers_carries_no_marking(blackpool):
    root, _ = blackpool
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "app-marking" not in html.split("</style>")[1]
