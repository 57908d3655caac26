"""Facts of the field kept as data files in ``csphub/data`` (each names its source).

Files are CSV with ``#`` comment lines at the top for source, vintage and licence.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files


def data_text(name: str) -> str:
    """The text of a packaged data file, e.g. ``crime_types.csv``."""
    return (files("csphub") / "data" / name).read_text(encoding="utf-8")


def comment_lines(text: str) -> list[str]:
    """The leading ``#`` lines (source, vintage, licence), without the ``#``."""
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        out.append(line[1:].strip())
    return out


def parse_commented_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV whose leading lines may be ``#`` comments."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


@cache
def read_data_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a packaged data file (cached: these files never change at run time)."""
    return tuple(parse_commented_csv(data_text(name)))
