"""Shared fixtures. Tests that read ../shared/data skip cleanly when it is absent.

The demo borough (``csphub demo``) is built once for the whole run, whatever the number
of pytest-xdist workers, and each worker reads its own copy (:func:`demo_run`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from csphub.store import open_store
from shared_demo import DemoRun, build_demo, built_once

# `csphub demo` serves the demo hub until stopped unless told not to; tests pass
# --no-serve, and this makes sure no test can ever block on a server.
os.environ.setdefault("CSPHUB_DEMO_SERVE", "0")

SHARED_DATA = Path(
    os.environ.get("CSPHUB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def _shared_data() -> Path:
    if not (SHARED_DATA / "SOURCES.md").exists():
        pytest.skip(f"shared data not present at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def shared_data() -> Path:
    """The real public data folder (../shared/data), or skip the test."""
    return _shared_data()


@pytest.fixture(scope="session")
def shared_data_session() -> Path:
    """The same, for module- and session-scoped fixtures."""
    return _shared_data()


@pytest.fixture
def store(tmp_path):
    """A fresh, empty evidence store in a temporary folder."""
    with open_store(tmp_path / "store") as s:
        yield s


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """The demo borough, built once for the run and copied for this worker (the store's
    DuckDB catalog allows one process at a time). For tests that only read it: a test
    that ingests or writes a product does so in a folder of its own."""
    shared = built_once(tmp_path_factory, "demo-run", build_demo)
    own = tmp_path_factory.mktemp("demo-run") / "demo"
    shutil.copytree(shared, own)
    printed = (own / "printed.txt").read_text(encoding="utf-8")
    (own / "printed.txt").unlink()
    return DemoRun(out=own, printed=printed.replace(str(shared), str(own)))
