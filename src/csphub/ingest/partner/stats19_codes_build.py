"""Derive ``csphub/data/partner/stats19_codes.csv`` from DfT's STATS19 code list.

The product never reads ``../shared``: this script copies the code lists csphub decodes
(the ``codes`` column of ``stats19_layout.csv``) into a packaged data file that names its
source, and flags the codes that mean "unknown" so ingest keeps them as unknown instead of
quarantining them. Run ``python -m csphub.ingest.partner.stats19_codes_build [CODE_LIST]``;
``--check`` exits 1 if the packaged file differs from what it would write.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

from csphub.datafiles import read_data_csv

DEFAULT_SOURCE = Path("../shared/data/road_safety/stats19_schema_code_list.csv")
TARGET = Path(__file__).resolve().parents[2] / "data" / "partner" / "stats19_codes.csv"
# A label that says the value is not known (not a known value that mentions "unknown",
# such as "Darkness - lighting unknown" or "Motorcycle - unknown cc").
_UNKNOWN = re.compile(r"^(unknown|not known|data missing)", re.IGNORECASE)
HEADER = """\
# name: STATS19 code lists decoded by csphub ingest stats19 (a subset of the DfT code list)
# source: Department for Transport, Road Safety Open Dataset Data Guide 2024 (sheet
# source: 2024_code_list), as the CSV data-raw/stats19_schema.csv in ropensci/stats19 @
# source: a0f432981833eef3c140c4bd8b5ebe7c52778cff. Data: OGL v3 (Department for Transport).
# applies from: the 2024 data guide (releases from 2024; codes also valid for 2023 data)
# derived: python -m csphub.ingest.partner.stats19_codes_build (labels unchanged; unknown=1
# derived: marks a code whose label says the value is missing or not known)
"""


def wanted_variables() -> list[str]:
    """The code list variables the layout decodes, in layout order."""
    rows = read_data_csv("partner/stats19_layout.csv")
    return list(dict.fromkeys(r["codes"] for r in rows if r["codes"]))


def build(source: Path) -> str:
    """The text of the packaged code list, built from DfT's CSV code list."""
    wanted = wanted_variables()
    with source.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["variable"] in wanted and r["code"] != "NA"]
    rows.sort(key=lambda r: (wanted.index(r["variable"]), _code_order(r["code"])))
    out = io.StringIO()
    out.write(HEADER)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["variable", "code", "label", "unknown"])
    for r in rows:
        label = " ".join(r["label"].split())
        w.writerow([r["variable"], r["code"], label, int(bool(_UNKNOWN.match(label)))])
    return out.getvalue()


def _code_order(code: str) -> tuple[int, float | str]:
    try:
        return (0, float(code))
    except ValueError:
        return (1, code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = build(args.source)
    if args.check:
        same = TARGET.read_text(encoding="utf-8") == text
        print("stats19_codes.csv is up to date" if same else "stats19_codes.csv differs")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
