"""One canonical name per force or agency, whatever the spelling in a row.

A force name is compared by its key: control characters as spaces, runs of whitespace as
one space, ends trimmed, case folded. Each key has one name: the data.police.uk name of
``forces.csv`` when it is a known force, else the first spelling the store saw (its most
common spelling in that file). Rows carry the canonical name, and every other spelling
met is reported, so a stray capital or trailing space can never split a force-month.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pyarrow as pa

from csphub.ingest.kinds import force_names


def force_key(value: str) -> str:
    """The comparison key of a force or agency name ('' when nothing printable is left)."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(cleaned.split()).casefold()


def tidy(value: str) -> str:
    """The spelling with control characters and surplus whitespace removed (case kept)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())


class ForceNames:
    """The canonical name of each force key; shared by the threads of one ingest.

    Seeded with the known forces and the names the store already holds; :meth:`added`
    lists the new ones, for the catalog.
    """

    def __init__(self, held: Iterable[tuple[str, str]] = ()) -> None:
        self._names = {force_key(name): name for name in force_names().values()}
        self._names.update(dict(held))
        self._new: dict[str, str] = {}
        self._lock = threading.Lock()

    def canonical(self, key: str, spelling: str) -> str:
        """The name of ``key``; ``spelling`` becomes it if the key is new."""
        with self._lock:
            name = self._names.get(key)
            if name is None:
                name = self._names[key] = self._new[key] = tidy(spelling)
            return name

    def added(self) -> dict[str, str]:
        with self._lock:
            return dict(self._new)


def canonical_column(
    col: pa.Array, names: ForceNames, column: str
) -> tuple[pa.Array, np.ndarray, list[str]]:
    """The column with canonical names, a mask of rows with no name left, and notes.

    ``col`` is a dictionary column: each distinct spelling is looked at once.
    """
    if isinstance(col, pa.ChunkedArray):
        col = col.unify_dictionaries().combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if not pa.types.is_dictionary(col.type):
        col = col.dictionary_encode()
    spellings = col.dictionary.to_pylist()
    counts = np.bincount(col.indices.to_numpy(zero_copy_only=False), minlength=len(spellings))
    by_key: dict[str, Counter[str]] = {}
    for spelling, n in zip(spellings, counts, strict=True):
        if n:
            by_key.setdefault(force_key(spelling), Counter())[spelling] += int(n)
    chosen = {key: names.canonical(key, c.most_common(1)[0][0]) for key, c in by_key.items() if key}
    mapped = [chosen.get(force_key(s), "") for s in spellings]
    notes = [
        f"{column} spelled {s!r} in {int(n):,} row{'s' if n != 1 else ''}: read as {name!r}"
        for s, n, name in zip(spellings, counts, mapped, strict=True)
        if n and name and s != name
    ]
    # one dictionary entry per name, so grouping by the column can never split a force
    unique = list(dict.fromkeys(mapped))
    position = np.asarray([unique.index(m) for m in mapped], dtype=np.int32)
    indices = col.indices.to_numpy(zero_copy_only=False)
    if col.indices.null_count:
        indices = np.where(col.indices.is_valid().to_numpy(zero_copy_only=False), indices, 0)
    row_names = position[indices] if len(mapped) else indices.astype(np.int32)
    out = pa.DictionaryArray.from_arrays(
        pa.array(row_names, pa.int32()), pa.array(unique, pa.string())
    )
    empty = np.asarray([m == "" for m in mapped], dtype=bool)
    no_name = empty[indices] if len(mapped) else np.zeros(len(col), dtype=bool)
    return out, no_name, notes
