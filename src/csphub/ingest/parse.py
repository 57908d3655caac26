"""Parse a police.uk CSV into string columns with exact row numbers.

Two parsers give the same result. The fast one (pyarrow, multi-threaded) takes files that
are perfectly regular: every line a row with the right number of fields. Anything else
(wrong field counts, blank lines, stray quotes, bad UTF-8, CR-only line ends) goes to the
careful one (the csv module), which knows the line of every row and reports each bad row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pacsv

from csphub.ingest.kinds import Kind, describe_header_mismatch, detect_kind
from csphub.ingest.problems import ROW, FileProblem, Problem, record_json

BOM = b"\xef\xbb\xbf"
_DICT = pa.dictionary(pa.int32(), pa.string())
# Columns with few distinct values per file are read dictionary-encoded: validation then
# looks at each distinct value once, and Parquet writes them without re-encoding. Columns
# with many distinct values are cheaper as plain strings.
_PLAIN_FIELDS = frozenset(
    {
        "crime_id",
        "event_id",
        "longitude",
        "latitude",
        "location",
        "easting",
        "northing",
        "date",
        "occurred_date",
        "occurred_time",
        "address_id",
        "victim_id",
        "offender_id",
    }
)


@dataclass
class Parsed:
    """String columns (named by field) of the well-formed rows, their line numbers, and
    the rows that could not even be split into fields."""

    kind: Kind
    table: pa.Table
    row_numbers: pa.Array
    problems: list[Problem]
    fast: bool

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.problems)


def read_header(data: bytes) -> list[str]:
    """The first row's fields (BOM and line end removed)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise FileProblem("the header row is not UTF-8 text") from None
    if not text.strip():
        raise FileProblem("the file is empty" if not data.strip() else "the first line is blank")
    return next(csv.reader([text]))


def parse(data: bytes) -> Parsed:
    """Parse a whole file; raises :class:`FileProblem` if it is not a police.uk CSV."""
    header = read_header(data)
    kind = detect_kind(header)
    if kind is None:
        raise FileProblem(describe_header_mismatch(header))
    fast = _parse_fast(data, kind)
    return fast if fast is not None else _parse_careful(data, kind)


def _line_count(data: bytes) -> int:
    n = data.count(b"\n")
    return n if data.endswith(b"\n") else n + 1


def _parse_fast(data: bytes, kind: Kind) -> Parsed | None:
    invalid = 0

    def on_invalid(_row: object) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    types = {f: (pa.string() if f in _PLAIN_FIELDS else _DICT) for f in kind.fields}
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            # one thread per file: files are parsed in parallel, which costs less CPU
            read_options=pacsv.ReadOptions(
                column_names=list(kind.fields), skip_rows=1, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if invalid or _line_count(data) != table.num_rows + 1:
        return None
    table = table.combine_chunks()
    rows = pa.array(range(2, table.num_rows + 2), pa.int32())
    return Parsed(kind, table, rows, [], fast=True)


def _parse_careful(data: bytes, kind: Kind) -> Parsed:
    text = data.decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)  # header, already checked
    n = len(kind.fields)
    columns: list[list[str]] = [[] for _ in range(n)]
    rows: list[int] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            line = start
            start = reader.line_num + 1
            if not values:
                continue  # a blank line holds no data
            problem = _row_problem(values, n, kind, line)
            if problem is not None:
                problems.append(problem)
                continue
            rows.append(line)
            for col, value in zip(columns, values, strict=True):
                col.append(value)
    except csv.Error as exc:
        problems.append(Problem(start, ROW, None, f"cannot split the rest of the file: {exc}"))
    table = pa.table(
        {f: pa.array(c, pa.string()) for f, c in zip(kind.fields, columns, strict=True)}
    )
    table = pa.table(
        {f: (table[f] if f in _PLAIN_FIELDS else table[f].dictionary_encode()) for f in kind.fields}
    ).combine_chunks()
    return Parsed(kind, table, pa.array(rows, pa.int32()), problems, fast=False)


def _row_problem(values: list[str], n: int, kind: Kind, line: int) -> Problem | None:
    if len(values) != n:
        return Problem(
            line,
            ROW,
            None,
            f"expected {n} fields, found {len(values)}",
            record_json(kind.columns, [_printable(v) for v in values]),
        )
    for column, value in zip(kind.columns, values, strict=True):
        if _has_surrogates(value):
            return Problem(
                line,
                column,
                _printable(value),
                "not valid UTF-8 text",
                record_json(kind.columns, [_printable(v) for v in values]),
            )
    return None


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _printable(value: str) -> str:
    return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
