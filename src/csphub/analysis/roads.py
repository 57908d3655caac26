"""Road safety measures from STATS19 collisions and casualties: killed or seriously injured
(KSI) with DfT's severity adjustment where the data carries it, slight, and KSI by road user.

The definitions and the adjustment method are in ``csphub/data/roads/severity.csv`` with
their sources. A collision takes the severity of its worst-injured casualty, so the same
function counts collisions (one row per collision) or casualties (one row per casualty).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csphub.analysis.harm import read_commented_csv

SEVERITIES = ("fatal", "serious", "slight")
SEVERITY_FILE = Path(__file__).resolve().parents[1] / "data" / "roads" / "severity.csv"
ADJUSTED = "adjusted (DfT severity adjustment)"
RECORDED = "as recorded (no severity adjustment)"


@dataclass(frozen=True)
class Severity:
    """Counts of one kind of row (collisions or casualties) by severity.

    ``ksi`` and ``slight_figure`` use the adjustment when ``adjusted`` (fatal + the sum of
    ``adjusted_serious``; the sum of ``adjusted_slight``), else the recorded counts.
    ``basis`` says which, and why when the adjustment was not used.
    """

    rows: int
    fatal: int
    serious: int
    slight: int
    unknown: int
    ksi: float
    slight_figure: float
    adjusted: bool
    basis: str

    @property
    def ksi_recorded(self) -> int:
        return self.fatal + self.serious


def severity_terms(path: Path = SEVERITY_FILE) -> tuple[dict[str, str], dict[str, str]]:
    """(metadata, {term: meaning}) of the severity definitions file."""
    meta, rows = read_commented_csv(path.read_text(encoding="utf-8"), str(path))
    return meta, {r["key"]: r["meaning"] for r in rows}


def _adjustment(frame: pd.DataFrame) -> tuple[bool, str]:
    if "adjusted_serious" not in frame.columns:
        return False, RECORDED + ": the data has no adjusted severity"
    non_fatal = frame[frame["severity"].isin(["serious", "slight"])]
    if non_fatal.empty:
        return False, RECORDED + ": no non-fatal rows"
    missing = int(non_fatal["adjusted_serious"].isna().sum())
    if missing == len(non_fatal):
        return False, RECORDED + ": the data has no adjusted severity"
    if missing:
        return False, (
            f"{RECORDED}: {missing:,} of {len(non_fatal):,} non-fatal rows lack the adjustment, "
            "so none is used"
        )
    return True, ADJUSTED


def severity(frame: pd.DataFrame) -> Severity:
    """KSI and slight of a table of collisions or casualties.

    Parameters
    ----------
    frame : DataFrame
        One row per collision (or casualty): ``severity`` 'fatal', 'serious' or 'slight'
        and, optionally, DfT's ``adjusted_serious`` and ``adjusted_slight`` probabilities
        (None on fatal rows).

    Returns
    -------
    Severity
        Recorded counts, KSI and slight (adjusted when every non-fatal row carries the
        adjustment) and the basis in words.

    Examples
    --------
    >>> rows = pd.DataFrame({"severity": ["fatal", "serious", "slight", "slight"],
    ...                      "adjusted_serious": [None, 0.9, 0.25, 0.15],
    ...                      "adjusted_slight": [None, 0.1, 0.75, 0.85]})
    >>> s = severity(rows)
    >>> s.adjusted, s.ksi_recorded, round(s.ksi, 2), round(s.slight_figure, 2)
    (True, 2, 2.3, 1.7)
    """
    counts = frame["severity"].value_counts()
    fatal, serious, slight = (int(counts.get(k, 0)) for k in SEVERITIES)
    unknown = len(frame) - fatal - serious - slight
    adjusted, basis = _adjustment(frame)
    if adjusted:
        non_fatal = frame["severity"].isin(["serious", "slight"])
        ksi = fatal + float(frame.loc[non_fatal, "adjusted_serious"].sum())
        slight_figure = float(frame.loc[non_fatal, "adjusted_slight"].sum())
    else:
        ksi, slight_figure = float(fatal + serious), float(slight)
    return Severity(
        len(frame), fatal, serious, slight, unknown, ksi, slight_figure, adjusted, basis
    )


def ksi_weights(frame: pd.DataFrame, adjusted: bool) -> pd.Series:
    """Each row's contribution to KSI, so that sums over any grouping add up to
    :func:`severity`'s KSI.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``severity`` (and ``adjusted_serious`` when ``adjusted``).
    adjusted : bool
        Use the adjusted probability of non-fatal rows (else 1 for serious, 0 for slight).

    Returns
    -------
    Series
        1 for fatal rows; the adjusted probability, or 1 for serious and 0 for slight.
    """
    fatal = (frame["severity"] == "fatal").astype(float)
    if adjusted:
        other = frame["adjusted_serious"].fillna(0.0).astype(float)
        return fatal + other.where(frame["severity"].isin(["serious", "slight"]), 0.0)
    return fatal + (frame["severity"] == "serious").astype(float)


def by_road_user(casualties: pd.DataFrame) -> pd.DataFrame:
    """Casualties by road user.

    Parameters
    ----------
    casualties : DataFrame
        One row per casualty: ``road_user``, ``severity`` and, optionally,
        ``adjusted_serious``.

    Returns
    -------
    DataFrame
        ``road_user``, ``fatal``, ``serious``, ``slight``, ``casualties`` and ``ksi``
        (adjusted when every non-fatal casualty carries it), most KSI first; a missing road
        user is "Not recorded".

    Examples
    --------
    >>> rows = pd.DataFrame({"road_user": ["Pedestrian", "Car occupant", "Pedestrian"],
    ...                      "severity": ["serious", "slight", "fatal"]})
    >>> by_road_user(rows)[["road_user", "casualties", "ksi"]].values.tolist()
    [['Pedestrian', 2, 2.0], ['Car occupant', 1, 0.0]]
    """
    adjusted, _ = _adjustment(casualties)
    frame = casualties.assign(
        road_user=casualties["road_user"].fillna("Not recorded"),
        ksi=ksi_weights(casualties, adjusted),
    )
    wide = (
        frame.pivot_table(index="road_user", columns="severity", aggfunc="size", fill_value=0)
        .reindex(columns=list(SEVERITIES), fill_value=0)
        .astype("int64")
    )
    wide["casualties"] = wide.sum(axis=1)
    wide["ksi"] = frame.groupby("road_user")["ksi"].sum()
    order = ["ksi", "casualties", "road_user"]
    wide = wide.reset_index().sort_values(order, ascending=[False, False, True])
    return wide.reset_index(drop=True).rename_axis(None, axis=1)


def year_months(years: list[int] | set[int]) -> list[str]:
    """Every month of the given calendar years (STATS19 is published by whole year)."""
    return [f"{y}-{m:02d}" for y in sorted(years) for m in range(1, 13)]
