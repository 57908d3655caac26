"""Issue 12, point 2: a broken line costs that line, quarantined with its line, field,
reason and raw text, never the rest of the file. Expected counts come from csv_oracle."""

from __future__ import annotations

import json

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths
from csv_oracle import data_lines, good_rows, real_street
from policeuk_files import STREET_HEADER, month_rows, write_street


def ingest(store, *paths):
    return ingest_sources(store, expand_paths(paths)[0]).to_dict()


def stored_lines(store) -> list[int]:
    return [r[0] for r in store.con.execute("SELECT row_number FROM street ORDER BY 1").fetchall()]


@pytest.mark.shared
def test_one_stray_quote_in_the_real_file_costs_one_row(store, shared_data, tmp_path):
    lines = real_street(shared_data, "2022-10").split(b"\r\n")
    lines[100] = lines[100].replace(b",On or near ", b',"On or near ', 1)  # line 101
    f = tmp_path / "2022-10-lancashire-street.csv"
    f.write_bytes(b"\r\n".join(lines))
    data = f.read_bytes()
    good = good_rows(data, 12)
    assert len(data_lines(data)) - len(good) == 1 and 101 not in good
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (len(good), 1) == (15_832, 1)
    assert stored_lines(store) == sorted(good)
    (q,) = list_quarantine(store)
    assert (q["row"], q["field"]) == (101, "(row)")
    assert "cannot split the line into fields" in q["reason"]
    assert json.loads(q["record"])["raw line"] == lines[100].decode()


def test_unbalanced_quotes_cost_only_their_own_lines(store, tmp_path):
    rows = month_rows("2022-01", 50)
    rows[9] = rows[9].replace("On or near", '"On or near')  # line 11: opens, never closes
    rows[29] = rows[29] + '"'  # line 31: a quote at the end
    rows[39] = rows[39].replace("On or near Test Street", '"On or near Test, Street"')  # line 41
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    d = ingest(store, f)
    assert (d["rows_read"], d["rows_loaded"], d["rows_quarantined"]) == (50, 48, 2)
    assert [q["row"] for q in list_quarantine(store)] == [11, 31]
    assert 41 in stored_lines(store)


@pytest.mark.shared
def test_a_field_over_128_kib_costs_its_row_with_the_field_and_limit_named(
    store, shared_data, tmp_path
):
    lines = real_street(shared_data, "2022-10").split(b"\r\n")
    fields = lines[49].split(b",")
    fields[6] = b"x" * 140_000  # Location, line 50
    lines[49] = b",".join(fields)
    f = tmp_path / "2022-10-lancashire-street.csv"
    f.write_bytes(b"\r\n".join(lines))
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (15_832, 1)
    (q,) = list_quarantine(store)
    assert (q["row"], q["field"]) == (50, "Location")
    assert "over the limit of 131,072 (max_field_chars)" in q["reason"]


@pytest.mark.parametrize("eol", ["\r", "\n", "\r\n", "mixed"])
def test_cr_only_and_mixed_line_ends_load_every_row(store, tmp_path, eol):
    rows = month_rows("2022-01", 40)
    if eol == "mixed":
        ends = ["\r\n", "\n", "\r"]
        text = STREET_HEADER + "\r\n" + "".join(r + ends[i % 3] for i, r in enumerate(rows))
    else:
        text = eol.join([STREET_HEADER, *rows]) + eol
    f = tmp_path / "2022-01-testshire-street.csv"
    f.write_bytes(text.encode())
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"], d["errors"]) == (40, 0, [])
    assert stored_lines(store) == list(range(2, 42))


def test_a_cr_only_real_shaped_file_with_a_bad_row_keeps_line_numbers(store, tmp_path):
    rows = month_rows("2022-01", 20)
    rows[4] = rows[4] + ",extra"  # line 6
    f = tmp_path / "2022-01-testshire-street.csv"
    f.write_bytes("\r".join([STREET_HEADER, *rows]).encode())
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (19, 1)
    assert [q["row"] for q in list_quarantine(store)] == [6]


def test_a_header_over_128_kib_is_one_line_refusal_and_other_files_load(store, tmp_path):
    long = tmp_path / "2022-02-testshire-street.csv"
    long.write_bytes(b"Crime ID," + b"x" * 200_000 + b"\r\n" + month_rows("2022-02", 3)[0].encode())
    good = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 7))
    d = ingest(store, long, good)
    (error,) = d["errors"]
    assert error.startswith("2022-02-testshire-street.csv: the first line is longer than")
    assert "max_header_bytes" in error and "\n" not in error
    assert d["rows_loaded"] == 7
