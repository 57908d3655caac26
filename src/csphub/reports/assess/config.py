"""The partnership's priorities and the scoring rules, read from data files that name their
source (``csphub/data/assessment/``); a partnership can pass its own priorities file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from csphub.analysis.harm import WeightTableError, read_commented_csv

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "assessment"
PRIORITY_COLUMNS = (
    "order",
    "id",
    "title",
    "policeuk_types",
    "event_offence_pattern",
    "coverage_note",
    "needs",
    "lead",
    "fit",
)
#: Partner data a priority can name in the optional ``partner_data`` column.
PARTNER_DATA = ("", "collisions", "ae_assaults", "fire_incidents")
SCORING_KEYS = (
    "impact_4_share",
    "impact_3_share",
    "impact_2_share",
    "alpha",
    "confidence_high_count",
    "confidence_low_count",
)


class ConfigError(ValueError):
    """A priorities or scoring file that cannot be used; names the file, row and field."""


@dataclass(frozen=True)
class Priority:
    """One partnership priority and how the data measures it."""

    order: int
    id: str
    title: str
    policeuk_types: tuple[str, ...]
    event_pattern: str
    coverage_note: str
    needs: str
    lead: str
    proxy: bool
    #: A store view of partner data that measures the priority ("collisions"), is read with
    #: the police data ("ae_assaults") or set beside it as context ("fire_incidents"); ""
    #: for none. An optional column of the file.
    partner_data: str = ""

    def matches_offence(self) -> re.Pattern[str] | None:
        return re.compile(self.event_pattern, re.IGNORECASE) if self.event_pattern else None


@dataclass(frozen=True)
class Priorities:
    items: tuple[Priority, ...]
    name: str
    source: str
    path: str


@dataclass(frozen=True)
class Scoring:
    impact_shares: tuple[float, float, float]  # thresholds for impact 4, 3, 2
    alpha: float
    high_count: int
    low_count: int
    name: str
    source: str

    def impact(self, share: float) -> int:
        for level, threshold in zip((4, 3, 2), self.impact_shares, strict=True):
            if share >= threshold:
                return level
        return 1


def _read(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return read_commented_csv(text, str(path))
    except WeightTableError as exc:
        raise ConfigError(str(exc)) from None


def _fit(value: str | None, where: str) -> bool:
    fit = (value or "").strip().lower()
    if fit not in ("direct", "proxy"):
        raise ConfigError(f"{where}: field fit {value!r}: write direct or proxy")
    return fit == "proxy"


def load_priorities(path: Path | None = None) -> Priorities:
    """The priorities file (default: the packaged seven), checked row by row."""
    path = path or DATA_DIR / "priorities.csv"
    meta, rows = _read(path)
    if rows and (missing := [c for c in PRIORITY_COLUMNS if c not in rows[0]]):
        raise ConfigError(f"{path}: header lacks column(s) {', '.join(missing)}")
    items, seen = [], set()
    for line, row in enumerate(rows, start=2):
        where = f"{path}: data row {line - 1}"
        try:
            order = int(row["order"])
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: field order {row['order']!r} is not a number") from None
        ident = (row["id"] or "").strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident) or ident in seen:
            raise ConfigError(f"{where}: field id {ident!r} must be unique, lower case, a-z 0-9 -")
        seen.add(ident)
        pattern = (row["event_offence_pattern"] or "").strip()
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: field event_offence_pattern: {exc}") from None
        types = tuple(t.strip() for t in (row["policeuk_types"] or "").split(";") if t.strip())
        partner = (row.get("partner_data") or "").strip()
        if partner not in PARTNER_DATA:
            known = ", ".join(p for p in PARTNER_DATA if p)
            raise ConfigError(f"{where}: field partner_data {partner!r}: write {known} or nothing")
        items.append(
            Priority(
                order,
                ident,
                (row["title"] or "").strip() or ident,
                types,
                pattern,
                (row["coverage_note"] or "").strip(),
                (row["needs"] or "").strip(),
                (row["lead"] or "").strip(),
                _fit(row["fit"], where),
                partner,
            )
        )
    if not items:
        raise ConfigError(f"{path}: no priorities")
    items.sort(key=lambda p: p.order)
    return Priorities(tuple(items), meta.get("name", path.name), meta.get("source", ""), str(path))


def load_scoring(path: Path | None = None) -> Scoring:
    """The scoring thresholds (default: csphub's, labelled MoRiLE-style, not official)."""
    path = path or DATA_DIR / "scoring.csv"
    meta, rows = _read(path)
    values: dict[str, float] = {}
    for line, row in enumerate(rows, start=1):
        try:
            values[row["key"].strip()] = float(row["value"])
        except (AttributeError, KeyError, TypeError, ValueError):
            raise ConfigError(f"{path}: data row {line}: field value is not a number") from None
    if missing := [k for k in SCORING_KEYS if k not in values]:
        raise ConfigError(f"{path}: missing key(s) {', '.join(missing)}")
    shares = (values["impact_4_share"], values["impact_3_share"], values["impact_2_share"])
    if not shares[0] >= shares[1] >= shares[2] >= 0:
        raise ConfigError(f"{path}: impact shares must fall from impact 4 to impact 2")
    return Scoring(
        shares,
        values["alpha"],
        int(values["confidence_high_count"]),
        int(values["confidence_low_count"]),
        meta.get("name", path.name),
        meta.get("source", ""),
    )
