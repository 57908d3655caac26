"""README command 1: `csphub demo` generates the borough and ingests it, idempotently."""

from __future__ import annotations

from click.testing import CliRunner

from csphub.cli.main import cli
from csphub.store import open_store


def test_demo_generates_and_ingests_everything_and_reruns_unchanged(tmp_path):
    runner = CliRunner()
    out = tmp_path / "demo"
    first = runner.invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert first.exit_code == 0, first.stderr
    assert "0 quarantined" in first.stderr
    with open_store(out / "store") as store:
        con = store.con
        street = con.execute("SELECT count(*) FROM street").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        lsoas = con.execute("SELECT count(*) FROM boundary WHERE level = 'lsoa'").fetchone()[0]
        area = con.execute(
            "SELECT count(*) FROM geo_lookup WHERE lad_code = 'E06999001'"
        ).fetchone()[0]
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        generated = sum(
            len(p.read_text().splitlines()) - 1 for p in (out / "police-uk").rglob("*-street.csv")
        )
    assert street == generated > 80_000
    assert events > street  # police events plus the housing provider's reports
    assert lsoas == area == 90
    assert quarantined == 0
    second = runner.invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert second.exit_code == 0
    assert "0 loaded, 72 unchanged" in second.stderr
