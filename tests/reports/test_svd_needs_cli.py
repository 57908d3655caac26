"""``csphub svd-needs`` on the demo store: the files it writes, the partnership's own
interventions file printed instead of the draft, and one-line errors for bad options."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from csphub.cli.main import cli

AREA = "E06999001"
PERIOD = "2025-01..2025-12"
COLUMNS = (
    "Cohort or place",
    "Evidence in this assessment",
    "Intervention",
    "Lead authority",
    "Partners",
    "Funding",
    "Review date",
)


def _run(demo_run, *args):
    return CliRunner().invoke(cli, ["svd-needs", *args, "--store", str(demo_run.store)])


def test_writes_every_output_and_prints_the_agreed_interventions(demo_run, tmp_path):
    out = tmp_path / "draft"
    result = _run(demo_run, "--area", AREA, "--period", PERIOD, "--out", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "tables.xlsx").is_file()
    draft = list(csv.DictReader(io.StringIO((out / "data" / "interventions.csv").read_text())))
    assert draft and tuple(draft[0]) == COLUMNS
    agreed = tmp_path / "agreed.csv"
    with agreed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerow(
            {c: "" for c in COLUMNS}
            | {"Cohort or place": "Young men 18-24", "Intervention": "A&E navigators"}
        )
    final = tmp_path / "final"
    args = ["--area", AREA, "--period", PERIOD, "--out", str(final), "--no-pdf"]
    result = _run(demo_run, *args, "--interventions", str(agreed))
    assert result.exit_code == 0, result.output
    html = (final / "index.html").read_text(encoding="utf-8")
    assert "A&amp;E navigators" in html and "as agreed" in html
    assert "For the partnership to complete" not in html


def test_bad_options_are_one_line_errors(demo_run, tmp_path):
    out = tmp_path / "bad"
    result = _run(demo_run, "--area", AREA, "--period", "2031-01..2031-12", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and len(result.output.strip().splitlines()) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("cohort,what\nx,y\n", encoding="utf-8")
    args = ["--area", AREA, "--period", PERIOD, "--out", str(out), "--interventions", str(bad)]
    result = _run(demo_run, *args)
    assert result.exit_code == 1 and "header lacks" in result.output
    assert not (out / "index.html").exists()


def test_every_number_in_the_text_is_in_a_table(demo_run):
    import html as html_lib
    import re

    from test_assess import _numbers, _table_numbers

    folder = demo_run.out / "products" / "serious-violence-needs-assessment"
    html = (folder / "index.html").read_text(encoding="utf-8")
    paragraphs = re.findall(r'<p class="govuk-body">(.*?)</p>', html, flags=re.S)
    text = html_lib.unescape(" ".join(p for p in paragraphs if "Download this table" not in p))
    # the Duty's Act and date, the hours of the night-time economy and the Gi* parameters
    text = re.sub(
        r"seed \d+|[\d,]+ permutations|p < 0\.0001|\d\d:\d\d|Act 2022|31 January", " ", text
    )
    text = re.sub(r"Part 2 Chapter 1|quintile \d|December 2022", " ", text)
    allowed = _table_numbers(folder) | {"1", "2", "3", "4", "5", "10", "12", "0.05"}
    missing = sorted(_numbers(text) - allowed, key=float)
    assert not missing, f"numbers in the text but in no table: {missing[:20]}"
