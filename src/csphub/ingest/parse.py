"""Parse a police.uk CSV into string columns with exact row numbers.

A line is a row: lines end at LF, CRLF or a lone CR (``bytes.splitlines``), and a field
may not hold a line break (police.uk and partner files never need one). So one broken
line costs that line alone, quarantined with its raw text, and parsing goes on at the next.

Two parsers give the same result. The fast one (pyarrow) takes files that are perfectly
regular: every line a row with the right number of fields, no blank line, no line break
inside a value, no field over the limit. Anything else goes to the
careful one, which reads line by line with the csv module in strict mode and reports each
bad line with its reason.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from csphub.ingest.kinds import Kind, describe_header_mismatch, detect_kind
from csphub.ingest.limits import Limits, default_limits
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
        "collision_index",
        "reference",
        "time",
        "incident_id",
        "location_text",
        "attendance_date",
        "attendance_time",
        "incident_date",
        "incident_time",
        "postcode",
    }
)
# Below this size the line-by-line parser is the faster one (pyarrow's reader has a fixed
# cost of about a millisecond): what makes archives of many small members quick.
SMALL_FILE_BYTES = 32 * 1024
_FIRST_LINE = re.compile(rb"[^\r\n]*")
_SURROGATE = re.compile("[\udc80-\udcff]")
_RECORD_CHARS = 2000  # raw text kept in the quarantine of an over-long line


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


def read_header(data: bytes, limits: Limits | None = None) -> list[str]:
    """The first row's fields (BOM and line end removed), or :class:`FileProblem`."""
    limit = (limits or default_limits()).max_header_bytes
    if data.startswith(BOM):
        data = data[len(BOM) :]
    first = _FIRST_LINE.match(data, 0, limit + 1)
    line = first.group() if first else b""
    if len(line) > limit:
        raise FileProblem(
            f"the first line is longer than {limit:,} bytes (max_header_bytes): "
            "not a police.uk or partner CSV header"
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise FileProblem("the header row is not UTF-8 text") from None
    if not text.strip():
        raise FileProblem("the file is empty" if not data.strip() else "the first line is blank")
    try:
        return next(csv.reader([text], strict=True))
    except csv.Error as exc:
        raise FileProblem(f"the header row cannot be split into fields: {exc}") from None


def parse(data: bytes, limits: Limits | None = None, kind: Kind | None = None) -> Parsed:
    """Parse a whole file; raises :class:`FileProblem` if it is not a police.uk CSV.

    ``kind`` is given for partner formats whose header varies (it is then matched by the
    caller, see :mod:`csphub.ingest.partner.layout`); else it is detected from the header.
    """
    limits = limits or default_limits()
    if kind is None:
        header = read_header(data, limits)
        kind = detect_kind(header)
        if kind is None:
            raise FileProblem(describe_header_mismatch(header))
    if len(data) < SMALL_FILE_BYTES:
        return _parse_careful(data, kind, limits)
    fast = _parse_fast(data, kind, limits)
    return fast if fast is not None else _parse_careful(data, kind, limits)


def _has_blank_rows(table: pa.Table) -> bool:
    """Whether a row has every value empty (how pyarrow reads a blank line when it keeps
    them). A column with no empty value at all settles it at once."""
    for col in table.columns:
        if not any(pc.any(pc.equal(_distinct(chunk), "")).as_py() for chunk in col.chunks):
            return False
    rows = None
    for col in table.columns:
        empty = pc.equal(col.cast(pa.string()), "")
        rows = empty if rows is None else pc.and_(rows, empty)
    return rows is not None and bool(pc.any(rows).as_py())


def _distinct(chunk: pa.Array) -> pa.Array:
    """A dictionary chunk's values, else the chunk itself."""
    return chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk


def _parse_fast(data: bytes, kind: Kind, limits: Limits | None = None) -> Parsed | None:
    """pyarrow's reader, for a file whose every line is a well-formed row; else None.

    No invalid-row handler: any irregular row makes pyarrow raise, and the careful parser
    takes the file (a Python callback would print "Exception ignored" on bad UTF-8).
    """
    limits = limits or default_limits()
    types = {f: (pa.string() if f in _PLAIN_FIELDS else _DICT) for f in kind.fields}
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            # one thread per file: files are parsed in parallel, which costs less CPU
            read_options=pacsv.ReadOptions(
                column_names=list(kind.fields), skip_rows=1, use_threads=False
            ),
            # blank lines are kept (as empty rows) so they are seen, not skipped silently
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if _has_blank_rows(table) or not _one_row_per_line(table, limits.max_field_chars, b'"' in data):
        return None
    table = table.combine_chunks()
    rows = pa.array(range(2, table.num_rows + 2), pa.int32())
    return Parsed(kind, table, rows, [], fast=True)


def _one_row_per_line(table: pa.Table, max_chars: int, quoted: bool) -> bool:
    """Whether every line was one row: no value over the field limit and, when the file
    has quotes, none holding a line break (pyarrow joins quoted lines, and an unbalanced
    quote swallows the lines after it). Dictionary columns: distinct values only."""
    for col in table.columns:
        for chunk in col.chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            if not len(values):
                continue
            if (pc.max(pc.binary_length(values)).as_py() or 0) > max_chars:
                return False
            if quoted and any(
                pc.any(pc.match_substring(values, end)).as_py() for end in ("\n", "\r")
            ):
                return False
    return True


def _parse_careful(data: bytes, kind: Kind, limits: Limits | None = None) -> Parsed:
    """Line by line: every line is a row, loaded or quarantined with its reason."""
    limits = limits or default_limits()
    if data.startswith(BOM):
        data = data[len(BOM) :]
    lines = data.splitlines()
    n = len(kind.fields)
    columns: list[list[str]] = [[] for _ in range(n)]
    rows: list[int] = []
    problems: list[Problem] = []
    for index in range(1, len(lines)):
        raw = lines[index]
        if not raw:
            continue  # a blank line holds no data
        line = index + 1
        values, problem = _split_line(raw, line, kind, limits)
        if problem is not None:
            problems.append(problem)
            continue
        rows.append(line)
        for col, value in zip(columns, values, strict=True):
            col.append(value)
    del lines
    table = pa.table(
        {
            f: (pa.array(c, pa.string()) if f in _PLAIN_FIELDS else pa.array(c, _DICT))
            for f, c in zip(kind.fields, columns, strict=True)
        }
    )
    return Parsed(kind, table, pa.array(rows, pa.int32()), problems, fast=False)


def _split_line(
    raw: bytes, line: int, kind: Kind, limits: Limits
) -> tuple[list[str], Problem | None]:
    """The fields of one line, or the problem that makes it unusable."""
    if len(raw) > limits.max_line_bytes:
        text = raw[:_RECORD_CHARS].decode("utf-8", errors="replace")
        return [], Problem(
            line,
            ROW,
            None,
            f"the line is {len(raw):,} bytes, over the limit of {limits.max_line_bytes:,} "
            "(max_line_bytes)",
            record_json(("raw line (start)",), [text]),
        )
    try:
        text, bad_utf8 = raw.decode("utf-8"), False
    except UnicodeDecodeError:
        text, bad_utf8 = raw.decode("utf-8", errors="surrogateescape"), True
    if '"' in text:
        try:
            values = next(csv.reader([text], strict=True))
        except csv.Error as exc:
            return [], Problem(
                line,
                ROW,
                None,
                f"cannot split the line into fields: {exc}",
                record_json(("raw line",), [_printable(text)]),
            )
    else:
        values = text.split(",")
    return values, _row_problem(values, kind, line, limits, bad_utf8)


def _row_problem(
    values: list[str], kind: Kind, line: int, limits: Limits, bad_utf8: bool
) -> Problem | None:
    n = len(kind.fields)
    if len(values) != n:
        return Problem(
            line,
            ROW,
            None,
            f"expected {n} fields, found {len(values)}",
            record_json(kind.columns, [_printable(v) for v in values]),
        )
    if not bad_utf8 and max(map(len, values)) <= limits.max_field_chars:
        return None
    for column, value in zip(kind.columns, values, strict=True):
        reason = None
        if len(value) > limits.max_field_chars:
            reason = (
                f"the field is {len(value):,} characters, over the limit of "
                f"{limits.max_field_chars:,} (max_field_chars)"
            )
        elif _has_surrogates(value):
            reason = "not valid UTF-8 text"
        if reason is not None:
            shown = [_printable(v)[: limits.max_field_chars] for v in values]
            return Problem(
                line,
                column,
                shown[kind.columns.index(column)],
                reason,
                record_json(kind.columns, shown),
            )
    return None


def _has_surrogates(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def _printable(value: str) -> str:
    return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
