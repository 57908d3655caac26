"""Crime harm: weight tables by police.uk crime type, and harm totals.

A *weight table* gives one harm weight per crime type (days of imprisonment equivalent for
the ONS Crime Severity Score and the Cambridge Crime Harm Index). The packaged tables live in
``csphub/data/harm/`` with their source and vintage in a comment header; a user may supply
their own CSV of the same shape. Anti-social behaviour has no weight in either scheme and is
listed as *excluded*: its rows are counted and reported, never given a harm of zero.
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

#: Folder of the packaged weight files.
HARM_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "harm"

#: Built-in schemes and the file each one loads.
SCHEMES: Mapping[str, str] = MappingProxyType(
    {
        "css": "css_2020_by_policeuk.csv",
        "cchi": "cchi_2026-02_by_policeuk.csv",
    }
)

_META_KEYS = ("name", "vintage", "source", "licence", "unit", "derived")


class WeightTableError(ValueError):
    """A weight file that cannot be read; the message names the file and the line."""


def normalise_crime_type(label: str) -> str:
    """The key used to match crime types: trimmed, single-spaced and case-folded."""
    return " ".join(str(label).split()).casefold()


@dataclass(frozen=True)
class WeightTable:
    """One harm weight per crime type, with where the weights came from.

    Attributes
    ----------
    name, vintage, source : str
        What the weights are, when they date from and where they came from. Every result
        computed with the table repeats ``name`` and ``vintage``.
    weights : Mapping[str, float]
        Crime type (as spelt in the file) to weight, read-only.
    excluded : tuple of str
        Crime types known to the table that deliberately carry no weight (e.g. ASB).
    unit, licence, derived : str
        Unit of the weights, licence of the values, and how they were derived (empty when
        copied as published).
    """

    name: str
    vintage: str
    source: str
    weights: Mapping[str, float] = field(hash=False)
    excluded: tuple[str, ...] = ()
    unit: str = "days"
    licence: str = ""
    derived: str = ""

    def __post_init__(self) -> None:
        clean: dict[str, float] = {}
        for label, value in dict(self.weights).items():
            value = float(value)
            if not math.isfinite(value) or value < 0:
                raise WeightTableError(f"{self.name}: weight for {label!r} must be >= 0")
            clean[label] = value
        object.__setattr__(self, "weights", MappingProxyType(clean))
        object.__setattr__(self, "excluded", tuple(self.excluded))
        keys = [normalise_crime_type(k) for k in (*clean, *self.excluded)]
        if len(keys) != len(set(keys)):
            raise WeightTableError(f"{self.name}: a crime type is listed twice")

    @property
    def label(self) -> str:
        """``name (vintage)``, for captions and report footnotes."""
        return f"{self.name} ({self.vintage})"

    def _index(self) -> dict[str, float | None]:
        index: dict[str, float | None] = {
            normalise_crime_type(k): v for k, v in self.weights.items()
        }
        index.update({normalise_crime_type(k): None for k in self.excluded})
        return index

    def status(self, crime_type: str) -> str:
        """``"weighted"``, ``"excluded"`` or ``"unknown"`` for one crime-type label."""
        key = normalise_crime_type(crime_type)
        index = self._index()
        if key not in index:
            return "unknown"
        return "excluded" if index[key] is None else "weighted"

    def weight(self, crime_type: str) -> float | None:
        """The weight of a crime type, or None when it is excluded or unknown."""
        return self._index().get(normalise_crime_type(crime_type))

    def to_records(self) -> list[dict[str, Any]]:
        """One record per crime type: ``crime_type``, ``weight`` (None when excluded)."""
        rows: list[dict[str, Any]] = [
            {"crime_type": k, "weight": v} for k, v in self.weights.items()
        ]
        rows += [{"crime_type": k, "weight": None} for k in self.excluded]
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The table and its provenance as plain JSON-ready values."""
        return {
            "name": self.name,
            "vintage": self.vintage,
            "source": self.source,
            "unit": self.unit,
            "licence": self.licence,
            "derived": self.derived,
            "weights": self.to_records(),
        }


def read_commented_csv(text: str, origin: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Split a CSV with a ``#`` comment header into metadata and rows.

    Comment lines of the form ``# key: value`` with ``key`` one of name, vintage, source,
    licence, unit or derived become metadata (repeated keys are joined with a space); other
    comment lines are notes and are ignored.
    """
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            key, sep, value = stripped.lstrip("#").strip().partition(":")
            key = key.strip().lower()
            if sep and key in _META_KEYS:
                meta[key] = f"{meta[key]} {value.strip()}".strip() if key in meta else value.strip()
        elif stripped:
            body.append(line)
    if not body:
        raise WeightTableError(f"{origin}: no header row and no data")
    return meta, list(csv.DictReader(io.StringIO("\n".join(body))))


def _parse_weight(raw: str | None, origin: str, row_no: int) -> float | None:
    raw = (raw or "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise WeightTableError(f"{origin}: row {row_no}: weight {raw!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise WeightTableError(f"{origin}: row {row_no}: weight {raw!r} must be >= 0")
    return value


def weight_table_from_csv(text: str, origin: str = "<text>") -> WeightTable:
    """Build a :class:`WeightTable` from CSV text with columns ``crime_type,weight``.

    A blank weight marks a crime type as deliberately excluded. Extra columns are ignored.
    """
    meta, rows = read_commented_csv(text, origin)
    if not rows or not {"crime_type", "weight"} <= set(rows[0]):
        raise WeightTableError(f"{origin}: needs the columns crime_type,weight")
    weights: dict[str, float] = {}
    excluded: list[str] = []
    for row_no, row in enumerate(rows, start=1):
        label = " ".join((row["crime_type"] or "").split())
        if not label:
            raise WeightTableError(f"{origin}: row {row_no}: empty crime_type")
        value = _parse_weight(row["weight"], origin, row_no)
        if value is None:
            excluded.append(label)
        else:
            weights[label] = value
    return WeightTable(
        name=meta.get("name", Path(origin).stem),
        vintage=meta.get("vintage", "unspecified"),
        source=meta.get("source", origin),
        weights=weights,
        excluded=tuple(excluded),
        unit=meta.get("unit", "unspecified"),
        licence=meta.get("licence", ""),
        derived=meta.get("derived", ""),
    )


def load_weights(scheme: str | Path = "css") -> WeightTable:
    """Load a harm weight table by scheme name or from a CSV file.

    Parameters
    ----------
    scheme : {"css", "cchi"} or path
        ``"css"``: ONS Crime Severity Score weights (c. 2020) rolled up to police.uk crime
        types with 2019/20 national counts. ``"cchi"``: Cambridge Crime Harm Index (Feb 2026
        update) by police.uk crime type, a third-party derivation kept as a cross-check.
        Anything else is read as a path to a ``crime_type,weight`` CSV.

    Returns
    -------
    WeightTable

    Examples
    --------
    >>> table = load_weights("css")
    >>> round(table.weight("Robbery"), 2)
    799.63
    >>> table.status("Anti-social behaviour")
    'excluded'
    """
    path = HARM_DATA_DIR / SCHEMES[scheme] if scheme in SCHEMES else Path(scheme)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        known = ", ".join(SCHEMES)
        raise WeightTableError(f"cannot read {path} ({exc.strerror}); schemes: {known}") from None
    return weight_table_from_csv(text, origin=str(path))


@dataclass(frozen=True)
class HarmTotals:
    """Counts and harm by group, stating the weight table used.

    ``table`` has one row per group with the ``by`` columns and: ``count`` (crimes with a
    weight), ``harm`` (sum of count x weight), ``unweighted_count`` (crimes of excluded or
    unknown types, not in ``harm``), ``population``, ``count_per_1000`` and
    ``harm_per_1000`` (NaN without a population), ``weight_table`` and ``weight_vintage``.
    ``unknown_types`` and ``excluded_types`` give the count of each crime type that had no
    weight; ``missing_population`` lists groups whose population was not supplied.
    """

    table: pd.DataFrame = field(hash=False)
    by: tuple[str, ...]
    weight_table: str
    weight_vintage: str
    unit: str
    unknown_types: Mapping[str, float] = field(hash=False)
    excluded_types: Mapping[str, float] = field(hash=False)
    missing_population: tuple[Any, ...] = ()

    def to_records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready records (NaN becomes None)."""
        return json.loads(
            self.table.to_json(orient="records", date_format="iso", double_precision=15)
        )

    def to_dict(self) -> dict[str, Any]:
        """The whole result, including what had no weight, as JSON-ready values."""
        return {
            "weight_table": self.weight_table,
            "weight_vintage": self.weight_vintage,
            "unit": self.unit,
            "by": list(self.by),
            "unknown_types": dict(self.unknown_types),
            "excluded_types": dict(self.excluded_types),
            "missing_population": [
                list(k) if isinstance(k, tuple) else k for k in self.missing_population
            ],
            "rows": self.to_records(),
        }


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    raise TypeError("expected a pandas DataFrame or a pyarrow Table")


def _population_frame(population: Any, by: list[str], population_col: str) -> pd.DataFrame:
    if isinstance(population, pd.Series):
        population = population.rename(population_col).reset_index()
    frame = _as_frame(population)
    keys = [c for c in frame.columns if c != population_col]
    if population_col not in frame.columns or not keys or not set(keys) <= set(by):
        raise ValueError(
            f"population needs a {population_col!r} column and key columns that are all in by={by}"
        )
    if frame.duplicated(keys).any():
        raise ValueError(f"population has more than one row for some {keys}")
    return frame[[*keys, population_col]]


def _attach_population(
    table: pd.DataFrame, population: Any, by: list[str], population_col: str
) -> tuple[pd.DataFrame, tuple[Any, ...]]:
    if population is None:
        table["population"] = math.nan
        return table, ()
    if isinstance(population, numbers.Real):
        table["population"] = float(population)
        return table, ()
    frame = _population_frame(population, by, population_col)
    keys = [c for c in frame.columns if c != population_col]
    table = table.merge(frame.rename(columns={population_col: "population"}), on=keys, how="left")
    table["population"] = table["population"].astype(float)
    missing = table.loc[table["population"].isna(), keys].drop_duplicates()
    return table, tuple(missing.itertuples(index=False, name=None))


def harm_totals(
    counts: Any,
    weights: WeightTable,
    population: Any = None,
    by: Sequence[str] | None = None,
    *,
    crime_type_col: str = "crime_type",
    count_col: str = "count",
    population_col: str = "population",
) -> HarmTotals:
    """Count, harm and harm per 1,000 residents by any grouping.

    Parameters
    ----------
    counts : DataFrame or pyarrow Table
        A crime-type column and, optionally, a count column; without ``count_col`` every row
        is one crime (an event-level extract).
    weights : WeightTable
        From :func:`load_weights`.
    population : number, DataFrame or Series, optional
        One number (the population of the whole area, used for every group), or a table of
        ``population`` by key columns that are all in ``by`` (e.g. ``lsoa_code``).
    by : list of str, optional
        Grouping columns (area, period, crime type ...); none gives one grand-total row.

    Returns
    -------
    HarmTotals
        Crime types the table does not know are reported in ``unknown_types`` and counted in
        ``unweighted_count``; they never silently disappear.

    Examples
    --------
    >>> import pandas as pd
    >>> table = WeightTable("demo", "2024", "example", {"Burglary": 10.0, "Robbery": 100.0})
    >>> df = pd.DataFrame({"crime_type": ["Burglary", "Robbery", "Drugs"], "count": [3, 1, 2]})
    >>> out = harm_totals(df, table, population=2000)
    >>> out.table.loc[0, ["count", "harm", "unweighted_count", "harm_per_1000"]].tolist()
    [4.0, 130.0, 2.0, 65.0]
    >>> dict(out.unknown_types)
    {'Drugs': 2.0}
    """
    df = _as_frame(counts)
    group = list(by or [])
    missing = [c for c in [crime_type_col, *group] if c not in df.columns]
    if missing:
        raise ValueError(f"counts has no column(s) {missing}")
    n = df[count_col].astype(float) if count_col in df.columns else pd.Series(1.0, index=df.index)
    labels = df[crime_type_col].astype("string").fillna("<missing>")
    uniq = labels.unique()
    status = labels.map({u: weights.status(u) for u in uniq})
    weight = labels.map({u: weights.weight(u) for u in uniq}).astype(float)
    work = df[group].copy()
    work["count"] = n.where(status == "weighted", 0.0)
    work["harm"] = (n * weight).where(status == "weighted", 0.0)
    work["unweighted_count"] = n.where(status != "weighted", 0.0)
    if group:
        table = work.groupby(group, dropna=False, sort=True).sum().reset_index()
    else:
        table = work.sum().to_frame().T
    table, no_pop = _attach_population(table, population, group, population_col)
    table["count_per_1000"] = table["count"] / table["population"] * 1000
    table["harm_per_1000"] = table["harm"] / table["population"] * 1000
    table["weight_table"] = weights.name
    table["weight_vintage"] = weights.vintage

    def _tally(mask: pd.Series) -> dict[str, float]:
        return {str(k): float(v) for k, v in n[mask].groupby(labels[mask]).sum().items()}

    return HarmTotals(
        table=table,
        by=tuple(group),
        weight_table=weights.name,
        weight_vintage=weights.vintage,
        unit=weights.unit,
        unknown_types=MappingProxyType(_tally(status == "unknown")),
        excluded_types=MappingProxyType(_tally(status == "excluded")),
        missing_population=no_pop,
    )
