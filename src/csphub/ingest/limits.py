"""The limits of an ingest, read from ``csphub/data/ingest_limits.csv`` (each with its why).

A limit turns a file that would exhaust memory or silently replace good data into a clear
message naming the file and the setting, so the other files of the run still load.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cache

from csphub.datafiles import read_data_csv


@dataclass(frozen=True)
class Limits:
    """Every ingest limit; :func:`default_limits` gives the packaged values."""

    max_header_bytes: int
    max_line_bytes: int
    max_field_chars: int
    max_archive_members: int
    max_file_bytes: int
    max_archive_bytes: int
    max_compression_ratio: float
    min_replacement_share: float
    lock_timeout_seconds: float

    def but(self, **changes: float) -> Limits:
        """A copy with some limits changed (tests, benchmarks, command-line options)."""
        return replace(self, **changes)


@cache
def default_limits() -> Limits:
    """The limits of ``ingest_limits.csv``; a missing or unknown setting is a packaging bug."""
    values = {r["setting"]: r["value"] for r in read_data_csv("ingest_limits.csv")}
    kwargs: dict[str, float] = {}
    for f in fields(Limits):
        text = values.pop(f.name)
        kwargs[f.name] = int(text) if f.type == "int" else float(text)
    if values:
        raise ValueError(f"ingest_limits.csv: unknown settings {sorted(values)}")
    return Limits(**kwargs)  # type: ignore[arg-type]
