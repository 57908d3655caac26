"""Issue 12, point 7: property-based fuzzing of ingest with hypothesis.

Real-shaped police.uk and partner files are mutated (byte flips, quotes, line ends, BOMs
at the start and inside rows, NUL bytes, wrong field counts, other encodings, long
fields, other months, odd and other force names, duplicated, blank and deleted lines,
truncation, damaged headers and compression). For every case:

- the ingest never raises, and a file it cannot read is one line naming it;
- loaded + quarantined = the rows an independent parser sees (``csv_oracle``: every
  non-blank line after the header, split by the csv module in strict mode);
- every untouched row is loaded, at its line, with its values; none is stored twice.

CI runs ``CSPHUB_FUZZ_EXAMPLES`` cases per property (default 100; under a minute on two cores).
For a longer run: ``CSPHUB_FUZZ_EXAMPLES=2000 pytest -n 0 tests/ingest/test_fuzz_ingest.py``;
``CSPHUB_FUZZ_STATS=FILE`` appends one JSON line per case (cases, quarantined, lost).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from conftest import SHARED_DATA
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import Source
from csphub.store import open_store
from csv_oracle import data_lines, good_rows, strict_fields
from policeuk_files import STREET_HEADER, month_rows

EXAMPLES = int(os.environ.get("CSPHUB_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EVENTS_HEADER = (
    "event_id,agency,crime_type,offence,occurred_date,occurred_time,easting,northing,"
    "longitude,latitude,lsoa_code,address_id,victim_id,offender_id"
)
ODD_NAMES = ["UPPER", "lower", "trailing space", "control", "other force", "empty"]
ENDINGS = {"crlf": b"\r\n", "lf": b"\n", "cr": b"\r"}


@cache
def street_base() -> tuple[bytes, list[bytes]]:
    """Header and 300 rows: the real 2022-10 Lancashire file when present, else made."""
    real = SHARED_DATA / "police_uk/lancashire/street/2022-10-lancashire-street.csv.gz"
    if real.exists():
        lines = gzip.decompress(real.read_bytes()).split(b"\r\n")
        return lines[0], lines[1:301]
    return STREET_HEADER.encode(), [r.encode() for r in month_rows("2022-10", 300)]


@cache
def events_base() -> tuple[bytes, list[bytes]]:
    """A partner extract of 200 rows; ids far apart so no flip makes a duplicate."""
    rows = []
    for i in range(200):
        ident = hashlib.sha256(str(i).encode()).hexdigest()[:16]
        east, north = 330_000 + i * 7, 436_000 + i * 5
        rows.append(
            f"{ident},Brackwater Homes,Anti-social behaviour,Noise,2022-10-{1 + i % 28:02d},"
            f"{i % 24:02d}:15,{east},{north},,,E01012662,A{i % 40},V{i % 50},P{i % 30}".encode()
        )
    return EVENTS_HEADER.encode(), rows


@dataclass
class Line:
    text: bytes
    origin: int | None  # index in the base file; None for a line the fuzzer added
    touched: bool = False


@dataclass
class Case:
    kind: str  # street | events
    header: bytes
    lines: list[Line]
    ending: bytes = b"\r\n"
    bom: bool = False
    truncate_at: float | None = None
    log: list[str] = field(default_factory=list)


def _force_variant(name: str, how: str) -> bytes:
    return {
        "UPPER": name.upper(),
        "lower": name.lower(),
        "trailing space": name + " ",
        "control": name.replace(" ", "\x07", 1),
        "other force": "Otherton Police",
        "empty": "",
    }[how].encode()


@st.composite
def mutation(draw, case: Case) -> None:
    """Apply one mutation to ``case`` and mark the lines it touches."""
    what = draw(
        st.sampled_from(
            [
                "flip",
                "quote",
                "ending",
                "bom",
                "latin1",
                "long",
                "month",
                "force",
                "duplicate",
                "blank",
                "delete",
                "truncate",
                "nul",
                "fields",
            ]
        )
    )
    case.log.append(what)  # extended below with where
    if what == "ending":
        case.ending = ENDINGS[draw(st.sampled_from(sorted(ENDINGS)))]
        return
    if what == "bom":
        case.bom = True
        return
    if what == "truncate":
        case.truncate_at = draw(st.floats(0.05, 0.999))
        return
    if not case.lines:
        return
    i = draw(st.integers(0, len(case.lines) - 1))
    line = case.lines[i]
    pos = draw(st.integers(0, len(line.text)))
    if what == "blank":
        case.lines.insert(i, Line(b"", None))
        return
    if what == "delete":
        del case.lines[i]
        return
    if what == "duplicate":
        case.lines.insert(i + 1, Line(line.text, None, touched=True))
        return
    text = _changed_text(draw, what, line.text, pos, case.kind)
    case.lines[i] = Line(text, line.origin, touched=line.touched or text != line.text)


def _changed_text(draw, what: str, text: bytes, pos: int, kind: str) -> bytes:
    """One line's bytes after a mutation that stays within the line."""
    fields = text.split(b",")
    if what == "flip":
        byte = draw(st.integers(0, 255))
        return text[:pos] + bytes([byte]) + text[pos + 1 :]
    elif what == "quote":
        return text[:pos] + b'"' + text[pos:]
    elif what == "latin1":
        return text[:pos] + "é".encode("latin-1") + text[pos:]
    elif what == "nul":
        return text[:pos] + b"\x00" + text[pos:]
    elif what == "bom_mid":
        return text[:pos] + b"\xef\xbb\xbf" + text[pos:]
    elif what == "long":
        k = draw(st.integers(0, len(fields) - 1))
        fields[k] = fields[k] + b"x" * draw(st.sampled_from([1000, 140_000]))
        return b",".join(fields)
    elif what == "fields":
        return text + b"," if draw(st.booleans()) else b",".join(fields[:-1])
    elif len(fields) < 5:  # a blank or cut line the fuzzer made: nothing to rename
        return text
    elif what == "month":
        k = 1 if kind == "street" else 4
        other = draw(st.sampled_from([b"2022-09", b"2021-10", b"2022-13", b"22-10"]))
        fields[k] = other + fields[k][7:] if kind == "events" else other
        return b",".join(fields)
    else:  # force (street: Reported by, Falls within; events: agency)
        how = draw(st.sampled_from(ODD_NAMES))
        k = 2 if kind == "street" else 1
        fields[k] = _force_variant(fields[k].decode(), how)
        return b",".join(fields)


def render(case: Case) -> tuple[bytes, dict[int, int]]:
    """The file's bytes, and the line number of each untouched base row."""
    out = bytearray(b"\xef\xbb\xbf" if case.bom else b"")
    out += case.header + case.ending
    starts: list[tuple[int, Line]] = []
    for line in case.lines:
        starts.append((len(out), line))
        out += line.text + case.ending
    data = bytes(out)
    cut = len(data)
    if case.truncate_at is not None:
        cut = max(len(case.header) + 3, int(len(data) * case.truncate_at))
        data = data[:cut]
    untouched = {}
    for offset, line in starts:
        end = offset + len(line.text)
        if line.touched or line.origin is None or end + len(case.ending) > cut:
            continue
        untouched[len(data[:offset].splitlines()) + 1] = line.origin
    return data, untouched


@dataclass
class Outcome:
    cases: int = 0
    quarantined: int = 0
    lost: int = 0


TOTALS = Outcome()


def check_case(
    kind: str,
    name: str,
    data: bytes,
    untouched: dict[int, int],
    base: list[bytes],
    *,
    may_refuse: bool = False,
) -> None:
    """Ingest ``data`` as file ``name`` into a fresh store and check the invariant.

    Only a damaged header may make the whole file refused (one line naming it): then no
    row is stored, and none is lost silently."""
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        with open_store(Path(tmp) / "store") as store:
            summary = ingest_sources(store, [Source(path)], workers=1)
            (result,) = summary.results
            view = "street" if kind == "street" else "events"
            if result.status != "loaded":
                assert may_refuse, result.error
                assert result.status == "failed" and result.error.startswith(name + ": ")
                assert "\n" not in result.error
                assert store.con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
                _record(0, 0, [result.error])
                return
            seen = data_lines(data)
            assert result.rows_loaded + result.rows_quarantined == len(seen)
            column = "location" if kind == "street" else "event_id"
            stored = dict(store.con.execute(f"SELECT row_number, {column} FROM {view}").fetchall())
            count = store.con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            assert count == len(stored) == result.rows_loaded  # nothing stored twice
            k = 6 if kind == "street" else 0
            missing = [
                n
                for n, origin in untouched.items()
                if n not in stored or stored[n] != strict_fields(base[origin])[k]
            ]
            _record(result.rows_quarantined, len(missing), [])
            assert missing == [], f"untouched rows lost at lines {missing[:5]}"


def _record(quarantined: int, lost: int, errors: list[str]) -> None:
    TOTALS.cases += 1
    TOTALS.quarantined += quarantined
    TOTALS.lost += lost
    target = os.environ.get("CSPHUB_FUZZ_STATS")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"quarantined": quarantined, "lost": lost, "errors": errors}))
            fh.write("\n")


def _name(kind: str) -> str:
    if kind == "events":
        return "housing-extract.csv"
    real = b"Lancashire" in street_base()[1][0]
    return f"2022-10-{'lancashire' if real else 'testshire'}-street.csv"


def _case(kind: str) -> Case:
    header, rows = street_base() if kind == "street" else events_base()
    return Case(kind, header, [Line(r, i) for i, r in enumerate(rows)])


@FUZZ
@given(st.data(), st.sampled_from(["street", "events"]), st.integers(1, 4))
def test_mutated_files_lose_no_untouched_row(data, kind, n):
    case = _case(kind)
    for _ in range(n):
        data.draw(mutation(case))
    raw, untouched = render(case)
    note(f"mutations: {case.log}")
    base = [line.text for line in _case(kind).lines]
    check_case(kind, _name(kind), raw, untouched, base)


@FUZZ
@given(st.sampled_from(["street", "events"]), st.integers(0, 400), st.integers(0, 255))
def test_a_damaged_header_is_refused_in_one_line_or_read_right(kind, pos, byte):
    case = _case(kind)
    header = bytearray(case.header)
    header[pos % len(header)] = byte
    case.header = bytes(header)
    raw, untouched = render(case)
    if b"\n" in case.header or b"\r" in case.header:
        untouched = {}  # the header became two lines: every row is behind a bad header
    base = [line.text for line in _case(kind).lines]
    check_case(kind, _name(kind), raw, untouched, base, may_refuse=True)


@FUZZ
@given(st.sampled_from(["truncate", "flip"]), st.floats(0.0, 1.0), st.integers(1, 255))
def test_damaged_compression_is_refused_or_read_whole(how, where, xor):
    header, rows = street_base()
    plain = header + b"\r\n" + b"\r\n".join(rows) + b"\r\n"
    packed = bytearray(gzip.compress(plain, mtime=0))
    at = int(where * (len(packed) - 1))
    if how == "truncate":
        packed = packed[:at]
    else:
        packed[at] ^= xor
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / (_name("street") + ".gz")  # the force the rows name
        path.write_bytes(bytes(packed))
        with open_store(Path(tmp) / "store") as store:
            (result,) = ingest_sources(store, [Source(path)], workers=1).results
            if result.status == "loaded":  # a harmless byte (e.g. the header's OS field)
                assert result.rows_loaded == len(good_rows(plain, 12)) == len(rows)
            else:
                assert result.error.startswith(path.name + ": ")  # damaged, or empty
                assert "\n" not in result.error
                assert store.con.execute("SELECT count(*) FROM street").fetchone() == (0,)
            _record(0, 0, [result.error] if result.error else [])


@pytest.fixture(scope="module", autouse=True)
def _report_totals():
    yield
    print(
        f"\nfuzz: {TOTALS.cases} cases, {TOTALS.quarantined} rows quarantined, "
        f"{TOTALS.lost} untouched rows lost"
    )
