"""An independent view of a CSV's rows, written with the csv module alone.

Used as the expectation of ingest tests: a line is a row (LF, CRLF or a lone CR ends it),
and the csv module in strict mode splits each line on its own.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

BOM = b"\xef\xbb\xbf"


def data_lines(data: bytes) -> dict[int, bytes]:
    """Non-blank lines after the header, by line number (header = 1)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    return {i + 1: line for i, line in enumerate(data.splitlines()) if i and line}


def strict_fields(line: bytes) -> list[str] | None:
    """The fields of one line, or None when strict csv cannot split it or it is not UTF-8."""
    try:
        text = line.decode("utf-8")
        return next(csv.reader([text], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None


def good_rows(data: bytes, n_fields: int) -> dict[int, list[str]]:
    """Lines that split into exactly ``n_fields`` fields, by line number."""
    out = {}
    for number, line in data_lines(data).items():
        fields = strict_fields(line)
        if fields is not None and len(fields) == n_fields:
            out[number] = fields
    return out


def real_street(shared: Path, month: str) -> bytes:
    """The bytes of a real Lancashire street file (as downloaded, gunzipped)."""
    path = shared / f"police_uk/lancashire/street/{month}-lancashire-street.csv.gz"
    return gzip.decompress(path.read_bytes())
