"""README command 1: `csphub demo` generates the borough, ingests it idempotently, writes
the four products and creates the demo partnership hub (served unless --no-serve)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

from click.testing import CliRunner

from csphub.cli.main import cli
from csphub.store import open_store


def test_demo_generates_and_ingests_everything_and_reruns_unchanged(demo_run, tmp_path):
    # The run shared by the suite: csphub demo --seed 2026 --no-pdf --no-serve (the default
    # seed), which exited 0; `printed` is its stderr.
    out, printed = demo_run.out, demo_run.printed
    assert "0 quarantined" in printed
    with open_store(out / "store") as store:
        con = store.con
        street = con.execute("SELECT count(*) FROM street").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        lsoas = con.execute("SELECT count(*) FROM boundary WHERE level = 'lsoa'").fetchone()[0]
        area = con.execute(
            "SELECT count(*) FROM geo_lookup WHERE lad_code = 'E06999001'"
        ).fetchone()[0]
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        partner = {
            view: con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            for view in ("collisions", "casualties", "vehicles", "ae_assaults", "fire_incidents")
        }
        istv = len(list((out / "partner" / "istv").glob("ae-assaults-*.csv")))
        generated = sum(
            len(p.read_text().splitlines()) - 1 for p in (out / "police-uk").rglob("*-street.csv")
        )
    assert street == generated > 80_000
    assert events > street  # police events plus the housing provider's reports
    assert lsoas == area == 90
    assert quarantined == 0
    assert all(n > 0 for n in partner.values()), partner  # STATS19, ISTV and fire loaded
    assert partner["casualties"] >= partner["collisions"] and istv == 36
    products = out / "products"
    folders = ("strategic-assessment", "serious-violence-needs-assessment", "tasking-2025-12")
    for folder in (*folders, "asb-report-2025-Q4"):
        page = products / folder / "index.html"
        assert str(page) in printed  # the paths are printed
        assert "<h1" in page.read_text(encoding="utf-8")
        assert (products / folder / "tables.xlsx").is_file()
        assert len(list((products / folder / "data").glob("*.csv"))) >= 5
        assert not list((products / folder).glob("*.pdf"))  # --no-pdf
    assert "Strategic Assessment: Brackwater, January 2025 to December 2025" in (
        products / "strategic-assessment" / "index.html"
    ).read_text(encoding="utf-8")
    # The demo hub: SQLite in OUT/hub, the demo partnership's users, how to sign in.
    database = out / "hub" / "hub.sqlite3"
    assert database.is_file()
    with closing(sqlite3.connect(database)) as con:
        users = {r[0] for r in con.execute("SELECT username FROM auth_user")}
        agencies = con.execute("SELECT count(*) FROM access_agency").fetchone()[0]
        actions = con.execute("SELECT count(*) FROM actions_action").fetchone()[0]
    assert {"sam", "priya", "inspector", "dave", "jo", "ahmed", "morgan", "fiona"} <= users
    assert agencies == 10 and actions > 0
    assert "Sign in at http://localhost:8000/sign-in/" in printed
    assert "brackwater-demo-2026" in printed
    assert "sam  " in printed and "Community safety coordinator" in printed
    assert "Serving the hub" not in printed  # --no-serve
    # Run again, in a copy of its own (the shared run is read only).
    out = shutil.copytree(out, tmp_path / "demo")
    database = out / "hub" / "hub.sqlite3"
    second = CliRunner().invoke(
        cli, ["demo", "--out", str(out), "--no-products", "--no-serve"], catch_exceptions=False
    )
    assert second.exit_code == 0
    assert "0 loaded, 72 unchanged" in second.stderr
    assert "Ingested STATS19 collisions: 0 loaded, 3 unchanged" in second.stderr
    assert "Ingested A&E ISTV extracts: 0 loaded, 36 unchanged" in second.stderr
    assert "Ingested fire incidents: 0 loaded, 1 unchanged" in second.stderr
    assert "Writing the reports" not in second.stderr
    assert "already there, unchanged" in second.stderr  # the hub is seeded once
    with closing(sqlite3.connect(database)) as con:
        again = con.execute("SELECT count(*) FROM auth_user").fetchone()[0]
    assert again == len(users)


def test_last_quarter_and_period_of_the_demo_products():
    from csphub.analysis.store_inputs import shift_month
    from csphub.cli.demo_products import last_quarter

    assert [last_quarter(m) for m in ("2025-12", "2025-11", "2025-03", "2025-02")] == [
        "2025-Q4", "2025-Q3", "2025-Q1", "2024-Q4"
    ]  # fmt: skip
    assert shift_month("2025-12", -11) == "2025-01"
