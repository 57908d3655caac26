"""``csphub assess`` on a real demo store: the files it writes, its numbers against
``csphub query counts``, the partner extract and the library, the honesty of chapters the
data cannot support, traceability of the text to the tables, and bad options."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from scipy import stats

from csphub.analysis.trends import poisson_etest
from csphub.cli.main import cli

SEED = 2026
AREA = "E06999001"
PERIOD = "2025-01..2025-12"
CURRENT, PREVIOUS = "2025-01..2025-12", "2024-01..2024-12"
ASB = "Anti-social behaviour"
VIOLENCE = ("Violence and sexual offences", "Robbery", "Possession of weapons")


@pytest.fixture(scope="module")
def demo(demo_run):
    """The demo borough (``csphub demo``), shared by the run: read only."""
    return demo_run.out


def _run(demo, *args):
    return CliRunner().invoke(cli, ["assess", *args, "--store", str(demo / "store")])


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("assess") / "sa"
    result = _run(demo, "--area", AREA, "--period", PERIOD, "--out", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    return out, result


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _table(report, name):
    return _csv(report[0] / "data" / f"{name}.csv")


def _counts(demo, *args):
    result = CliRunner().invoke(
        cli, ["query", "counts", *args, "--area", AREA, "--store", str(demo / "store")]
    )
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def _period(text):
    start, end = text.split("..")
    return ["--from", start, "--to", end]


def test_writes_html_xlsx_and_one_csv_per_table(report):
    out, result = report
    html = (out / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<table class="govuk-table" id="table-([^"]+)"', html)
    assert sorted(ids) == sorted(p.stem for p in (out / "data").glob("*.csv"))
    assert len(ids) == len(set(ids)) > 30
    book = load_workbook(out / "tables.xlsx", read_only=True)
    assert book.sheetnames[0] == "Contents" and len(book.sheetnames) == len(ids) + 1
    assert not (out / "strategic-assessment.pdf").exists()  # --no-pdf
    for stage in ("counts and priorities", "geography", "write XLSX"):
        assert stage in result.stderr
    assert "[####################]" in result.stderr  # the progress bar reaches its end


def test_headline_totals_equal_query_counts(demo, report):
    rows = {r["Measure"]: r for r in _table(report, "headline-totals")}
    for period in (PREVIOUS, CURRENT):
        by_type = _counts(demo, "--by", "crime_type", *_period(period))
        asb = int(by_type.loc[by_type["crime_type"] == ASB, "count"].sum())
        crime = int(by_type["count"].sum()) - asb
        assert int(rows["All crime (excluding ASB)"][period]) == crime
        assert int(rows[ASB][period]) == asb
    changes = {r["Crime type"]: r for r in _table(report, "changes-by-type")}
    current = _counts(demo, "--by", "crime_type", *_period(CURRENT))
    assert {t: int(r[CURRENT]) for t, r in changes.items()} == dict(
        zip(current["crime_type"], current["count"], strict=True)
    )


def _expected_change_p(demo) -> float:
    """The violence change test written out by hand from the monthly counts: the Pearson
    dispersion about each year's mean; above 1 beyond chance, the quasi-Poisson t test of
    the log rate ratio (standard error sqrt(phi (1/c1 + 1/c2)), months - 2 df), else the
    E-test of the totals."""
    series = {}
    for period in (PREVIOUS, CURRENT):
        table = _counts(demo, "--by", "month,crime_type", *_period(period))
        table = table[table["crime_type"].isin(VIOLENCE)].groupby("month")["count"].sum()
        series[period] = table.to_numpy(float)
    y0, y1 = series[PREVIOUS], series[CURRENT]
    assert len(y0) == len(y1) == 12
    pearson = ((y0 - y0.mean()) ** 2).sum() / y0.mean() + ((y1 - y1.mean()) ** 2).sum() / y1.mean()
    df = len(y0) + len(y1) - 2
    phi = pearson / df
    if phi > 1 and stats.chi2.sf(pearson, df) < 0.05:
        se = np.sqrt(phi * (1 / y0.sum() + 1 / y1.sum()))
        return float(2 * stats.t.sf(abs(np.log(y1.sum() / y0.sum())) / se, df))
    return poisson_etest(int(y0.sum()), int(y1.sum()), 12.0, 12.0).p_value


def test_priority_scores_follow_from_counts_and_the_dispersion_aware_test(demo, report):
    ranked = _table(report, "priorities-ranked")
    violence = next(r for r in ranked if r["Priority"] == "Violence and serious violence")
    counts = {}
    for period in (PREVIOUS, CURRENT):
        table = _counts(demo, "--by", "crime_type", *_period(period))
        counts[period] = int(table.loc[table["crime_type"].isin(VIOLENCE), "count"].sum())
        assert int(violence[period]) == counts[period]
    p = _expected_change_p(demo)
    assert float(violence["p"]) == pytest.approx(p, rel=5e-3)  # three significant figures
    change = counts[CURRENT] - counts[PREVIOUS]
    expected_likelihood = (4 if p < 0.05 else 3) if change > 0 else (1 if p < 0.05 else 2)
    assert int(violence["Likelihood (1-4)"]) == expected_likelihood
    for r in ranked:
        assert int(r["Score (1-16)"]) == int(r["Impact (1-4)"]) * int(r["Likelihood (1-4)"])
    scores = [int(r["Score (1-16)"]) for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert [int(r["Rank"]) for r in ranked] == list(range(1, len(ranked) + 1))


def test_domestic_abuse_is_counted_from_the_partner_extract(demo, report):
    events = pd.read_csv(demo / "partner" / "police-events.csv", dtype=str)
    lookup = pd.read_csv(demo / "geography" / "lookup.csv", dtype=str)
    area_lsoas = set(lookup.loc[lookup.iloc[:, :].eq(AREA).any(axis=1)].iloc[:, 0])
    events = events[events["lsoa_code"].isin(area_lsoas)].drop_duplicates("event_id")
    domestic = events[events["offence"].str.contains("domestic", case=False, na=False)]
    month = domestic["occurred_date"].str[:7]
    ranked = {r["Priority"]: r for r in _table(report, "priorities-ranked")}
    row = ranked["Domestic abuse"]
    assert int(row[CURRENT]) == int(month.between("2025-01", "2025-12").sum()) > 0
    assert int(row[PREVIOUS]) == int(month.between("2024-01", "2024-12").sum())
    volume = {r["Measure"]: r for r in _table(report, "domestic-volume")}
    assert int(volume["Records"][CURRENT]) == int(row[CURRENT])


def test_priorities_the_data_cannot_measure_print_no_figures(report):
    html = (report[0] / "index.html").read_text(encoding="utf-8")
    missing = {r["Priority"]: r for r in _table(report, "priorities-not-measured")}
    # road safety is measured from the demo's STATS19 collisions (test_assess_roads.py)
    assert set(missing) == {"Child sexual and criminal exploitation"}
    section = html.split('<section id="priority-exploitation">')[1].split("</section>")[0]
    assert "cannot measure this priority" in section
    assert "<table" not in section and "<svg" not in section
    assert not (report[0] / "data" / "exploitation-volume.csv").exists()
    assert (report[0] / "data" / "road-volume.csv").exists()


def test_hotspot_map_equals_the_library(demo, report):
    from csphub.analysis.hotspots import gistar_polygons
    from csphub.store import open_store
    from csphub.store.areas import resolve_area

    with open_store(demo / "store", read_only=True) as store:
        area = resolve_area(store, AREA)
        rows = store.con.execute(
            "SELECT code, geometry FROM boundary WHERE level = 'lsoa' ORDER BY code"
        ).fetchall()
        codes = [c for c, _ in rows if c in area.lsoa_codes]
        polygons = [bytes(g) for c, g in rows if c in area.lsoa_codes]
    burglary = _counts(demo, "--by", "lsoa_code", "--where", "crime_type=Burglary",
                       *_period(CURRENT))  # fmt: skip
    values = burglary.set_index("lsoa_code")["count"].reindex(codes, fill_value=0)
    result = gistar_polygons(codes, polygons, values.to_numpy(float), permutations=9999,
                             seed=20260101, alpha=0.05, adjust="fdr_bh")  # fmt: skip
    table = {r["Code"]: r for r in _table(report, "burglary-map")}
    labels = {"hot": "Hot spot", "cold": "Cold spot", "none": "Not significant"}
    assert {c: table[c]["Getis-Ord Gi* result"] for c in codes} == {
        c: labels[h] for c, h in zip(codes, result.hotspot, strict=True)
    }
    assert {c: int(table[c]["Records"]) for c in codes} == values.to_dict()


def _numbers(text: str) -> set[str]:
    """Numeric tokens of a text, without thousands separators or a trailing %."""
    text = re.sub(r"\b[EW]0\d{7}\b|\b\d{4}-\d{2}\b|\b(19|20)\d{2}\b", " ", text)
    return {t.replace(",", "") for t in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)}


def _table_numbers(folder) -> set[str]:
    found: set[str] = set()
    for path in (folder / "data").glob("*.csv"):
        for row in _csv(path):
            for value in row.values():
                found |= _numbers(value or "")
                try:
                    x = float(value)
                except (TypeError, ValueError):
                    continue
                for decimals in range(4):  # a share 0.789 is printed as 78.9%
                    found |= {f"{x:.{decimals}f}", f"{100 * x:.{decimals}f}"}
    return found


def test_every_number_in_the_text_is_in_a_table(report):
    html = (report[0] / "index.html").read_text(encoding="utf-8")
    paragraphs = re.findall(r'<p class="govuk-body">(.*?)</p>', html, flags=re.S)
    text = html_lib.unescape(" ".join(p for p in paragraphs if "Download this table" not in p))
    text = re.sub(r"seed \d+|[\d,]+ permutations|p < 0\.0001", " ", text)
    allowed = _table_numbers(report[0]) | {"1", "2", "3", "4", "10", "12", "16", "0.05"}
    missing = sorted(_numbers(text) - allowed, key=float)
    assert not missing, f"numbers in the text but in no table: {missing[:20]}"


def test_custom_area_from_an_lsoa_file(demo, tmp_path):
    lookup = pd.read_csv(demo / "geography" / "lookup.csv", dtype=str)
    codes = sorted(lookup.iloc[:, 0])[:12]
    (tmp_path / "area.txt").write_text("\n".join(codes) + "\n", encoding="utf-8")
    out = tmp_path / "custom"
    args = ["--lsoas", str(tmp_path / "area.txt"), "--period", PERIOD, "--out", str(out)]
    result = _run(demo, *args, "--no-pdf")
    assert result.exit_code == 0, result.output
    rows = {r["Measure"]: r for r in _csv(out / "data" / "headline-totals.csv")}
    by_lsoa = _counts(demo, "--by", "lsoa_code,crime_type", *_period(CURRENT))
    mine = by_lsoa[by_lsoa["lsoa_code"].isin(codes)]
    assert int(rows[ASB][CURRENT]) == int(mine.loc[mine["crime_type"] == ASB, "count"].sum())


def test_writes_a_pdf(demo, tmp_path):
    out = tmp_path / "pdf"
    result = _run(demo, "--area", AREA, "--period", "2025-07..2025-12", "--out", str(out))
    assert result.exit_code == 0, result.output
    pdf = out / "strategic-assessment.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--area", AREA, "--period", "2025-13..2025-14"], "--period"),
        (["--area", AREA, "--period", "2030-01..2030-12"], "2030-12"),
        (["--area", AREA, "--period", PERIOD, "--previous", "2024-06..2025-05"], "--previous"),
        (["--area", "E06000999", "--period", PERIOD], "E06000999"),
    ],
)
def test_bad_options_are_one_line_errors(demo, tmp_path, args, expected):
    result = _run(demo, *args, "--out", str(tmp_path / "x"), "--no-pdf")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0]
    assert not (tmp_path / "x" / "index.html").exists()


def test_area_and_lsoas_are_exclusive(demo, tmp_path):
    result = _run(demo, "--period", PERIOD, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "--area CODE or --lsoas FILE" in result.stderr


def test_a_bad_priorities_file_names_the_row_and_field(demo, tmp_path):
    from csphub.reports.assess.config import DATA_DIR

    text = (DATA_DIR / "priorities.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("3,domestic"))
    lines[row] = lines[row].replace(",domestic,", ",domestic,", 1).replace(",direct", ",maybe")
    bad = tmp_path / "priorities.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--area", AREA, "--period", PERIOD, "--priorities", str(bad)]
    result = _run(demo, *args, "--out", str(tmp_path / "x"), "--no-pdf")
    assert result.exit_code == 1
    assert str(bad) in result.stderr and "data row 3" in result.stderr
    assert "field fit 'maybe'" in result.stderr


def test_scores_rank_by_impact_times_likelihood():
    from csphub.reports.assess.config import load_scoring

    scoring = load_scoring()
    assert [scoring.impact(s) for s in (0.0, 0.049, 0.05, 0.15, 0.3, 0.9)] == [1, 1, 2, 3, 4, 4]
    assert np.isclose(scoring.alpha, 0.05)


def test_rows_without_a_location_are_counted_and_their_share_given(demo, report):
    # counted from the downloaded police.uk CSVs, not the store: rows with no longitude
    unlocated = total = 0
    for path in sorted((demo / "police-uk").glob("2025-*/*-street.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                total += 1
                unlocated += not row["Longitude"].strip()
    assert unlocated > 0
    params = {r["Item"]: r["Value"] for r in _table(report, "parameters")}
    expected = f"{unlocated:,} of {total:,} rows ({100 * unlocated / total:.1f}%)"
    assert params["Rows without a location, assessment period (any area)"] == expected
    html = (report[0] / "index.html").read_text(encoding="utf-8")
    assert f"Rows without a location: {expected}" in html


def test_recommendations_are_a_draft_seeded_from_the_findings_and_editable(demo, report, tmp_path):
    root = report[0]
    draft = _table(report, "recommendations")
    ranked = _table(report, "priorities-ranked")
    # one row per ranked priority, keep or review by its score, with its lead
    for r in ranked:
        verb = "Keep" if int(r["Score (1-16)"]) >= 8 else "Review whether"
        assert any(d["Recommendation"].startswith(f"{verb} {r['Priority']}") for d in draft)
    missing = {r["Priority"] for r in _table(report, "priorities-not-measured")}
    for title in missing:
        assert any(f"measure {title}:" in d["Recommendation"] for d in draft)
    html = (root / "index.html").read_text(encoding="utf-8")
    assert "Recommendations (draft for the partnership)" in html
    edited = tmp_path / "recommendations.csv"
    edited.write_text("Recommendation,Based on,Lead\nFund two street wardens.,Board decision,"
                      "Community safety team\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "sa"
    result = _run(demo, "--area", AREA, "--period", PERIOD, "--out", str(out), "--no-pdf",
                  "--recommendations", str(edited))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (out / "data" / "recommendations.csv").read_text(encoding="utf-8")
    final = list(csv.DictReader(io.StringIO(text)))
    assert final == [
        {
            "Recommendation": "Fund two street wardens.",
            "Based on": "Board decision",
            "Lead": "Community safety team",
        }
    ]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "These are the partnership&#x27;s recommendations." in page
    assert "draft for the partnership" not in page


def test_a_plain_english_summary_and_a_glossary(report):
    html = (report[0] / "index.html").read_text(encoding="utf-8")
    summary = html.split('<section id="summary">')[1]
    first = re.findall(r'<p class="govuk-body">(.*?)</p>', summary, flags=re.S)[0]
    assert first.startswith("In plain English: the biggest problems for the partnership")
    terms = {r["Term"] for r in _table(report, "glossary")}
    assert {"Harm (CSS days)", "Hot spot (Gi*)", "Quasi-Poisson test", "LSOA"} <= terms
