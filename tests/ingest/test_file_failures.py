"""Issue 12, points 4 and 5: one bad file never stops the others, no traceback or stray
interpreter noise reaches the user, and archives are read under limits, opened once."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from csphub.ingest.limits import default_limits
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths, find_sources
from policeuk_files import STREET_HEADER, month_rows, street_row, write_street


def ingest(store, *paths, **kwargs):
    found = find_sources(paths, limits=kwargs.get("limits"))
    d = ingest_sources(store, found.sources, **kwargs).to_dict()
    d["errors"] = [*found.errors, *d["errors"]]
    return d


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from csphub.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bad_files_of_every_sort_cost_one_line_each_and_good_files_load(tmp_path):
    good = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 6))
    cr_only = tmp_path / "2022-02-testshire-street.csv"
    cr_only.write_bytes("\r".join([STREET_HEADER, *month_rows("2022-02", 4)]).encode())
    long_header = tmp_path / "2022-03-testshire-street.csv"
    long_header.write_bytes(b"Crime ID," + b"y" * 140_000 + b"\r\n")
    nul_zip = tmp_path / "2022-04.zip"
    with (
        zipfile.ZipFile(nul_zip, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("2022-04/2022-04-testshire-street.csv", "w") as member,
    ):
        for _ in range(16):
            member.write(bytes(1 << 20))  # 16 MiB of NUL bytes
    latin = tmp_path / "2022-05-testshire-street.csv"
    latin.write_bytes(
        (STREET_HEADER + "\r\n").encode()
        + street_row("2022-05", crime_id="caf\xe9").encode("latin-1")
        + b"\r\n"
        + "\r\n".join(month_rows("2022-05", 3)).encode()
        + b"\r\n"
    )
    done = run_cli(
        "ingest",
        "police-uk",
        str(good),
        str(cr_only),
        str(long_header),
        str(nul_zip),
        str(latin),
        "--store",
        str(tmp_path / "store"),
        "--format",
        "json",
    )
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.returncode == 1, done.stderr
    import json

    report = json.loads(done.stdout)
    assert report["rows_loaded"] == 6 + 4 + 3
    assert report["rows_quarantined"] == 1
    errors = report["errors"]
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert errors[0].startswith("2022-03-testshire-street.csv: the first line is longer")
    assert errors[1].startswith("2022-04.zip!2022-04/2022-04-testshire-street.csv: refused:")
    assert "max_compression_ratio" in errors[1]


def test_an_archive_over_its_member_limit_is_refused_in_one_line(store, tmp_path):
    archive = tmp_path / "2022-01.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(12):
            zf.writestr(f"2022-01/2022-01-force{i}-street.csv", STREET_HEADER + "\r\n")
    d = ingest(store, archive, limits=default_limits().but(max_archive_members=10))
    assert d["errors"] == [
        "2022-01.zip: refused: 12 members, over the limit of 10 (max_archive_members)"
    ]


def test_a_zip_bomb_of_csv_rows_is_refused_and_the_next_member_loads(store, tmp_path):
    rows = "\r\n".join(month_rows("2022-01", 1)) + "\r\n"
    archive = tmp_path / "2022-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("2022-01/2022-01-testshire-street.csv", "w") as member:
            member.write((STREET_HEADER + "\r\n").encode())
            for _ in range(200):
                member.write((rows * 1000).encode())
        zf.writestr(
            "2022-02/2022-02-testshire-street.csv",
            "\r\n".join([STREET_HEADER, *month_rows("2022-02", 5)]) + "\r\n",
        )
    limits = default_limits().but(max_compression_ratio=50)
    d = ingest(store, archive, limits=limits)
    (error,) = d["errors"]
    assert error.startswith("2022-01.zip!2022-01/2022-01-testshire-street.csv: refused: expands")
    assert d["rows_loaded"] == 5


def test_an_archive_is_opened_once_whatever_its_members(store, tmp_path, monkeypatch):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(300):
            month = f"{2000 + i // 12}-{1 + i % 12:02d}"
            zf.writestr(
                f"{month}/{month}-testshire-street.csv",
                "\r\n".join([STREET_HEADER, *month_rows(month, 2)]) + "\r\n",
            )
    opened = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self, file, *args, **kwargs):
        opened.append(file)
        real_init(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    sources, errors = expand_paths([archive])
    d = ingest_sources(store, sources).to_dict()
    assert (errors, d["errors"], d["rows_loaded"]) == ([], [], 600)
    assert len(opened) == 1


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_damaged_compression_is_one_line_naming_the_file(store, tmp_path, damage):
    import gzip

    data = gzip.compress(("\r\n".join([STREET_HEADER, *month_rows("2022-01", 500)])).encode())
    data = data[: len(data) // 2] if damage == "truncated" else data[:40] + b"\x00" + data[41:]
    bad = tmp_path / "2022-01-testshire-street.csv.gz"
    bad.write_bytes(data)
    good = write_street(tmp_path / "2022-02-testshire-street.csv", month_rows("2022-02", 3))
    d = ingest(store, bad, good)
    (error,) = d["errors"]
    assert error.startswith("2022-01-testshire-street.csv.gz: cannot read:")
    assert "damaged" in error and "download the file again" in error
    assert d["rows_loaded"] == 3


def test_non_utf8_bytes_in_a_broken_row_print_no_stray_exception(tmp_path):
    f = tmp_path / "2022-05-testshire-street.csv"
    f.write_bytes(
        (STREET_HEADER + "\r\n").encode()
        + (street_row("2022-05", crime_id="caf\xe9") + ",extra").encode("latin-1")
        + b"\r\n"
        + "\r\n".join(month_rows("2022-05", 3)).encode()
        + b"\r\n"
    )
    done = run_cli("ingest", "police-uk", str(f), "--store", str(tmp_path / "store"))
    assert done.returncode == 0
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert "1 rows (see: csphub query quarantine)" in done.stderr
