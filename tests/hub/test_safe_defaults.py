"""Safe defaults: the hub folder readable by its owner only (0700) and the files in it
(0600), and persistent database connections checked before reuse."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from csphub.cli.demo_hub import hub_environment
from csphub.hub import private_file, private_folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


# File modes -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_hub_folder_and_its_files_are_private(tmp_path, loose_umask):
    hub = tmp_path / "hub"
    hub.mkdir(mode=0o755)  # as `csphub demo` makes it, before the settings run
    hub.chmod(0o755)
    done = subprocess.run(
        [sys.executable, "-m", "csphub.cli.demo_hub", str(hub)],
        env=hub_environment(hub),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Path(json.loads(done.stdout)["database"]) == hub / "hub.sqlite3"
    assert mode(hub) == 0o700
    assert mode(hub / "hub.sqlite3") == 0o600
    assert mode(hub / "secret-key") == 0o600
    others = {p.name: oct(mode(p)) for p in hub.iterdir() if mode(p) & 0o077}
    assert not others, f"readable by others: {others}"


def test_private_folder_and_file_are_made_so_under_a_loose_umask(tmp_path, loose_umask):
    folder = private_folder(tmp_path / "a" / "hub")
    assert mode(folder) == 0o700
    made = private_file(folder / "db")
    assert mode(made) == 0o600 and made.read_bytes() == b""
    loose = folder / "loose"
    loose.write_text("x")
    loose.chmod(0o644)
    assert mode(private_file(loose)) == 0o600 and loose.read_text() == "x"


# Connections ------------------------------------------------------------------------


def test_the_default_database_checks_connections_before_reuse(db):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("url", ["", "postgresql://app@db.invalid:5432/csphub"])
def test_both_kinds_of_database_setting_check_connections(tmp_path, url):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CSPHUB_HUB_DIR=str(tmp_path / "hub"), DJANGO_SETTINGS_MODULE="csphub.hub.settings")
    if url:
        env["DATABASE_URL"] = url
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_HEALTH_CHECKS'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    engine, checks = done.stdout.split()
    assert engine.endswith("postgresql" if url else "sqlite3") and checks == "True"
