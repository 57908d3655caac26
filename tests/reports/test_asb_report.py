"""``csphub asb-report`` on a real demo store: the files it writes, its numbers against
``csphub query counts``, ``csphub analyse`` and the library, the traceability of every number
in the text, the sections that say what to load, and bad options."""

from __future__ import annotations

import doctest
import importlib
import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from report_page import read_csv, read_page

from csphub.analysis.hotspots import gistar_polygons
from csphub.analysis.store_inputs import lsoa_boundaries
from csphub.analysis.trends import poisson_etest
from csphub.cli.main import cli
from csphub.reports.asb import build_report
from csphub.store import open_store
from csphub.store.areas import resolve_area

SEED = 2026
AREA = "E06999001"
QUARTER = "2025-Q4"
ASB = "Anti-social behaviour"
WHERE = ["--where", f"crime_type={ASB}"]
MONTHS = {"2025-Q4": ("2025-10", "2025-12"), "2024-Q4": ("2024-10", "2024-12")}
MONTHS["2025-Q3"] = ("2025-07", "2025-09")


@pytest.fixture(scope="module")
def demo(demo_run):
    """The demo borough (``csphub demo``), shared by the run: read only."""
    return demo_run.out


def _run(demo, out, *extra, quarter=QUARTER, area=AREA, store=None):
    args = ["asb-report", "--quarter", quarter, "--area", area, "--out", str(out), *extra]
    return CliRunner().invoke(cli, [*args, "--store", str(store or demo / "store")])


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("asb") / "asb"
    result = _run(demo, out, "--no-pdf")
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def page(report):
    return read_page(report[0] / "index.html")


def _data(report, name):
    return read_csv(report[0] / "data" / f"{name}.csv")


def _cli_csv(demo, *args):
    result = CliRunner().invoke(cli, [*args, "--store", str(demo / "store")])
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def _counts(demo, quarter, *by):
    first, last = MONTHS[quarter]
    args = ["query", "counts", "--by", ",".join(by) or "crime_type", *WHERE]
    return _cli_csv(demo, *args, "--from", first, "--to", last, "--area", AREA)


# ------------------------------------------------------------------------------ files


def test_writes_index_xlsx_and_one_csv_per_table_without_a_pdf(report, page):
    out, result = report
    ids = [t["id"].removeprefix("table-") for t in page.tables]
    assert len(ids) == len(set(ids)) >= 15  # each table its own CSV: no id written twice
    assert sorted(p.stem for p in (out / "data").glob("*.csv")) == sorted(ids)
    assert (out / "tables.xlsx").is_file() and not (out / "asb-report.pdf").exists()
    assert "problem places and hotspots:" in result.stderr and "index.html" in result.stderr
    assert page.headings.count(1) == 1
    titles = re.findall(r'<h2 class="govuk-heading-l">(.*?)</h2>', _html(report))
    assert titles == [
        "Summary",
        "Volume and trend",
        "Problem places",
        "Problem people",
        "Problem people and places from casework",
        "ASB tools used",
        "Data and method",
    ]


def _html(report):
    return (report[0] / "index.html").read_text(encoding="utf-8")


def _same(html_text: str, csv_text: str) -> bool:
    """A cell as the page shows it against its CSV value (numbers compared as numbers)."""
    if html_text == csv_text:
        return True
    try:
        return float(html_text.replace(",", "")) == pytest.approx(float(csv_text), abs=1e-4)
    except ValueError:
        return False


def test_csv_rows_equal_the_html_tables(report, page):
    for table in page.tables:
        name = table["id"].removeprefix("table-")
        header, *rows = table["cells"]
        data = read_csv(report[0] / "data" / f"{name}.csv")
        assert list(data[0]) == header if data else True, name
        assert len(rows) == len(data), name
        for shown, row in zip(rows, data, strict=True):
            pairs = zip(shown, row.values(), strict=True)
            assert all(_same(h, c) for h, c in pairs), (name, shown, row)


def test_xlsx_has_one_sheet_per_table(report, page):
    book = load_workbook(report[0] / "tables.xlsx", read_only=True)
    assert book.sheetnames[0] == "Contents"
    assert len(book.sheetnames) == len(page.tables) + 1
    contents = list(book["Contents"].iter_rows(min_row=5, values_only=True))
    assert sorted(r[1] for r in contents) == sorted(
        t["id"].removeprefix("table-") for t in page.tables
    )
    for sheet, name, _, n_rows in contents:
        assert book[sheet].max_row == n_rows + 2, name  # caption, header, rows
        assert n_rows == len(_data(report, name)), name


def test_pdf_is_written_and_the_same_store_gives_the_same_tables(demo, report, tmp_path):
    out = tmp_path / "asb-pdf"
    result = _run(demo, out)
    assert result.exit_code == 0, result.output
    assert (out / "asb-report.pdf").read_bytes().startswith(b"%PDF")
    for path in (report[0] / "data").glob("*.csv"):
        assert (out / "data" / path.name).read_bytes() == path.read_bytes(), path.name


def test_table_values_are_plain_python(demo):
    with open_store(demo / "store") as store:
        built = build_report(store, QUARTER, AREA, permutations=99)
    kinds = {type(v) for t in built.tables() for r in t.rows for v in r.values()}
    assert kinds <= {int, float, str, bool, type(None)}, kinds  # no numpy scalars
    assert built.slug == "asb-report" and built.period == QUARTER


@pytest.mark.parametrize("module", ["quarters", "context"])
def test_docstring_examples_run(module):
    found = doctest.testmod(importlib.import_module(f"csphub.reports.asb.{module}"))
    assert found.attempted > 0 and found.failed == 0


# ------------------------------------------------------------------------------ numbers


def _expected_p(demo, quarter: str) -> float:
    """The quarter-on-quarter test written out by hand from monthly counts: the Pearson
    dispersion about each quarter's mean; above 1 beyond chance, the quasi-Poisson t test of
    the log ratio (se sqrt(phi (1/c1 + 1/c2)), 4 df), else the E-test of the totals."""
    from scipy import stats

    def monthly(q: str) -> np.ndarray:
        table = _counts(demo, q, "month")
        return table.sort_values("month")["count"].to_numpy(float)

    y0, y1 = monthly(quarter), monthly(QUARTER)
    pearson = ((y0 - y0.mean()) ** 2).sum() / y0.mean() + ((y1 - y1.mean()) ** 2).sum() / y1.mean()
    phi = pearson / 4
    if phi > 1 and stats.chi2.sf(pearson, 4) < 0.05:
        se = np.sqrt(phi * (1 / y0.sum() + 1 / y1.sum()))
        return float(2 * stats.t.sf(abs(np.log(y1.sum() / y0.sum())) / se, 4))
    return poisson_etest(int(y0.sum()), int(y1.sum())).p_value


def test_headline_numbers_equal_query_counts_and_the_dispersion_aware_test(demo, report):
    rows = {r["Quarter"]: r for r in _data(report, "summary-quarters")}
    assert list(rows) == ["2025-Q4", "2024-Q4", "2025-Q3"]
    counts = {q: int(_counts(demo, q)["count"].sum()) for q in rows}
    assert {q: int(r["ASB incidents"]) for q, r in rows.items()} == counts
    rate = float(_counts(demo, QUARTER)["rate_per_1000"].iloc[0])
    assert float(rows[QUARTER]["Rate per 1,000 residents"]) == pytest.approx(rate, abs=0.006)
    for change in _data(report, "summary-change"):
        before, now = counts[change["Quarter"]], counts[QUARTER]
        assert int(change["Change"]) == now - before
        p = _expected_p(demo, change["Quarter"])
        assert float(change["p"]) == pytest.approx(p, rel=5e-3)  # 3 significant figures
        assert change["Significant at 5%"] == ("Yes" if p < 0.05 else "No")
    summary = " ".join(read_page(report[0] / "index.html").paragraphs[:3])
    assert f"{counts[QUARTER]:,} anti-social behaviour incidents" in summary
    assert f"{abs(counts[QUARTER] - counts['2024-Q4']):,} fewer" in summary


def test_monthly_trend_equals_query_counts(demo, report):
    monthly = _cli_csv(demo, "query", "counts", "--by", "month", *WHERE, "--area", AREA)
    chart = _data(report, "chart-asb-by-month")
    assert len(chart) == 36
    assert [int(r["Recorded"]) for r in chart] == monthly["count"].tolist()[-36:]
    months = _data(report, "asb-quarter-months")
    assert [r["Month"] for r in months] == ["2025-10", "2025-11", "2025-12"]
    assert sum(int(r["Recorded"]) for r in months) == int(_counts(demo, QUARTER)["count"].sum())


def test_lsoa_and_ward_tables_equal_query_counts(demo, report):
    lsoas = _counts(demo, QUARTER, "lsoa_code").set_index("lsoa_code")
    before = _counts(demo, "2024-Q4", "lsoa_code").set_index("lsoa_code")["count"]
    top = _data(report, "top-lsoas")
    assert [int(r["ASB incidents"]) for r in top] == sorted(lsoas["count"], reverse=True)[:10]
    for r in top:
        assert int(r["ASB incidents"]) == lsoas.loc[r["LSOA"], "count"]
        assert float(r["Rate per 1,000 residents"]) == pytest.approx(
            lsoas.loc[r["LSOA"], "rate_per_1000"], abs=0.006
        )
        assert int(r["Change"]) == int(r["ASB incidents"]) - before.get(r["LSOA"], 0)
    wards = _counts(demo, QUARTER, "ward_code").set_index("ward_code")
    table = {r["Ward"]: r for r in _data(report, "wards")}
    assert {w: int(r["ASB incidents"]) for w, r in table.items() if int(r["ASB incidents"])} == (
        wards["count"].to_dict()
    )
    for ward, r in table.items():
        rate = wards.loc[ward, "rate_per_1000"]
        assert float(r["Rate per 1,000 residents"]) == pytest.approx(rate, abs=0.006)


def test_hotspot_map_equals_the_library(demo, report):
    parameters = {r["Item"]: r["Value"] for r in _data(report, "parameters")}
    seed = int(parameters["Hotspot seed"])
    assert (
        "9,999 permutations" in parameters["Hotspots"]
        and "fdr_bh at 0.05" in (parameters["Hotspots"])
    )
    counts = _counts(demo, QUARTER, "lsoa_code").set_index("lsoa_code")["count"]
    with open_store(demo / "store") as store:
        codes, polygons = lsoa_boundaries(store, resolve_area(store, AREA))
    values = counts.reindex(codes, fill_value=0)
    result = gistar_polygons(
        codes, polygons, values.to_numpy(float), permutations=9999, seed=seed, adjust="fdr_bh"
    )
    labels = {"hot": "Hot spot", "cold": "Cold spot", "none": "Not significant"}
    table = {r["Code"]: r for r in _data(report, "map-asb-hotspots")}
    assert {c: table[c]["Getis-Ord Gi* result"] for c in codes} == {
        c: labels[h] for c, h in zip(codes, result.hotspot, strict=True)
    }
    assert {c: int(table[c]["ASB incidents"]) for c in codes} == values.to_dict()
    glance = {r["Measure"]: r["Value"] for r in _data(report, "places-summary")}
    assert int(glance["LSOAs that are Gi* hot spots"]) == result.n_hot > 0  # the demo plants some


def _units(demo, first, last):
    args = ["analyse", "concentration", "--area", AREA, "--from", first, "--to", last]
    return _cli_csv(
        demo, *args, *WHERE, "--unit", "location", "--table", "units", "--format", "csv"
    )


def test_busiest_locations_and_their_persistence(demo, report):
    quarters = [("2025-10", "2025-12"), ("2025-07", "2025-09"), ("2025-04", "2025-06")]
    quarters.append(("2025-01", "2025-03"))
    tops = []
    for first, last in quarters:
        units = _units(demo, first, last)
        ranks = units["count"].rank(method="min", ascending=False)
        tops.append(set(units.loc[(ranks <= 10) & (units["count"] > 0), "unit_id"]))
    now = _units(demo, *quarters[0]).head(10)
    rows = _data(report, "busiest-locations")
    assert [int(r["ASB incidents"]) for r in rows] == now["count"].tolist()
    column = "Quarters in the top 10 (of the last 4)"
    for r, unit in zip(rows, now["unit_id"], strict=True):
        assert unit == f"{float(r['Longitude']):.6f},{float(r['Latitude']):.6f}"
        times = sum(unit in top for top in tops)
        assert int(r[column]) == times and r["Persistent"] == ("Yes" if times >= 3 else "No")
    overlap = _data(report, "map-point-overlap")
    assert [r["Compared"] for r in overlap] == ["Yes"] * 4  # the demo keeps its map points
    glance = {r["Measure"]: r["Value"] for r in _data(report, "places-summary")}
    persistent = next(v for k, v in glance.items() if "persistent" in k)
    assert int(persistent) == sum(r["Persistent"] == "Yes" for r in rows) > 0


def test_concentration_equals_analyse_concentration(demo, report):
    table = {r["Places"]: r for r in _data(report, "concentration")}
    for unit, name in (("lsoa", "LSOAs"), ("location", "Police.uk map locations")):
        args = ["analyse", "concentration", "--area", AREA, "--from", "2025-10", "--to", "2025-12"]
        summary = _cli_csv(
            demo, *args, *WHERE, "--unit", unit, "--table", "summary", "--format", "csv"
        )
        row = table[name]
        assert int(row["Places in the area"]) == summary["n_units"].iloc[0]
        share = float(row["Share of ASB in the busiest 10% of places (%)"])
        assert share == pytest.approx(100 * summary["top_10pct"].iloc[0], abs=0.05)


def _vol(demo, table):
    args = ["analyse", "vol", "--end", "2025-12-31", "--months", "3", *WHERE, "--area", AREA]
    return _cli_csv(demo, *args, "--table", table, "--format", "csv")


def test_problem_people_equal_analyse_vol(demo, report):
    glance = {r["Measure"]: int(r["Value"]) for r in _data(report, "people-summary")}
    agencies = _data(report, "people-by-agency")
    assert {r["Agency"] for r in agencies} == {"Brackwater Homes", "Demoshire Constabulary"}
    assert sum(int(r["ASB reports"]) for r in agencies) == glance["ASB reports in the quarter"]
    for table, measure, name in (
        ("victims", "Repeat victims and complainants", "repeat-victims"),
        ("offenders", "Repeat alleged perpetrators", "repeat-offenders"),
        ("locations", "Repeat addresses", "repeat-locations"),
    ):
        vol = _vol(demo, table)
        repeats = vol.loc[vol["repeat"]].sort_values(["rank_count", "id"])
        assert glance[measure] == len(repeats) > 0, measure
        rows = _data(report, name)
        assert [r["Id"] for r in rows] == repeats["id"].head(10).tolist()
        assert [int(r["Events"]) for r in rows] == repeats["events"].head(10).tolist()
        assert all(set(r["Agencies"].split("; ")) <= {a["Agency"] for a in agencies} for r in rows)
        pattern = r"ADDR-\d+" if table == "locations" else r"P-\d+"
        assert all(re.fullmatch(pattern, r["Id"]) for r in rows)  # pseudonymous ids only


def _numbers(text: str) -> list[float]:
    """Numbers of a text, leaving out dates, periods, GSS codes and ordinal suffixes."""
    text = re.sub(r"\b\d{4}-(Q[1-4]|\d{2}(-\d{2})?)\b|\b[EW]\d{8}\b", " ", text)
    text = re.sub(r"\b(19|20)\d{2}\b", " ", text)
    return [float(t.replace(",", "")) for t in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)]


def test_every_number_in_the_text_is_in_a_table(page):
    in_tables = set()
    for table in page.tables:
        in_tables |= set(_numbers(table["caption"]))
        for row in table["cells"]:
            in_tables |= {n for cell in row for n in _numbers(cell)}
    in_text = [n for p in page.paragraphs for n in _numbers(p)]
    assert len(in_text) > 20  # the text does quote numbers
    missing = sorted({n for n in in_text if n not in in_tables})
    assert not missing, f"numbers in the text but in no table: {missing}"


def test_tools_and_method_sections(report, page):
    html = _html(report)
    tools = html.split('<section id="asb-tools">')[1].split("</section>")[0]
    assert tools.count("<p ") == 1 and "<table" not in tools and "hub" in tools
    sources = _data(report, "sources")
    assert len(sources) >= 74 and all(
        re.fullmatch(r"[0-9a-f]{64}", r["SHA-256 of the CSV loaded"]) for r in sources
    )
    assert {r["Kind"] for r in sources} >= {"street", "events"}
    assert "NSIR" in html and "incident records" in html
    periods = {r["Use"].split(" (")[0]: r for r in _data(report, "periods")}
    assert periods["The quarter"]["From"] == "2025-10" and periods["The quarter"]["To"] == "2025-12"
    assert periods["Same quarter last year"]["Loaded"] == "Yes"


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--quarter", "2030-Q1"], ["--quarter 2030-Q1", "csphub ingest police-uk"]),
        (["--quarter", "2025-Q5"], ["--quarter '2025-Q5'", "YYYY-Qn"]),
        (["--quarter", "2025-12"], ["--quarter '2025-12'", "YYYY-Qn"]),
        (["--area", "E06000999"], ["--area", "E06000999"]),
    ],
)
def test_bad_options_are_one_line_errors(demo, tmp_path, args, expected):
    options = {"quarter": QUARTER, "area": AREA}
    options[args[0].removeprefix("--")] = args[1]
    result = _run(demo, tmp_path / "x", "--no-pdf", **options)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert all(e in lines[0] for e in expected), lines[0]
    assert not (tmp_path / "x").exists()


def test_without_partner_events_or_population_the_report_says_what_to_load(demo, tmp_path):
    store, runner = str(tmp_path / "store"), CliRunner()
    geo = demo / "geography"
    for args in (
        ["ingest", "geography", "--lookup", str(geo / "lookup.csv")],
        ["ingest", "geography", "--boundaries", str(geo / "lsoa.geojson"), "--level", "lsoa"],
        ["ingest", "police-uk", str(demo / "police-uk")],
    ):
        result = runner.invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    result = _run(demo, tmp_path / "out", "--no-pdf", store=store)
    assert result.exit_code == 0, result.output
    page = read_page(tmp_path / "out" / "index.html")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    people = html.split('<section id="problem-people">')[1].split("</section>")[0]
    assert "govuk-inset-text" in people and "csphub ingest events PATH" in people
    assert "<table" not in people and not re.search(r"\d", people.split("inset-text")[1][:200])
    data = tmp_path / "out" / "data"
    assert not (data / "people-summary.csv").exists() and not list(data.glob("repeat-*.csv"))
    assert "No population is loaded" in page.paragraphs[0]
    quarters = read_csv(data / "summary-quarters.csv")
    assert "Rate per 1,000 residents" not in quarters[0]
    assert int(quarters[0]["ASB incidents"]) == int(_counts(demo, QUARTER)["count"].sum())


# ------------------------------------------------------------------------------ real data

BLACKPOOL = "E06000009"


@pytest.mark.shared
@pytest.mark.slow
def test_blackpool_2022_q3_headline_equals_the_store(tmp_path, shared_data):
    store, runner = str(tmp_path / "store"), CliRunner()
    ref = shared_data / "reference_tables"
    steps = [
        ["ingest", "police-uk", str(shared_data / "police_uk/lancashire/street")],
        ["ingest", "geography", "--lookup", str(ref / "lookup_lsoa11_ltla21.csv.gz")],
        ["ingest", "geography", "--lookup", str(ref / "lookup_lsoa11_ward17.csv.gz")],
        [
            "ingest",
            "geography",
            "--boundaries",
            str(shared_data / "boundaries/lsoa11_by_lad" / f"{BLACKPOOL}.geojson"),
            "--level",
            "lsoa",
        ],
    ]
    for args in steps:
        result = runner.invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    result = _run(
        None, tmp_path / "out", "--no-pdf", quarter="2022-Q3", area=BLACKPOOL, store=store
    )
    assert result.exit_code == 0, result.output
    data = tmp_path / "out" / "data"
    rows = {r["Quarter"]: r for r in read_csv(data / "summary-quarters.csv")}
    args = ["query", "counts", "--by", "month", *WHERE, "--area", BLACKPOOL, "--store", store]
    for quarter, (first, last) in {"2022-Q3": ("2022-07", "2022-09")}.items():
        stored = runner.invoke(cli, [*args, "--from", first, "--to", last])
        expected = int(pd.read_csv(io.StringIO(stored.stdout))["count"].sum())
        assert int(rows[quarter]["ASB incidents"]) == expected
    reference = pd.read_csv(ref / "blackpool_monthly_counts_by_crime_type_DERIVED.csv")
    asb = reference.loc[(reference["crime_type"] == ASB) & reference["month"].between(first, last)]
    assert int(rows["2022-Q3"]["ASB incidents"]) == int(asb["count"].sum()) > 0
    assert "2021-Q3" in rows and "2022-Q2" in rows  # both comparisons are loaded
    assert len(read_csv(data / "map-asb-hotspots.csv")) == 94
    assert np.isfinite([float(r["p"]) for r in read_csv(data / "summary-change.csv")]).all()
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "csphub ingest events PATH" in html  # no partner extracts for Blackpool
    # the same quarter last year (July to September 2021) fell in the COVID-19 restrictions
    # (March 2020 to March 2022); the quarter itself and the previous one did not
    assert "July to September 2021 fell in them" in html
    assert "April to June 2022 fell" not in html and "2022, July to September 2022" not in html
    # Police.uk redrew Blackpool's map points in July 2022: earlier quarters share few of
    # them, so they are not compared and no location is called persistent.
    overlap = {r["Quarter"]: r for r in read_csv(data / "map-point-overlap.csv")}
    assert overlap["2022-Q2"]["Compared"] == "No"
    assert float(overlap["2022-Q2"]["Share of this quarter's points also used (%)"]) < 10
    assert "Persistent" not in read_csv(data / "busiest-locations.csv")[0]
    assert "redrew its map points" in html
