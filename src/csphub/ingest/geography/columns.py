"""Finding columns (or GeoJSON properties) by their ONS-style names.

Names are compared after :func:`normalise`, so ``LSOA11CD``, ``lsoa11_code`` and
``LSOA code (2011)`` are all recognised as the LSOA 2011 code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from csphub.ingest.geography.files import GeographyFileError

_CODE = r"_?(?:cd|code)"
_NAME = r"_?(?:nm|name)"
_YEAR = r"_?(?:\d{2})?"


def normalise(name: str) -> str:
    """Lower case, with each run of other characters as one ``_``.

    >>> normalise("LSOA code (2011)")
    'lsoa_code_2011'
    """
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass(frozen=True)
class ColumnRule:
    """What a column is called: a regular expression over normalised names."""

    label: str  # for messages, e.g. "LSOA 2011 code"
    examples: str  # e.g. "lsoa11_code or LSOA11CD"
    pattern: re.Pattern[str]

    def find(self, names: Iterable[str], file_name: str) -> str | None:
        """The one column matching this rule, None if there is none.

        Raises :class:`GeographyFileError` when several columns match.
        """
        found = [n for n in names if self.pattern.fullmatch(normalise(n))]
        if len(found) > 1:
            raise GeographyFileError(
                f"{file_name}: several {self.label} columns or properties "
                f"({', '.join(found)}); expected one"
            )
        return found[0] if found else None

    def require(
        self, names: list[str], file_name: str, noun: str = "column", noun_plural: str = "columns"
    ) -> str:
        """Like :meth:`find`, but a missing column is a file error naming what was expected."""
        found = self.find(names, file_name)
        if found is None:
            raise GeographyFileError(
                f"{file_name}: no {self.label} {noun} found ({self.examples}); "
                f"its {noun_plural} are {shown(names)}"
            )
        return found


def rule(label: str, examples: str, pattern: str) -> ColumnRule:
    return ColumnRule(label, examples, re.compile(pattern))


def shown(names: list[str], limit: int = 8) -> str:
    """A short listing of column names for a message."""
    if not names:
        return "(none)"
    text = ", ".join(names[:limit])
    return text + (f", ... ({len(names)} in all)" if len(names) > limit else "")


# LSOA 2011 (or an unversioned LSOA column, taken as 2011).
LSOA11_CODE = rule(
    "LSOA 2011 code",
    "e.g. lsoa11_code, LSOA11CD, LSOA code (2011)",
    rf"lsoa_?(?:11)?{_CODE}(?:_2011)?",
)
LSOA11_NAME = rule("LSOA 2011 name", "e.g. lsoa11_name", rf"lsoa_?(?:11)?{_NAME}(?:_2011)?")
LSOA21_CODE = rule(
    "LSOA 2021 code",
    "e.g. lsoa21_code, LSOA21CD",
    rf"lsoa_?21{_CODE}|lsoa{_CODE}_2021|lsoa_2021{_CODE}",
)
WARD_CODE = rule("ward code", "e.g. ward17_code, WD13CD", rf"(?:wd|ward){_YEAR}{_CODE}")
WARD_NAME = rule("ward name", "e.g. ward17_name, WD13NM", rf"(?:wd|ward){_YEAR}{_NAME}")
MSOA_CODE = rule("MSOA code", "e.g. msoa11_code, MSOA11CD", rf"msoa{_YEAR}{_CODE}")
MSOA_NAME = rule("MSOA name", "e.g. msoa11_name, MSOA11NM", rf"msoa{_YEAR}{_NAME}")
LAD_CODE = rule("local authority code", "e.g. ltla21_code, LAD13CD", rf"(?:lad|ltla){_YEAR}{_CODE}")
LAD_NAME = rule("local authority name", "e.g. ltla21_name, LAD13NM", rf"(?:lad|ltla){_YEAR}{_NAME}")
CHANGE = rule("LSOA 2011 to 2021 change", "change_code or CHGIND", r"change_?code|chgind|change")

# Boundary properties: any vintage of the level's code and name.
LSOA_ANY_CODE = rule("LSOA code", "e.g. LSOA11CD, lsoa11_code, LSOA21CD", rf"lsoa{_YEAR}{_CODE}")
LSOA_ANY_NAME = rule("LSOA name", "e.g. LSOA11NM, lsoa11_name", rf"lsoa{_YEAR}{_NAME}")
