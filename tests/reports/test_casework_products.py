"""The tasking pack and the ASB report with the partnership hub's casework (``--hub-dir``).

The hub is the demo partnership's (``csphub demo`` seeds it after building the store, so
its places have their LSOAs). The expectations are the demo's own facts, written out here
by hand from ``hub/demo/casework.py`` (which case names which person and place, and when
it was opened), and counts made with plain SQL against the hub and DuckDB against the store:
never the reader under test.
"""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from csphub.cli.main import cli
from csphub.reports.casework.hub import HubSource, read_casework
from csphub.reports.casework.sections import in_area
from csphub.store import open_store
from shared_demo import DEMO_AREA

#: The demo's cases, restated: type, opened, people by role, whether it names a place.
#: (Fieldfare Close is the domestic-abuse household; Missing overnight names no place.)
DEMO_CASES = {
    "ASB-capstan": ("asb", "2025-10-14", {"subject": 1, "complainant": 1}, True),
    "ASB-gannet": ("asb", "2025-09-02", {"subject": 1}, True),
    "ASB-harbourside": ("asb", "2025-11-20", {}, True),
    "DA-pellow": (
        "domestic_abuse",
        "2025-12-03",
        {"victim": 1, "subject": 1, "child_at_risk": 1},
        True,
    ),
    "EXP-tyler": ("exploitation", "2025-11-05", {"child_at_risk": 1, "adult_of_concern": 1}, True),
    "MIS-tyler": ("missing", "2025-12-12", {"child_at_risk": 1}, False),
    "PS-saltings": ("problem_solving", "2025-10-27", {}, True),
    "SV-oldquay": ("serious_violence", "2025-08-15", {}, True),
}
#: Every person of the demo's casework, by name and alias: none may appear in a product.
NAMES = [
    "Kyle Marsden", "Kai Marsden", "Kai Marsdon", "Edith Quarrington", "Lewis Crane",
    "Sarah Pellow", "Darren Pellow", "Daz Pellow", "Mia Pellow", "Tyler Brook", "Jason Reeve",
    "J Reeve",
    "Marsden", "Marsdon", "Quarrington", "Crane", "Pellow", "Reeve",
]  # fmt: skip
#: Addresses of places that only restricted cases name (the household, the car park).
WITHHELD = ["7 Fieldfare Close", "Former Anchor Inn car park"]
NO_HUB = "not included: give the hub folder with --hub-dir"


def _write(args: list[str], out: Path, demo_run) -> Path:
    result = CliRunner().invoke(
        cli, [*args, "--area", DEMO_AREA, "--store", str(demo_run.store), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hub_dir(demo_run) -> Path:
    return demo_run.out / "hub"


@pytest.fixture(scope="module")
def with_hub(demo_run, hub_dir, tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("casework-products")
    hub = ["--hub-dir", str(hub_dir)]
    return {
        "tasking": _write(["tasking", "--month", "2025-12", *hub], base / "tasking", demo_run),
        "asb": _write(["asb-report", "--quarter", "2025-Q4", *hub], base / "asb", demo_run),
    }


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _texts(folder: Path) -> dict[str, str]:
    """Every text a product writes: the page, each CSV and every cell of the workbook."""
    out = {"index.html": (folder / "index.html").read_text(encoding="utf-8")}
    for path in (folder / "data").glob("*.csv"):
        out[path.name] = path.read_text(encoding="utf-8")
    book = load_workbook(folder / "tables.xlsx", read_only=True)
    out["tables.xlsx"] = "\n".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    return out


def _hub_sql(hub_dir: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(hub_dir / "hub.sqlite3")) as db:
        return db.execute(sql, params).fetchall()


def _expected_by_type(period_from: str, period_to: str) -> dict[str, dict[str, int]]:
    """The demo's facts as the by-type table should count them (every place is in the
    borough; the missing-child case names none, so it is not in the area's table)."""
    names = {
        "asb": "Antisocial behaviour",
        "domestic_abuse": "Domestic abuse",
        "exploitation": "Exploitation (CSE/CCE)",
        "problem_solving": "Problem solving (OSARA/VOL)",
        "serious_violence": "Serious violence",
    }
    out: dict[str, dict[str, int]] = {}
    for kind, opened, roles, placed in DEMO_CASES.values():
        if not placed:
            continue
        for name in (names[kind], "All types"):
            row = out.setdefault(
                name, {"open": 0, "opened": 0, "subjects": 0, "victims": 0, "children": 0}
            )
            row["open"] += 1
            row["opened"] += period_from <= opened <= period_to
            row["subjects"] += roles.get("subject", 0)
            row["victims"] += roles.get("victim", 0) + roles.get("complainant", 0)
            row["children"] += roles.get("child_at_risk", 0)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("product", "start", "end"),
    [("asb", "2025-10-01", "2025-12-31"), ("tasking", "2025-12-01", "2025-12-31")],
)
def test_cases_by_type_are_the_demos(with_hub, product, start, end):
    rows = {r["Case type"]: r for r in _csv(with_hub[product], "casework-by-type")}
    got = {
        name: {
            "open": int(r["Open in the period"]),
            "opened": int(r["Opened in the period"]),
            "subjects": int(r["Subjects or perpetrators"]),
            "victims": int(r["Victims and complainants"]),
            "children": int(r["Children at risk"]),
        }
        for name, r in rows.items()
    }
    assert got == _expected_by_type(start, end)
    assert rows["All types"]["Closed in the period"] == "0"
    # the one case without a place is counted, not lost; the two places only restricted
    # cases name (the household, the car park) are counted, not listed
    coverage = {r["Measure"]: int(r["Count"]) for r in _csv(with_hub[product], "casework-coverage")}
    assert coverage["Cases open in the hub in the period"] == len(DEMO_CASES) == 8
    assert coverage["Cases naming a place in Brackwater"] == 7
    assert coverage["Cases naming no place"] == 1
    assert coverage["Places named only by restricted cases (not listed)"] == len(WITHHELD)
    # every number of the section's text is in one of its tables
    page = (with_hub[product] / "index.html").read_text(encoding="utf-8")
    section = page.split('<section id="casework">')[1].split("</section>")[0]
    text = " ".join(re.findall(r"<p [^>]*>(.*?)</p>", section, re.S))
    cells = " ".join(re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", section, re.S))
    numbers = r"(?<![\w.-])\d[\d,]*"
    in_text = set(re.findall(numbers, re.sub(r"\b20\d\d\b", "", text)))
    assert in_text and in_text <= set(re.findall(numbers, cells))


@pytest.mark.slow
def test_problem_places_are_the_unrestricted_places_of_the_area(with_hub, hub_dir, demo_run):
    with open_store(demo_run.store, create=False, read_only=True) as store:
        area = {
            r[0]
            for r in store.con.execute(
                "SELECT lsoa_code FROM geo_lookup WHERE lad_code = ?", [DEMO_AREA]
            ).fetchall()
        }
    expected = _hub_sql(
        hub_dir,
        "SELECT pl.address, pl.lsoa_code, group_concat(c.reference, '; ') FROM casework_place pl "
        "JOIN casework_caseparty p ON p.place_id = pl.id "
        "JOIN casework_case c ON c.id = p.case_id "
        "WHERE c.restricted = 0 GROUP BY pl.id",
    )
    expected = {(a, lsoa, refs) for a, lsoa, refs in expected if lsoa in area}
    assert len(expected) == 5  # seven demo places, two named only by restricted cases
    for product in ("asb", "tasking"):
        rows = _csv(with_hub[product], "casework-places")
        got = {(r["Place"], r["LSOA"], r["Cases"]) for r in rows}
        assert {(lsoa, refs) for _, lsoa, refs in got} == {(lsoa, r) for _, lsoa, r in expected}
        assert all(any(a in place for a, _, _ in expected) for place, _, _ in got)
        assert all(r["Lead agencies"] and r["Ward"] for r in rows)


@pytest.mark.slow
def test_each_hot_lsoa_has_its_open_cases_counted_by_sql(with_hub, hub_dir):
    folder = with_hub["tasking"]
    hot = {r["LSOA"] for r in _csv(folder, "hotspots-hot-lsoas")}
    alert = {r["LSOA"] for r in _csv(folder, "near-repeat-alert")}
    rows = _csv(folder, "casework-hot-lsoas")
    assert {r["LSOA"] for r in rows} == hot | alert
    for row in rows:
        cases = _hub_sql(
            hub_dir,
            "SELECT DISTINCT c.reference, c.restricted FROM casework_case c "
            "JOIN casework_caseparty p ON p.case_id = c.id "
            "JOIN casework_place pl ON pl.id = p.place_id "
            "WHERE pl.lsoa_code = ? AND c.opened_at < '2026-01-01' AND c.closed_at IS NULL",
            row["LSOA"],
        )
        assert int(row["Open cases naming a place"]) == len(cases), row
        listed = sorted(ref for ref, restricted in cases if not restricted)
        parts = [r for r in row["Case references"].split("; ") if r]
        shown = [r for r in parts if not r.endswith(" restricted")]
        assert sorted(shown) == listed, row
        hidden = len(cases) - len(listed)
        assert (f"{hidden} restricted" in row["Case references"]) == bool(hidden)
    # the demo's town-centre places are in its hot spots: the table has cases to show
    assert sum(int(r["Open cases naming a place"]) for r in rows if r["LSOA"] in hot) >= 3


@pytest.mark.slow
def test_no_person_and_no_withheld_place_appears_in_any_output(with_hub, hub_dir):
    from_hub = _hub_sql(hub_dir, "SELECT given_name, family_name FROM casework_person")
    assert {f"{g} {f}" for g, f in from_hub} <= set(NAMES)  # the list above is complete
    for product, folder in with_hub.items():
        for name, text in _texts(folder).items():
            for person in NAMES:
                assert not re.search(rf"\b{re.escape(person)}\b", text), (product, name, person)
            for address in WITHHELD:
                assert address not in text, (product, name, address)


@pytest.mark.slow
def test_products_carry_the_marking_and_without_a_hub_say_how_to_add_it(
    with_hub, demo_run, tmp_path
):
    for folder in with_hub.values():
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert page.index("OFFICIAL-SENSITIVE") < page.index("<h1")  # at the top
        assert page.rindex("OFFICIAL-SENSITIVE") > page.index("<footer")  # and at the foot
        assert load_workbook(folder / "tables.xlsx")["Contents"]["A3"].value == (
            "OFFICIAL-SENSITIVE"
        )
        assert NO_HUB not in page
    plain = _write(
        ["tasking", "--month", "2025-12", "--marking", "OFFICIAL"], tmp_path / "plain", demo_run
    )
    page = (plain / "index.html").read_text(encoding="utf-8")
    assert page.count(NO_HUB) == 1
    assert "OFFICIAL-SENSITIVE" not in page and "<strong>OFFICIAL</strong>" in page
    assert not list((plain / "data").glob("casework-*.csv"))


def test_the_demo_products_are_written_with_the_demo_hub(demo_run):
    for folder in ("tasking-2025-12", "asb-report-2025-Q4"):
        data = demo_run.out / "products" / folder / "data"
        assert (data / "casework-by-type.csv").is_file()
        assert (data / "casework-places.csv").is_file()


def test_a_case_closed_before_or_opened_after_the_period_is_not_counted(hub_dir, tmp_path):
    import datetime as dt

    copy = tmp_path / "hub"
    shutil.copytree(hub_dir, copy)
    with closing(sqlite3.connect(copy / "hub.sqlite3")) as db, db:
        db.execute(
            "UPDATE casework_case SET closed_at = '2025-09-30 12:00:00' "
            "WHERE title LIKE 'Noise, threats%'"
        )
        db.execute(
            "UPDATE casework_case SET opened_at = '2026-01-05 09:00:00' "
            "WHERE title LIKE 'Young people%'"
        )
        # closed on the quarter's first day (London time): still open in the quarter
        db.execute(
            "UPDATE casework_case SET closed_at = '2025-10-01 08:00:00' "
            "WHERE title LIKE 'Drug use%'"
        )
    work = read_casework(HubSource.of(copy, None), dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    kinds = sorted(c.case_type for c in work.cases)
    assert kinds.count("asb") == 1 and len(kinds) == 6
    [asb] = [c for c in work.cases if c.case_type == "asb"]
    assert asb.closed == dt.date(2025, 10, 1)
    lsoas = {p.lsoa_code for p in work.places.values()}
    assert len(in_area(work, lsoas).cases) == 5  # the missing child's case names no place


def test_a_missing_hub_fails_in_one_line(demo_run, tmp_path):
    args = ["asb-report", "--quarter", "2025-Q4", "--area", DEMO_AREA]
    args += ["--store", str(demo_run.store), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, [*args, "--hub-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no hub database at" in result.output and "--hub-dir" in result.output
    both = CliRunner().invoke(cli, [*args, "--hub-dir", "x", "--hub-database", "postgresql://h"])
    assert both.exit_code == 1 and "not both" in both.output


def test_the_reports_read_the_hub_without_django():
    code = (
        "import sys\n"
        "import csphub.reports.asb, csphub.reports.tasking, csphub.cli.hub_source\n"
        "import csphub.reports.casework.sections\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_postgresql_gives_what_sqlite_gives(hub_dir, demo_run, tmp_path):
    """The same demo partnership seeded into PostgreSQL reads as the SQLite hub does
    (skipped when no PostgreSQL server answers)."""
    import datetime as dt
    import os
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    from audit_chain_expect import postgres_admin, postgres_admin_url

    admin = postgres_admin()
    database = f"csphub_casework_{secrets.token_hex(5)}"
    admin.execute(f"CREATE DATABASE {database}")
    url = urlunsplit(urlsplit(postgres_admin_url())._replace(path=f"/{database}"))
    try:
        env = {k: v for k, v in os.environ.items() if k != "CSPHUB_MIGRATE_DATABASE_URL"}
        env |= {
            "DATABASE_URL": url,
            "CSPHUB_HUB_DIR": str(tmp_path / "hub"),
            "CSPHUB_STORE": str(demo_run.store),
            "DJANGO_SETTINGS_MODULE": "csphub.hub.settings",
        }
        seed = (
            "import sys\nfrom pathlib import Path\nfrom csphub.hub import setup\n"
            "setup(Path(sys.argv[1]))\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', interactive=False, verbosity=0)\n"
            "from csphub.hub.demo.seed import seed_partnership\nseed_partnership()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", seed, str(tmp_path / "hub")],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        period = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
        pg = read_casework(HubSource.of(None, url), *period)
        lite = read_casework(HubSource.of(hub_dir, None), *period)

        def facts(work):
            cases = {
                (c.reference, c.case_type, c.lead_agency, c.opened, c.closed) for c in work.cases
            }
            places = {(p.address, p.lsoa_code, p.ward_name) for p in work.places.values()}
            roles = sorted((p.role, p.person_id is None) for p in work.parties)
            return cases, places, roles

        assert facts(pg) == facts(lite) and len(pg.cases) == 8
        assert "postgres" in pg.source.lower() and database in pg.source
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
