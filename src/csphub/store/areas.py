"""Areas: a Community Safety Partnership (or any study area) is a set of LSOAs.

An area is named on the command line by a local authority code (``E06000009``), a ward code
(``E05...``), LSOA codes, a comma-separated list of those, or ``@FILE`` with one code per
line. Local authority and ward codes are resolved through the loaded lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from csphub.store.store import Store

_LSOA = re.compile(r"^[EW]01\d{6}$")
_WARD = re.compile(r"^[EW]05\d{6}$")
_MSOA = re.compile(r"^[EW]02\d{6}$")
_LAD = re.compile(r"^[EWSN]\d{8}$")


class AreaError(ValueError):
    """An area that cannot be resolved; the message names the code and what to load."""


@dataclass(frozen=True)
class Area:
    """A named set of LSOA codes."""

    label: str
    name: str
    lsoa_codes: tuple[str, ...]


def _codes_from_spec(spec: str) -> list[str]:
    if spec.startswith("@"):
        path = Path(spec[1:])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise AreaError(f"cannot read the area file {path}: {exc.strerror}") from None
        parts = [line.split(",")[0].strip() for line in text.splitlines()]
        codes = [p for p in parts if p and not p.startswith("#") and _LAD.match(p)]
        if not codes:
            raise AreaError(f"the area file {path} holds no GSS codes (one per line)")
        return codes
    return [c.strip() for c in spec.split(",") if c.strip()]


def _lookup_column(store: Store, column: str, code: str) -> tuple[list[str], str | None]:
    name_col = {"lad_code": "lad_name", "ward_code": "ward_name", "msoa_code": "msoa_name"}[column]
    rows = store.con.execute(
        f"SELECT lsoa_code, {name_col} FROM geo_lookup WHERE {column} = ? ORDER BY lsoa_code",
        [code],
    ).fetchall()
    return [r[0] for r in rows], (rows[0][1] if rows else None)


def resolve_area(store: Store, spec: str) -> Area:
    """Resolve an area specification to its LSOAs, or raise :class:`AreaError`."""
    codes = _codes_from_spec(spec)
    if not codes:
        raise AreaError("the area is empty: give a local authority, ward or LSOA code")
    lsoas: list[str] = []
    names: list[str] = []
    for code in codes:
        if _LSOA.match(code):
            lsoas.append(code)
            continue
        column = "ward_code" if _WARD.match(code) else "msoa_code" if _MSOA.match(code) else None
        if column is None and _LAD.match(code):
            column = "lad_code"
        if column is None:
            raise AreaError(f"area code {code!r} is not a GSS code (e.g. E06000009)")
        found, name = _lookup_column(store, column, code)
        if not found:
            if not store.has_rows("geo_lookup"):
                raise AreaError(
                    f"area {code}: no geography lookup is loaded; run "
                    "csphub ingest geography --lookup FILE (LSOA to ward and local authority)"
                )
            raise AreaError(f"area {code}: no LSOAs found for it in the loaded lookup")
        lsoas.extend(found)
        names.append(name or code)
    unique = tuple(dict.fromkeys(lsoas))
    label = spec if len(codes) <= 3 else f"{len(codes)} codes"
    name = ", ".join(names) if names else f"{len(unique)} LSOAs"
    return Area(label=label, name=name, lsoa_codes=unique)
