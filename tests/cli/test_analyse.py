"""``csphub analyse``: each command on a real demo store, checked against numbers queried
independently (SQL on the store, the library functions), and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from csphub.analysis.concentration import concentration
from csphub.analysis.harm import load_weights
from csphub.analysis.trends import poisson_etest
from csphub.cli.main import cli
from csphub.demo.geography import build_geography
from csphub.demo.hotspots import place_hotspots
from csphub.demo.rand import stream
from csphub.store import open_store

SEED = 2026
AREA = "E06999001"
VIOLENCE = "crime_type=Violence and sexual offences"
CHICAGO_2016 = [[342, 97, 62], [1892, 1514, 1362], [4145, 3643, 3592], [5805, 5143, 4919]]


@pytest.fixture(scope="module")
def demo(demo_run):
    """The demo borough (``csphub demo``), shared by the run: read only."""
    return demo_run.out


@pytest.fixture(scope="module")
def run(demo):
    runner = CliRunner()

    def invoke(*args: str, store=None):
        store = store or demo / "store"
        return runner.invoke(cli, ["analyse", *args, "--store", str(store)])

    return invoke


@pytest.fixture(scope="module")
def sql(demo):
    """Run a query on the demo store (read-only) and return all rows."""

    def query(text: str, params=()):
        with open_store(demo / "store", read_only=True) as store:
            return store.con.execute(text, list(params)).fetchall()

    return query


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _csv(result):
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _one_line_error(result, *fragments):
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def _planted_town_centre_lsoas() -> set[str]:
    """The LSOAs holding the demo's night-time economy and town-centre shops."""
    geo = build_geography(stream(SEED, "geography"))
    spots = place_hotspots(geo, stream(SEED, "hotspots"))
    points = np.vstack([spots.nte, spots.retail[0]])
    return {geo.lsoa_code[i] for i in geo.lsoa_at(points[:, 0], points[:, 1])}


# --------------------------------------------------------------------------- hotspots


def test_hotspots_lsoa_json_shape_and_the_planted_town_centre_is_hot(run, sql):
    args = ["--area", AREA, "--from", "2025-01", "--to", "2025-12", "--where", VIOLENCE]
    units = _json(run("hotspots", *args, "--permutations", "999", "--seed", "7"))
    assert isinstance(units, list) and len(units) == 90
    for unit in units:
        assert {"unit_id", "count", "z", "p_sim", "p_adjusted", "hotspot"} <= unit.keys()
        assert unit["hotspot"] in {"hot", "cold", "none"}
        assert (unit["permutations"], unit["seed"], unit["adjust"]) == (999, 7, "fdr_bh")
        assert (unit["unit"], unit["area"], unit["from"], unit["to"]) == (
            "lsoa",
            AREA,
            "2025-01",
            "2025-12",
        )
        assert unit["where"] == VIOLENCE
    hot = {u["unit_id"] for u in units if u["hotspot"] == "hot"}
    planted = _planted_town_centre_lsoas()
    assert len(planted) == 2 and planted <= hot
    assert all(u["z"] > 0 and u["p_adjusted"] < 0.05 for u in units if u["hotspot"] == "hot")
    ((located,),) = sql(
        "SELECT count(*) FROM street WHERE crime_type = 'Violence and sexual offences' "
        "AND month BETWEEN '2025-01-01' AND '2025-12-01' AND lsoa_code IS NOT NULL"
    )
    assert sum(u["count"] for u in units) == located


def test_hotspots_grid_projects_points_and_reports_rows_without_location(run, sql):
    args = ["--area", AREA, "--from", "2025-06", "--to", "2025-08", "--where", VIOLENCE]
    result = run("hotspots", "--unit", "grid", "--cell-size", "400", *args, "--seed", "1")
    units = _json(result)
    assert all(u["unit_id"].startswith("E") and "N" in u["unit_id"] for u in units)
    assert all(u["x"] % 400 == 200 and u["y"] % 400 == 200 for u in units)  # cell centres
    ((located,), (unlocated,)) = sql(
        "SELECT count(*) FROM street WHERE crime_type = 'Violence and sexual offences' "
        "AND month BETWEEN '2025-06-01' AND '2025-08-01' GROUP BY has_location "
        "ORDER BY has_location DESC"
    )
    assert sum(u["count"] for u in units) == located  # every cell overlapping the area
    assert f"{unlocated} row(s) of the period without a location" in result.stderr


# --------------------------------------------------------------------------- harm, change


def test_harm_totals_equal_counts_times_weights(run, sql):
    out = _json(
        run("harm", "--area", AREA, "--from", "2025-01", "--to", "2025-12", "--by", "crime_type")
    )
    weights = load_weights("css")
    counted = dict(
        sql(
            "SELECT crime_type, count(*) FROM street WHERE month BETWEEN '2025-01-01' AND "
            "'2025-12-01' AND lsoa_code IS NOT NULL GROUP BY 1"
        )
    )
    rows = {r["crime_type"]: r for r in out["rows"]}
    assert rows.keys() == counted.keys()
    for crime_type, n in counted.items():
        w = weights.weight(crime_type)
        assert rows[crime_type]["harm"] == pytest.approx(n * (w or 0.0))
    expected = sum(n * weights.weight(t) for t, n in counted.items() if weights.weight(t))
    assert sum(r["harm"] for r in out["rows"]) == pytest.approx(expected)
    assert out["excluded_types"] == {"Anti-social behaviour": counted["Anti-social behaviour"]}
    ((residents,),) = sql("SELECT sum(population) FROM population")
    assert out["parameters"]["population"]["residents"] == residents
    burglary = rows["Burglary"]
    assert burglary["harm_per_1000"] == pytest.approx(burglary["harm"] / residents * 1000)
    assert out["parameters"]["weights"]["vintage"] == weights.vintage
    assert out["parameters"]["months"] == 12


def test_harm_csv_by_ward_carries_the_weight_table_in_every_row(run):
    args = f"harm --area {AREA} --from 2025-01 --to 2025-03 --by ward_code --weights cchi"
    rows = _csv(run(*args.split(), "--format", "csv"))
    assert len(rows) == 20
    assert {r["weight_table"] for r in rows} == {load_weights("cchi").name}
    assert all(float(r["population"]) > 0 for r in rows)


def test_harm_with_a_weights_file_states_it_and_reports_unknown_types(run, tmp_path):
    weights = tmp_path / "local.csv"
    weights.write_text(
        "# name: Local test weights\n# vintage: 2026-01\ncrime_type,weight\n"
        "Burglary,10\nAnti-social behaviour,\n"
    )
    result = run(
        "harm", "--area", AREA, "--from", "2025-01", "--to", "2025-01", "--weights", str(weights)
    )
    out = _json(result)
    assert out["parameters"]["weights"]["name"] == "Local test weights"
    assert (out["weight_table"], out["weight_vintage"]) == ("Local test weights", "2026-01")
    assert "Robbery" in out["unknown_types"] and "Anti-social behaviour" in out["excluded_types"]
    assert "Robbery" in result.stderr  # not weighted: listed for the person at the terminal
    total = out["rows"][0]
    assert total["harm"] == 10 * total["count"]


def test_change_p_values_equal_the_etest_on_counts_queried_directly(run, sql):
    args = f"change --area {AREA} --before 2024-01..2024-12 --after 2025-07..2025-12"
    out = _json(run(*args.split(), "--by", "crime_type"))
    counted = {
        (t, side): n
        for t, side, n in sql(
            "SELECT crime_type, CASE WHEN month < '2025-01-01' THEN 'b' ELSE 'a' END, count(*) "
            "FROM street WHERE lsoa_code IS NOT NULL AND (month BETWEEN '2024-01-01' AND "
            "'2024-12-01' OR month BETWEEN '2025-07-01' AND '2025-12-01') GROUP BY 1, 2"
        )
    }
    assert len(out["rows"]) == 14
    for row in out["rows"]:
        b, a = counted[(row["crime_type"], "b")], counted[(row["crime_type"], "a")]
        assert (row["before"], row["after"], row["change"]) == (b, a, a - b)
        assert row["p_value"] == pytest.approx(poisson_etest(b, a, 12, 6).p_value, rel=1e-9)
        assert row["p_adjusted"] >= row["p_value"]
    assert (out["exposure_before"], out["exposure_after"]) == (12, 6)
    assert out["adjust"] == "holm"


def test_baseline_months_flags_and_parameters(run, sql):
    out = _json(
        run("baseline", "--area", AREA, "--where", "crime_type=Burglary", "--method", "same_month")
    )
    monthly = dict(
        sql(
            "SELECT strftime(month, '%Y-%m'), count(*) FROM street WHERE crime_type = "
            "'Burglary' AND lsoa_code IS NOT NULL GROUP BY 1"
        )
    )
    assert [r["month"] for r in out["rows"]] == sorted(monthly)
    assert [r["observed"] for r in out["rows"]] == [monthly[m] for m in sorted(monthly)]
    assert all(r["expected"] is None for r in out["rows"][:24])  # needs 2 earlier years
    last = out["rows"][-1]
    assert last["method"] == "same_month" and isinstance(last["exceeds_95"], bool)
    assert out["parameters"]["history"] == {"from": "2023-01", "to": "2025-12", "months": 36}


def test_wdd_estimate_equals_the_hand_computed_difference(run, sql):
    args = "wdd --treated E05999004 --control E05999007 --before 2024-01..2024-06"
    out = _json(run(*args.split(), "--after", "2025-01..2025-06"))

    def count(ward: str, first: str, last: str) -> int:
        return sql(
            "SELECT count(*) FROM street s JOIN geo_lookup g USING (lsoa_code) "
            "WHERE g.ward_code = ? AND s.month BETWEEN ? AND ?",
            [ward, first, last],
        )[0][0]

    t0, t1 = (
        count("E05999004", "2024-01-01", "2024-06-01"),
        count("E05999004", "2025-01-01", "2025-06-01"),
    )
    c0, c1 = (
        count("E05999007", "2024-01-01", "2024-06-01"),
        count("E05999007", "2025-01-01", "2025-06-01"),
    )
    assert out["estimate"] == (t1 - t0) - (c1 - c0)
    assert out["se"] == pytest.approx((t0 + t1 + c0 + c1) ** 0.5)
    assert out["counts"] == {
        "treated_before": t0,
        "treated_after": t1,
        "control_before": c0,
        "control_after": c1,
    }


# --------------------------------------------------------------------------- near repeats


@pytest.mark.shared
def test_near_repeat_reproduces_the_chicago_2016_table(run, shared_data):
    path = shared_data / "events" / "chicago_burglary_2014_2017.csv.gz"
    args = "--date date_single --date-format %d/%m/%Y --from 2016-01-01 --to 2016-12-31"
    bands = "--space-bands 0.1,200,400,600 --time-bands 7,14,21 --permutations 9 --seed 1"
    out = _json(run("near-repeat", str(path), *args.split(), *bands.split()))
    assert out["observed"] == CHICAGO_2016
    assert out["n_events"] == 11_701
    assert (out["space_bands"], out["time_bands"]) == ([0.1, 200, 400, 600], [7, 14, 21])
    for key in ("expected", "knox_ratio", "p_value"):
        assert np.asarray(out[key]).shape == (4, 3)
    assert (out["permutations"], out["seed"]) == (9, 1)


def test_near_repeat_from_store_counts_distinct_located_burglaries(run, sql):
    args = "--where crime_type=Burglary --from 2025-01-01 --to 2025-06-30 --permutations 19"
    police = ["--agency", "Demoshire Constabulary"]
    out = _json(run("near-repeat", "--from-store", *police, *args.split(), "--seed", "3"))
    ((n,),) = sql(
        "SELECT count(DISTINCT event_id) FROM events WHERE crime_type = 'Burglary' AND "
        "agency = 'Demoshire Constabulary' AND easting IS NOT NULL AND "
        "occurred_at >= '2025-01-01' AND occurred_at < '2025-07-01'"
    )
    assert out["n_events"] == n
    assert np.asarray(out["observed"]).shape == (5, 4)
    assert out["parameters"]["source"]["where"] == {"crime_type": ["Burglary"]}


def test_near_repeat_alert_lists_places_at_risk_until_a_date(run):
    out = _json(
        run("near-repeat-alert", "--as-of", "2025-12-20", "--permutations", "199", "--seed", "5")
    )
    assert out["as_of"] == "2025-12-20"
    assert out["envelope"]["steps"], out["envelope"]
    assert out["places"]
    for place in out["places"]:
        assert "2025-12-14" <= place["event_date"] <= "2025-12-20"
        assert place["risk_until"] >= "2025-12-20"
        assert place["event_id"].startswith("PE-")
        assert -6 < place["longitude"] < -4 and 52 < place["latitude"] < 54


# --------------------------------------------------------------------------- places, VOL


def test_concentration_by_lsoa_equals_the_library_on_queried_counts(run, sql):
    out = _json(run("concentration", "--area", AREA, "--from", "2025-01", "--to", "2025-12"))
    counted = [
        n
        for (n,) in sql(
            "SELECT count(*) FROM street WHERE lsoa_code IS NOT NULL AND month BETWEEN "
            "'2025-01-01' AND '2025-12-01' GROUP BY lsoa_code"
        )
    ]
    expected = concentration(counted, n_units=90)
    assert out["n_units"] == 90
    assert out["gini"] == pytest.approx(expected.gini)
    assert out["top_10pct"] == pytest.approx(expected.top_shares[0.1])
    assert len(out["lorenz"]) == 91
    assert out["top_units"][0]["count"] == max(counted)
    assert 0 < out["repeat_location_share"] <= 1


def test_concentration_csv_tables(run):
    args = ["--area", AREA, "--from", "2025-01", "--to", "2025-03", "--format", "csv"]
    summary = _csv(run("concentration", "--unit", "location", *args))
    assert len(summary) == 1 and float(summary[0]["gini"]) > 0
    units = _csv(run("concentration", "--unit", "location", *args, "--table", "units"))
    assert len(units) == int(summary[0]["n_units"])
    assert sum(int(u["count"]) for u in units) == float(summary[0]["n_events"])


def test_vol_ranks_distinct_events_and_csv_needs_a_table(run, sql):
    shoplifting = ["--where", "crime_type=Shoplifting", "--end", "2025-12-31"]
    out = _json(run("vol", *shoplifting, "--agency", "Demoshire Constabulary", "--top", "5"))
    assert out["window_start"] == "2025-01-01" and out["window_end"] == "2025-12-31"
    for table in ("victims", "offenders", "locations", "victim_offenders", "shared_locations"):
        assert isinstance(out[table], list)
    top = out["offenders"][0]
    assert top["rank_count"] == 1
    ((n,),) = sql(
        "SELECT count(DISTINCT event_id) FROM events WHERE offender_id = ? AND crime_type = "
        "'Shoplifting' AND occurred_at >= '2025-01-01' AND occurred_at < '2026-01-01'",
        [top["id"]],
    )
    assert top["events"] == n
    assert top["harm"] == pytest.approx(n * load_weights("css").weight("Shoplifting"))
    assert out["parameters"]["weights"]["name"] == load_weights("css").name
    no_table = run("vol", "--format", "csv")
    assert no_table.exit_code == 2 and "--table" in no_table.stderr
    rows = _csv(run("vol", *shoplifting, "--format", "csv", "--table", "locations"))
    assert rows[0]["rank_count"] == "1" and rows[0]["id"].startswith("ADDR-")


# --------------------------------------------------------------------------- errors


@pytest.fixture(scope="module")
def store_without_boundaries(demo, tmp_path_factory):
    """Street rows and the lookup, but no boundaries."""
    store = tmp_path_factory.mktemp("noboundaries") / "store"
    runner = CliRunner()
    for args in (
        ["ingest", "geography", "--lookup", str(demo / "geography" / "lookup.csv")],
        ["ingest", "police-uk", str(demo / "police-uk" / "2025-01")],
    ):
        result = runner.invoke(cli, [*args, "--store", str(store)])
        assert result.exit_code == 0, result.output
    return store


def test_missing_boundaries_unknown_area_and_bad_periods_are_one_line_errors(
    run, store_without_boundaries
):
    month = ["--from", "2025-01", "--to", "2025-01"]
    _one_line_error(
        run("hotspots", "--area", AREA, *month, store=store_without_boundaries),
        "no LSOA boundaries loaded",
        "csphub ingest geography",
    )
    _one_line_error(run("harm", "--area", "E06999999", *month), "E06999999")
    _one_line_error(
        run("change", "--area", AREA, "--before", "2024", "--after", "2025-01"),
        "--before",
        "YYYY-MM..YYYY-MM",
    )
    _one_line_error(run("harm", "--area", AREA, "--from", "2025-06", "--to", "2025-01"), "after")
    _one_line_error(
        run("concentration", "--area", AREA, "--from", "2026-01", "--to", "2026-03"),
        "no police.uk street data for 2026-01..2026-03",
        "csphub ingest police-uk",
    )
    _one_line_error(run("baseline", "--area", AREA, "--where", "colour=red"), "--where colour")
    _one_line_error(run("vol", "--agency", "Nobody"), "Demoshire Constabulary")
    _one_line_error(run("near-repeat", "/no/such/file.csv"), "file.csv")


def test_grid_hotspots_without_boundaries_use_the_box_around_the_points(
    run, store_without_boundaries
):
    args = f"hotspots --unit grid --area {AREA} --from 2025-01 --to 2025-01 --permutations 99"
    result = run(*args.split(), store=store_without_boundaries)
    units = _json(result)
    assert units and "the grid covers the box around its points" in result.stderr


def test_csphub_starts_without_statsmodels_and_only_hotspots_imports_esda(demo):
    code = (
        "import sys\n"
        "from csphub.cli.main import cli\n"
        "loaded = lambda: {m.split('.')[0] for m in sys.modules}\n"
        "assert not {'esda', 'libpysal', 'statsmodels'} & loaded(), 'slow start'\n"
        f"cli(['analyse', 'harm', '--area', '{AREA}', '--from', '2025-01', '--to', '2025-01',"
        f" '--store', r'{demo / 'store'}'], standalone_mode=False)\n"
        "assert not {'esda', 'libpysal'} & loaded(), 'esda imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
