"""Reading source files: bytes and checksum, gzip, and CSV as text columns."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


class GeographyFileError(Exception):
    """A file that cannot be loaded at all; the message is one line naming the file."""


@dataclass(frozen=True)
class SourceFile:
    """A file read into memory: ``content`` is decompressed, ``sha256`` is of the bytes on disk."""

    path: Path
    name: str
    size: int
    sha256: str
    content: bytes


def read_source(path: Path) -> SourceFile:
    """Read a file (gzip or plain) and its checksum, or raise :class:`GeographyFileError`."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GeographyFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise GeographyFileError(f"{name}: is a folder; expected a file") from None
    except OSError as exc:
        raise GeographyFileError(f"{name}: cannot be read ({exc.strerror})") from None
    content = raw
    if raw[:2] == _GZIP_MAGIC:
        try:
            content = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise GeographyFileError(f"{name}: not a readable gzip file ({exc})") from None
    return SourceFile(
        path=path,
        name=name,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        content=content,
    )


def peek_header(path: Path) -> list[str] | None:
    """The CSV header of a file without reading all of it, or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            start = handle.read(2)
        opener = gzip.open if start == _GZIP_MAGIC else open
        with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as text:
            return next(csv.reader([text.readline()]), None)
    except (OSError, EOFError, zlib.error, csv.Error):
        return None


@dataclass(frozen=True)
class CsvRows:
    """A CSV file with every column as text (trimmed; empty cells are null).

    ``names`` are unique column names (a repeated header gets ``_2``, ``_3``);
    ``row_numbers`` holds the record number of each row of ``table`` (header = 1);
    ``malformed`` lists rows skipped for having the wrong number of fields.
    """

    header: list[str]
    names: list[str]
    table: pa.Table
    row_numbers: np.ndarray
    malformed: list[tuple[int | None, str, str]]

    def records(self, indices: np.ndarray) -> list[str]:
        """The given rows as JSON objects (column -> text), for the quarantine table."""
        rows = self.table.take(pa.array(indices, type=pa.int64())).to_pylist()
        return [
            json.dumps(dict(zip(self.names, row.values(), strict=True)), ensure_ascii=False)
            for row in rows
        ]


def _decode_header(source: SourceFile, body: bytes) -> tuple[list[str], str]:
    if not body.strip():
        raise GeographyFileError(f"{source.name}: is empty; expected a CSV file with a header row")
    if b"\x00" in body[:4096]:
        raise GeographyFileError(f"{source.name}: is not a text file; expected a CSV file")
    end = body.find(b"\n")
    first = body if end < 0 else body[:end]
    try:
        body.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    text = first.decode(encoding, errors="replace").rstrip("\r")
    header = next(csv.reader([text]), [])
    return [h.strip() for h in header], encoding


def csv_header(source: SourceFile) -> list[str]:
    """The header row of a CSV file, without parsing the rest."""
    body = source.content[3:] if source.content.startswith(_BOM) else source.content
    return _decode_header(source, body)[0]


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


def read_csv_text(source: SourceFile) -> CsvRows:
    """Parse a CSV file (UTF-8, BOM or not, CRLF or LF; cp1252 as a fallback) as text."""
    body = source.content[3:] if source.content.startswith(_BOM) else source.content
    header, encoding = _decode_header(source, body)
    names = _unique(header)
    malformed: list[tuple[int | None, str, str]] = []

    def skip(row: pacsv.InvalidRow) -> str:
        reason = f"has {row.actual_columns} fields; the header has {row.expected_columns}"
        malformed.append((row.number, row.text[:500], reason))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, encoding=encoding
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GeographyFileError(f"{source.name}: cannot be read as CSV ({detail})") from None
    return CsvRows(
        header=header,
        names=names,
        table=table,
        row_numbers=_row_numbers(table.num_rows, malformed),
        malformed=malformed,
    )


def _row_numbers(count: int, malformed: list[tuple[int | None, str, str]]) -> np.ndarray:
    numbers = np.arange(count, dtype=np.int64) + 2
    for skipped in sorted(n for n, _, _ in malformed if n is not None):
        numbers[numbers >= skipped] += 1
    return numbers
