"""Issue 12, point 6: writers wait for the store with a timeout and a message; readers
never see paths or process ids; parts left by a killed run are swept at the next write."""

from __future__ import annotations

import re
import time

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
from csphub.store import StoreBusy, open_store
from policeuk_files import month_rows, write_street
from store_lock import held_for_writing


@pytest.fixture
def store_dir(tmp_path):
    root = tmp_path / "store"
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 5))
    with open_store(root) as store:
        ingest_sources(store, expand_paths([f])[0])
    return root


def test_a_writer_waits_for_a_running_ingest_then_writes(store_dir):
    with held_for_writing(store_dir, release_after=1.5):
        started = time.monotonic()
        with open_store(store_dir, wait=60) as store:
            waited = time.monotonic() - started
            assert store.con.execute("SELECT count(*) FROM street").fetchone() == (5,)
    assert waited >= 1.0


def test_a_writer_gives_up_after_its_timeout_with_a_message(store_dir):
    with held_for_writing(store_dir), pytest.raises(StoreBusy) as caught:
        open_store(store_dir, wait=0.5)
    message = str(caught.value)
    assert "being written by another csphub ingest; waited 0.5 s" in message
    assert "--wait" in message and "PID" not in message


def test_a_reader_gets_being_refreshed_without_paths_or_pids(store_dir):
    with held_for_writing(store_dir), pytest.raises(StoreBusy) as caught:
        open_store(store_dir, create=False, read_only=True)
    message = str(caught.value)
    assert "figures are being refreshed" in message
    assert str(store_dir) not in message and "/" not in message
    assert not re.search(r"PID|python", message, re.IGNORECASE)


def test_orphan_parts_of_a_killed_run_are_swept_at_the_next_write(store_dir, tmp_path):
    parts = store_dir / "parts" / "street"
    kept = sorted(p.name for p in parts.iterdir())
    # what a run killed between writing its parts and committing them leaves behind
    (parts / "f000099-p0000.parquet").write_bytes(b"PAR1 half written")
    (parts / "f000099-p0001.parquet").write_bytes(b"PAR1")
    f = write_street(tmp_path / "2022-02-testshire-street.csv", month_rows("2022-02", 3))
    with open_store(store_dir) as store:
        d = ingest_sources(store, expand_paths([f])[0]).to_dict()
        assert d["rows_loaded"] == 3
        assert store.con.execute("SELECT count(*) FROM street").fetchone() == (8,)
    left = sorted(p.name for p in parts.iterdir())
    assert "f000099-p0000.parquet" not in left and "f000099-p0001.parquet" not in left
    assert set(kept) <= set(left)
