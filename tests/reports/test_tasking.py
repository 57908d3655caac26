"""``csphub tasking`` on a real demo store: the files it writes, the page's accessibility
structure, and its numbers against ``csphub query counts`` and the library."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from click.testing import CliRunner
from report_page import Page

from csphub.analysis.trends import seasonal_baseline
from csphub.cli.main import cli

SEED = 2026
AREA = "E06999001"
MONTH = "2025-12"
ASB = "Anti-social behaviour"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(demo_run):
    """The demo borough (``csphub demo``), shared by the run: read only."""
    return demo_run.out


@pytest.fixture(scope="module")
def pack(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("tasking") / "pack"
    args = ["tasking", "--month", MONTH, "--area", AREA, "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--store", str(demo / "store")])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def html(pack):
    return (pack[0] / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html):
    parser = Page()
    parser.feed(html)
    return parser


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _counts(demo, *args):
    result = CliRunner().invoke(
        cli, ["query", "counts", *args, "--area", AREA, "--store", str(demo / "store")]
    )
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def test_writes_index_and_one_csv_per_table(pack, page):
    out, result = pack
    assert (out / "index.html").is_file()
    written = sorted(p.stem for p in (out / "data").glob("*.csv"))
    assert written == sorted(t["id"].removeprefix("table-") for t in page.tables)
    assert "index.html" in result.stderr and "hotspots:" in result.stderr  # paths and timings


def test_page_structure_is_accessible(html, page):
    assert '<html lang="en-GB">' in html
    assert page.tags[page.tags.index(("body", {})) + 1][1].get("href") == "#main-content"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    for table in page.tables:
        assert table["caption"].strip(), table["id"]
        assert table["th"] and all(s in ("col", "row") for s in table["th"]), table["id"]
    assert not [t for t, _ in page.tags if t in ("script", "link", "img", "iframe")]
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_every_svg_has_role_title_desc_and_a_data_table(html, page):
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 3  # at least the two hotspot maps and one chart
    ids = {t["id"] for t in page.tables}
    for markup in svgs:
        root = ET.fromstring(markup)
        assert root.get("role") == "img"
        assert root[0].tag == f"{SVG_NS}title" and root[1].tag == f"{SVG_NS}desc"
        assert root[0].text and root[1].text
        assert f"table-{root.get('id', '').removesuffix('-svg')}" in ids or any(
            (root[0].text or "") == t["caption"] for t in page.tables
        )


def test_csv_rows_equal_html_table_rows(pack, page):
    for table in page.tables:
        rows = _csv(pack[0] / "data" / f"{table['id'].removeprefix('table-')}.csv")
        assert len(rows) == table["rows"] - 1, table["id"]  # minus the header row


def test_summary_equals_query_counts(demo, pack):
    month = _counts(demo, "--by", "crime_type", "--from", MONTH, "--to", MONTH)
    asb = int(month.loc[month["crime_type"] == ASB, "count"].sum())
    crime = int(month.loc[month["crime_type"] != ASB, "count"].sum())
    rows = {r["Measure"]: r for r in _csv(pack[0] / "data" / "summary-expected.csv")}
    assert int(rows["All crime (excluding ASB)"]["Recorded"]) == crime
    assert int(rows[ASB]["Recorded"]) == asb
    year = _counts(demo, "--by", "crime_type", "--from", "2024-12", "--to", "2024-12")
    change = {r["Measure"]: r for r in _csv(pack[0] / "data" / "summary-last-year.csv")}
    assert int(change[ASB]["2024-12"]) == int(year.loc[year["crime_type"] == ASB, "count"].sum())
    assert int(change[ASB][MONTH]) == asb
    assert 0 <= float(change[ASB]["p"]) <= 1


def test_flagged_exceedances_equal_the_library(demo, pack):
    table = _counts(demo, "--by", "month,crime_type", "--to", MONTH)
    wide = table.pivot_table(index="month", columns="crime_type", values="count", aggfunc="sum")
    wide = wide.fillna(0).astype(int)
    expected = set()
    for crime_type in wide.columns:
        result = seasonal_baseline(wide[crime_type]).table.set_index("month").loc[MONTH]
        if result["exceeds_95"] is True or result["exceeds_95"] == 1:
            expected.add(crime_type)
    rows = _csv(pack[0] / "data" / "exceedances.csv")
    flagged = {r["Crime type"] for r in rows if r["Result"].startswith("Above")}
    assert flagged == expected and flagged  # the demo month has exceedances
    for crime_type in flagged:
        assert (pack[0] / "data" / f"chart-{crime_type.lower().replace(' ', '-')}.csv").is_file()


def test_partner_sections_and_method(pack, html):
    data = pack[0] / "data"
    assert _csv(data / "near-repeat-alert.csv")
    assert _csv(data / "repeat-offenders.csv")
    sources = _csv(data / "sources.csv")
    assert sources and all(
        re.fullmatch(r"[0-9a-f]{64}", r["SHA-256 of the CSV loaded"]) for r in sources
    )
    assert "have no location" in html and "9,999 permutations" in html


def test_month_not_loaded_is_a_one_line_error(demo, tmp_path):
    args = ["tasking", "--month", "2030-01", "--area", AREA, "--out", str(tmp_path / "x")]
    result = CliRunner().invoke(cli, [*args, "--store", str(demo / "store")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "2030-01" in lines[0]
    assert not (tmp_path / "x" / "index.html").exists()


def test_without_partner_events_the_sections_say_what_to_load(demo, tmp_path):
    store, runner = str(tmp_path / "store"), CliRunner()
    geo = demo / "geography"
    steps = [
        ["ingest", "geography", "--lookup", str(geo / "lookup.csv")],
        ["ingest", "geography", "--boundaries", str(geo / "lsoa.geojson"), "--level", "lsoa"],
        ["ingest", "police-uk", str(demo / "police-uk")],
        ["tasking", "--month", MONTH, "--area", AREA, "--out", str(tmp_path / "pack")],
    ]
    for args in steps:
        result = runner.invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    html = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert html.count("Load an event-level police extract") == 2
    assert not (tmp_path / "pack" / "data" / "near-repeat-alert.csv").exists()
    assert not list((tmp_path / "pack" / "data").glob("repeat-*.csv"))


def test_a_pack_listing_event_ids_carries_the_protective_marking(pack, demo, tmp_path):
    root = pack[0]
    ids = [t for t in ("near-repeat-alert", "repeat-victims", "repeat-offenders")
           if (root / "data" / f"{t}.csv").exists()]  # fmt: skip
    assert ids  # the demo month lists event or person ids
    html = (root / "index.html").read_text(encoding="utf-8")
    assert html.count('<p class="app-marking"><strong>OFFICIAL-SENSITIVE</strong>') == 2
    assert '@top-center { content: "OFFICIAL-SENSITIVE"' in html
    out = tmp_path / "pack"
    args = ["tasking", "--month", MONTH, "--area", AREA, "--out", str(out), "--no-pdf"]
    result = CliRunner().invoke(
        cli, [*args, "--marking", "OFFICIAL", "--store", str(demo / "store")]
    )
    assert result.exit_code == 0, result.output
    assert "<strong>OFFICIAL</strong>: this product lists" in (out / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_method_sentence_says_what_the_baseline_ran_on(pack, demo):
    # the demo holds 2023-01 to 2025-12: December 2025's expected count is the mean of
    # December 2024 and 2023, and its spread is learnt from the complete years 2024 and 2023
    # (11 earlier same-month forecasts are one short of the 12 needed)
    table = _counts(demo, "--by", "month", "--to", MONTH, "--where", "crime_type=Burglary")
    assert len(table) == 36
    html = (pack[0] / "index.html").read_text(encoding="utf-8")
    assert "the mean of the same calendar month in 2 earlier loaded year(s)" in html
    assert "learnt from 2 earlier complete years" in html
