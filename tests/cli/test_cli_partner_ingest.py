"""The partner ingest commands: stats19, istv and fire, through the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from csphub.cli.main import cli
from csphub.store import open_store


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    store = tmp_path / "store"

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--store", str(store)], catch_exceptions=False)

    invoke.store = store  # type: ignore[attr-defined]
    return invoke


def test_each_command_loads_its_format_and_says_so(run, tmp_path):
    files = {
        "stats19": (
            "collision_index,police_force,collision_severity,date\n"
            "2024040000001,4,3,02/01/2024\n2024040000002,4,1,03/01/2024\n"
        ),
        "istv": (
            "site,arrival_date,arrival_time,primary_means_of_assault\n"
            "Brackwater General ED,06/12/2025,01:40,knife\n"
        ),
        "fire": (
            "incident_id,fire_service,incident_date,incident_type,motive\n"
            "F1,Lancashire FRS,06/12/2025,Secondary fire - grassland,deliberate\n"
        ),
    }
    for command, text in files.items():
        path = tmp_path / f"{command}.csv"
        path.write_text(text, encoding="utf-8")
        result = run("ingest", command, str(path), "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["rows_quarantined"] == 0
    with open_store(run.store, read_only=True) as store:
        counts = [
            store.con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            for view in ("collisions", "ae_assaults", "fire_incidents")
        ]
    assert counts == [2, 1, 1]


def test_a_police_uk_file_given_to_stats19_fails_with_a_reason(run, tmp_path):
    path = tmp_path / "2022-01-x-street.csv"
    path.write_text("Crime ID,Month\n1,2022-01\n", encoding="utf-8")
    result = run("ingest", "stats19", str(path))
    assert result.exit_code == 1
    assert "not a DfT STATS19" in result.output


def test_strict_exits_2_when_rows_are_quarantined(run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "collision_index,police_force,collision_severity,date\n2024040000001,4,7,02/01/2024\n",
        encoding="utf-8",
    )
    assert run("ingest", "stats19", str(path), "--strict").exit_code == 2


def test_stats19_says_what_cannot_be_computed_without_casualty_files(run, tmp_path):
    collisions = tmp_path / "collisions.csv"
    collisions.write_text(
        "collision_index,police_force,collision_severity,date\n2024040000001,4,3,02/01/2024\n",
        encoding="utf-8",
    )
    first = json.loads(run("ingest", "stats19", str(collisions), "--format", "json").stdout)
    assert first["cannot_compute"] == [
        "Lancashire 2024: no casualty file loaded: casualties by road user, age and sex "
        "cannot be computed (only the number per collision)",
        "Lancashire 2024: no vehicle file loaded: vehicles involved cannot be computed",
    ]
    casualties = tmp_path / "casualties.csv"
    casualties.write_text(
        "collision_index,vehicle_reference,casualty_reference,casualty_severity\n"
        "2024040000001,1,1,3\n2024040000002,1,1,3\n",
        encoding="utf-8",
    )
    second = json.loads(run("ingest", "stats19", str(casualties), "--format", "json").stdout)
    assert second["cannot_compute"] == [
        "Lancashire 2024: no vehicle file loaded: vehicles involved cannot be computed",
        "Lancashire 2024: 1 casualty rows have no collision loaded (load the collision file "
        "of the same release)",
    ]
