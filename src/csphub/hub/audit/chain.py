"""The audit trail's hash chain: each row's hash covers its fields and the previous row's
hash, so a changed, deleted, inserted or moved row shows as a break.

The canonical form of a row (what :func:`row_hash` hashes) is a contract: the hashes of
every stored row depend on it, so it never changes silently. A row says which form it was
hashed in (``form``); a new form adds keys, and rows keep the form they were written in.

- a JSON object with exactly the keys of its form (:data:`FORMS`):
  - form 1 (:data:`HASHED`): ``seq``, ``prev_hash``, ``at``, ``actor_id``, ``actor_name``,
    ``system_run``, ``action``, ``object_type``, ``object_id``, ``object_repr``,
    ``before``, ``after``, ``justification``, ``address``, ``path``;
  - form 2 (:data:`HASHED_2`): those, and ``form``, ``acting_agency``, ``request_id``,
    ``subjects`` (a sorted list of ``"type:id"`` strings), ``recipient`` and
    ``legal_basis``;

  the row's ``id`` is a storage key and ``row_hash`` is the result, so neither is hashed;
- ``at`` in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00`` (always six fraction digits);
- ``address`` in its exploded form (IPv4 ``192.0.2.1``; IPv6 eight groups of four
  lower-case hex digits), or null;
- ``before`` and ``after`` as stored JSON, with any float that is a whole number written
  as an integer (PostgreSQL's ``jsonb`` keeps ``1e+20`` as ``100000000000000000000``);
- serialised with ``json.dumps(..., sort_keys=True, separators=(",", ":"),
  ensure_ascii=False)`` and encoded as UTF-8; the hash is the SHA-256 hex digest;
- the first row (``seq`` 1) has ``prev_hash`` :data:`GENESIS` (64 zeros).

Rows are numbered by ``seq`` (1, 2, 3, ... with no gaps), given under a lock so that two
writers can never take the same predecessor: PostgreSQL takes a transaction-scoped advisory
lock; SQLite opens every transaction with ``BEGIN IMMEDIATE`` (the hub's settings), which
takes the database's write lock before the last row is read.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.utils import timezone

GENESIS = "0" * 64
HASHED = (
    "seq",
    "prev_hash",
    "at",
    "actor_id",
    "actor_name",
    "system_run",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "justification",
    "address",
    "path",
)
#: Form 2 adds who acted for which agency, the request, the data subjects, and for a
#: disclosure its recipient and legal basis (DPA 2018 s.62).
HASHED_2 = (
    *HASHED,
    "form",
    "acting_agency",
    "request_id",
    "subjects",
    "recipient",
    "legal_basis",
)
FORMS = {1: HASHED, 2: HASHED_2}
#: The form new rows are written in.
FORM = 2
#: Every field any form hashes (what a walk of the trail reads).
ALL_HASHED = HASHED_2
#: The PostgreSQL advisory lock that serialises writers of the trail (any fixed bigint;
#: this one is the first eight bytes of sha256("csphub audit chain") as a signed integer).
LOCK_KEY = int.from_bytes(hashlib.sha256(b"csphub audit chain").digest()[:8], "big", signed=True)
#: The fields normalised the way the database stores them before a new row is hashed.
_TEXT_FIELDS = (
    "actor_name",
    "system_run",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "justification",
    "path",
    "acting_agency",
    "request_id",
    "recipient",
    "legal_basis",
)


def _whole_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_floats_as_ints(v) for k, v in value.items()}
    return value


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=4096)  # a trail has few addresses, and parsing one is slow
def _address(value: str | None) -> str | None:
    return ipaddress.ip_address(value).exploded if value else None


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes hashed for ``row`` (a mapping with at least the keys of its form; a row
    without ``form`` is form 1)."""
    form = row.get("form") or 1
    if form not in FORMS:
        raise ValueError(f"unknown canonical form {form!r}")
    payload = {name: row[name] for name in FORMS[form]}
    payload["at"] = _at(row["at"])
    payload["address"] = _address(row["address"])
    payload["before"] = _whole_floats_as_ints(row["before"])
    payload["after"] = _whole_floats_as_ints(row["after"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def _as_stored_json(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples as lists, keys as strings)."""
    return None if value is None else json.loads(json.dumps(value))


def link(event: Any, using: str) -> None:
    """Give the unsaved ``event`` its place in the chain: ``at``, ``seq``, ``prev_hash``
    and ``row_hash``. Call inside the transaction that inserts it, just before the insert;
    the lock is held until that transaction ends."""
    connection = connections[using]
    table = event._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(f"SELECT seq, row_hash FROM {table} ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    if event.at is None:
        event.at = timezone.now()
    for name in _TEXT_FIELDS:
        setattr(event, name, event._meta.get_field(name).to_python(getattr(event, name)))
    event.address = event._meta.get_field("address").to_python(event.address) or None
    event.before = _as_stored_json(event.before)
    event.after = _as_stored_json(event.after)
    event.subjects = sorted(_as_stored_json(event.subjects or []))
    event.form = FORM
    event.seq, event.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event.row_hash = row_hash({name: getattr(event, name) for name in FORMS[FORM]})


@dataclass(frozen=True)
class Break:
    """One place where the trail is not what its hashes say."""

    row_id: int | None  # None: no such row (an anchor past the end)
    seq: int
    kind: str  # changed | gap | relinked | out-of-order | duplicate | anchor
    detail: str

    def __str__(self) -> str:
        where = f"row id {self.row_id} (seq {self.seq})" if self.row_id else f"seq {self.seq}"
        return f"{where}: {self.kind}: {self.detail}"


@dataclass
class Walk:
    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS


def _link_breaks(row: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Break]:
    """What is wrong between ``row`` and the row before it in ``seq`` order."""
    rid, seq = row["id"], row["seq"]
    expected_seq = previous["seq"] + 1 if previous else 1
    expected_prev = previous["row_hash"] if previous else GENESIS
    if previous and seq == previous["seq"]:
        return [Break(rid, seq, "duplicate", f"seq {seq} is also row id {previous['id']}")]
    if seq != expected_seq:
        gone = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}-{seq - 1}"
        return [Break(rid, seq, "gap", f"{gone} missing before it (deleted rows)")]
    out = []
    if row["prev_hash"] != expected_prev:
        what = f"row id {previous['id']}'s hash" if previous else "the start of the trail"
        why = "a row before it was rewritten with a new hash, or rows were reordered"
        out.append(Break(rid, seq, "relinked", f"its prev_hash does not match {what} ({why})"))
    if previous and rid < previous["id"]:
        before = f"row id {previous['id']} (seq {previous['seq']})"
        why = "one of them was deleted and written again, or moved"
        out.append(Break(rid, seq, "out-of-order", f"its id is below that of {before} ({why})"))
    return out


def verify(
    rows: Iterable[Mapping[str, Any]], walk: Walk, anchors: Mapping[int, str] | None = None
) -> Iterator[Break]:
    """The breaks in ``rows`` (every field of :data:`HASHED`, ``id`` and ``row_hash``; in
    ``seq`` order), counting rows and the head into ``walk``. ``anchors`` maps a seq to the
    row hash recorded for it elsewhere earlier."""
    anchors = dict(anchors or {})
    previous = None
    for row in rows:
        walk.rows += 1
        yield from _link_breaks(row, previous)
        if row_hash(row) != row["row_hash"]:
            yield Break(row["id"], row["seq"], "changed", "its fields do not match its hash")
        if (recorded := anchors.pop(row["seq"], None)) and recorded != row["row_hash"]:
            yield Break(row["id"], row["seq"], "anchor", f"hash is not the recorded {recorded}")
        previous = row
        walk.head_seq, walk.head_hash = row["seq"], row["row_hash"]
    for seq in sorted(anchors):
        yield Break(None, seq, "anchor", "no row with this seq (rows deleted from the end?)")
