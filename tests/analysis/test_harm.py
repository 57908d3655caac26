"""Harm weights: packaged tables, the police.uk mapping, user CSVs and harm totals."""

from __future__ import annotations

import csv
import doctest
import math

import pandas as pd
import pyarrow as pa
import pytest

from csphub.analysis import harm, harm_build
from csphub.analysis.harm import (
    HARM_DATA_DIR,
    WeightTable,
    WeightTableError,
    harm_totals,
    load_weights,
)

CRIME_TYPES = HARM_DATA_DIR.parent / "crime_types.csv"


def current_crime_types() -> set[str]:
    lines = [x for x in CRIME_TYPES.read_text().splitlines() if not x.startswith("#")]
    return {r["crime_type"] for r in csv.DictReader(lines) if r["current"] == "1"}


def test_docstring_examples_run():
    assert doctest.testmod(harm).failed == 0


@pytest.mark.parametrize("scheme", ["css", "cchi"])
def test_packaged_tables_cover_the_14_policeuk_types(scheme):
    table = load_weights(scheme)
    assert set(table.weights) | set(table.excluded) == current_crime_types()
    assert table.excluded == ("Anti-social behaviour",)
    assert len(table.weights) == 13
    assert table.vintage and table.source and table.licence and table.derived
    assert table.vintage in table.label


def test_css_policeuk_weights():
    w = load_weights("css")
    assert w.weight("Robbery") == pytest.approx(799.63, abs=0.01)
    assert w.weight("Violence and sexual offences") == pytest.approx(248.04, abs=0.01)
    assert w.weight("Burglary") == pytest.approx(381.54, abs=0.01)
    assert w.weight("Shoplifting") == pytest.approx(11.86, abs=0.01)
    assert w.weight("Anti-social behaviour") is None
    assert "2020" in w.vintage and "2019/20" in w.vintage


def test_cchi_values_are_the_source_values():
    w = load_weights("cchi")
    assert w.weight("Violence and sexual offences") == 194.21
    assert w.weight("Burglary") == 244.68
    assert w.weight("Criminal damage and arson") == 11.18
    assert w.weight("Drugs") == 3.66
    assert "cross-check" in w.name


def test_matching_ignores_case_and_spacing():
    w = load_weights("css")
    assert w.weight("  violence and  SEXUAL offences ") == w.weight("Violence and sexual offences")
    assert w.status("Violent crime") == "unknown"


def test_count_weighted_mean_not_unweighted():
    code_weights = pd.DataFrame(
        {"ho_code": ["A", "B"], "weight": ["10", "100"], "policeuk_crime_type": ["Drugs"] * 2}
    )
    counts = pd.DataFrame({"ho_code": ["A", "B"], "count": [9, 1]})
    out = harm_build.policeuk_css_weights(code_weights, counts).set_index("crime_type")
    assert out.loc["Drugs", "weight"] == pytest.approx(19.0)  # unweighted mean would be 55
    assert out.loc["Drugs", "national_count"] == 10
    assert math.isnan(out.loc["Anti-social behaviour", "weight"])


def test_type_without_counts_is_an_error():
    code_weights = pd.DataFrame({"ho_code": ["A"], "weight": ["1"], "policeuk_crime_type": ["X"]})
    with pytest.raises(ValueError, match="no 2019/20 counts"):
        harm_build.policeuk_css_weights(code_weights, pd.DataFrame({"ho_code": [], "count": []}))


def test_committed_mapping_is_reproduced_by_the_build_script():
    text = harm_build.build_policeuk_file(
        (HARM_DATA_DIR / harm_build.CODE_WEIGHTS_FILE).read_text(),
        (HARM_DATA_DIR / harm_build.COUNTS_FILE).read_text(),
    )
    assert text == (HARM_DATA_DIR / harm_build.POLICEUK_FILE).read_text()
    assert harm_build.main(["--check"]) == 0


def test_check_reports_a_changed_file(tmp_path):
    for name in (harm_build.CODE_WEIGHTS_FILE, harm_build.COUNTS_FILE, harm_build.POLICEUK_FILE):
        (tmp_path / name).write_text((HARM_DATA_DIR / name).read_text())
    counts = tmp_path / harm_build.COUNTS_FILE
    counts.write_text(counts.read_text().replace(",Shoplifting,359198\n", ",Shoplifting,459198\n"))
    assert harm_build.main(["--check", "--out", str(tmp_path)]) == 1


@pytest.mark.shared
def test_packaged_files_match_the_shared_sources(shared_data):
    for name, text in harm_build.import_from_shared(shared_data).items():
        assert text == (HARM_DATA_DIR / name).read_text(), name


@pytest.mark.shared
def test_cchi_rollup_reproduced_from_subgroup_medians(shared_data):
    sub = pd.read_csv(shared_data / "harm_weights/cchi2026_subgroup_medians_isthisben.csv")
    sub["harm"] = sub["cchi_days"] * sub["national_count_2024_25"]
    g = sub.groupby("category")[["harm", "national_count_2024_25"]].sum()
    rolled = (g["harm"] / g["national_count_2024_25"]).round(2)
    assert rolled.to_dict() == dict(load_weights("cchi").weights)


def test_user_csv_with_comment_header(tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "# name: Local weights\n# vintage: 2025\n# a free note: ignored\n"
        "crime_type,weight,comment\nBurglary,5,x\nRobbery,7.5,\nAnti-social behaviour,,no\n"
    )
    table = load_weights(path)
    assert (table.name, table.vintage, table.source) == ("Local weights", "2025", str(path))
    assert dict(table.weights) == {"Burglary": 5.0, "Robbery": 7.5}
    assert table.excluded == ("Anti-social behaviour",)


def test_user_csv_without_header_uses_file_name(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("crime_type,weight\nBurglary,1\n")
    table = load_weights(path)
    assert (table.name, table.vintage) == ("plain", "unspecified")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("crime_type,weight\nBurglary,-1\n", ">= 0"),
        ("crime_type,weight\nBurglary,lots\n", "not a number"),
        ("crime_type,weight\nBurglary,1\nburglary,2\n", "listed twice"),
        ("type,weight\nBurglary,1\n", "crime_type,weight"),
        ("crime_type,weight\n,1\n", "empty crime_type"),
        ("# name: x\n", "no header row"),
    ],
)
def test_bad_user_csv_is_rejected(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(WeightTableError, match=message):
        load_weights(path)


def test_missing_file_names_the_schemes(tmp_path):
    with pytest.raises(WeightTableError, match="css, cchi"):
        load_weights(tmp_path / "nope.csv")


@pytest.fixture
def demo_weights() -> WeightTable:
    return WeightTable(
        "demo",
        "2024",
        "test",
        {"Burglary": 10.0, "Robbery": 100.0},
        excluded=("Anti-social behaviour",),
    )


@pytest.fixture
def counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lsoa_code": ["L1", "L1", "L1", "L2", "L2", "L2"],
            "crime_type": [
                "Burglary",
                "Robbery",
                "Anti-social behaviour",
                "Burglary",
                "Bike theft",
                "Robbery",
            ],
            "count": [3, 1, 7, 2, 4, 0],
        }
    )


def test_harm_totals_by_area_with_population(counts, demo_weights):
    pop = pd.DataFrame({"lsoa_code": ["L1", "L2"], "population": [1000, 2000]})
    out = harm_totals(counts, demo_weights, population=pop, by=["lsoa_code"])
    t = out.table.set_index("lsoa_code")
    assert t.loc["L1", ["count", "harm", "unweighted_count"]].tolist() == [4, 130, 7]
    assert t.loc["L2", ["count", "harm", "unweighted_count"]].tolist() == [2, 20, 4]
    assert t.loc["L1", "harm_per_1000"] == pytest.approx(130.0)
    assert t.loc["L2", "harm_per_1000"] == pytest.approx(10.0)
    assert t.loc["L2", "count_per_1000"] == pytest.approx(1.0)
    assert set(t["weight_table"]) == {"demo"} and set(t["weight_vintage"]) == {"2024"}
    assert dict(out.unknown_types) == {"Bike theft": 4.0}
    assert dict(out.excluded_types) == {"Anti-social behaviour": 7.0}
    assert out.missing_population == ()


def test_harm_totals_by_type_and_grand_total(counts, demo_weights):
    by_type = harm_totals(counts, demo_weights, by=["crime_type"]).table.set_index("crime_type")
    assert by_type.loc["Robbery", "harm"] == 100
    assert by_type.loc["Bike theft", "unweighted_count"] == 4  # reported, not dropped
    assert math.isnan(by_type.loc["Robbery", "harm_per_1000"])
    total = harm_totals(counts, demo_weights, population=10_000).table
    assert len(total) == 1
    assert total.loc[0, ["count", "harm", "unweighted_count"]].tolist() == [6, 150, 11]
    assert total.loc[0, "harm_per_1000"] == pytest.approx(15.0)


def test_harm_totals_event_level_and_pyarrow(demo_weights):
    events = pa.table({"crime_type": ["Burglary", "Burglary", "Robbery"], "month": ["a", "b", "b"]})
    t = harm_totals(events, demo_weights, by=["month"]).table.set_index("month")
    assert t.loc["a", "harm"] == 10 and t.loc["b", "harm"] == 110 and t.loc["b", "count"] == 2


def test_missing_population_is_reported(counts, demo_weights):
    pop = pd.Series([1000], index=pd.Index(["L1"], name="lsoa_code"))
    out = harm_totals(counts, demo_weights, population=pop, by=["lsoa_code"])
    assert out.missing_population == (("L2",),)
    assert out.to_dict()["missing_population"] == [["L2"]]


def test_population_keys_must_be_grouping_columns(counts, demo_weights):
    pop = pd.DataFrame({"ward": ["W1"], "population": [5]})
    with pytest.raises(ValueError, match="key columns"):
        harm_totals(counts, demo_weights, population=pop, by=["lsoa_code"])


def test_result_states_the_weight_table(counts):
    table = load_weights("css")
    out = harm_totals(counts, table, by=["lsoa_code"]).to_dict()
    assert out["weight_table"] == table.name and out["weight_vintage"] == table.vintage
    assert all(r["weight_vintage"] == table.vintage for r in out["rows"])
    assert out["rows"][0]["harm_per_1000"] is None


@pytest.mark.shared
def test_css_scale_matches_published_blackpool_score(shared_data):
    # ONS publishes CSS as harm per resident. Blackpool's police.uk crimes of Apr 2021 - Mar 2022
    # with these weights, over its mid-2019 population, should land near its published CSS
    # (29.47 for Apr 2022 - Mar 2023; SOURCES.md section 10): a range check, not equality.
    street = pd.read_csv(
        shared_data / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz",
        usecols=["Month", "Crime type"],
    )
    year = street[street["Month"].between("2021-04", "2022-03")]
    assert year["Month"].nunique() == 12
    out = harm_totals(
        year.rename(columns={"Crime type": "crime_type"}), load_weights("css"), 139_446
    )
    per_head = out.table.loc[0, "harm_per_1000"] / 1000
    assert 0.75 * 29.47 < per_head < 1.25 * 29.47
    assert out.unknown_types == {} and out.excluded_types["Anti-social behaviour"] > 0
