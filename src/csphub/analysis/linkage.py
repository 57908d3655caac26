"""What share of A&E assaults police data holds: an estimate by place and month.

A&E assault records (ISTV) and police.uk crimes share no key. police.uk gives only the
month and an anonymised snap point (with its LSOA), so a record cannot be matched to an
assault. What can be said is how many A&E assaults *could* be among the police's violence
records of the same LSOA and month:

* an A&E assault is linkable when it has an LSOA and an incident date;
* in each LSOA-month, at most ``min(A&E assaults, police violence records)`` of the A&E
  assaults can be in police data there;
* the estimate is the sum of those minima over the linkable assaults: an **upper bound**
  (a police record there may be another offence entirely), with the share of assaults in
  LSOA-months where the police recorded no violence at all (none of them can be there).

Limits: police.uk snap points can fall in a neighbouring LSOA; an assault reported to the
police elsewhere or in another month is missed; police.uk violence includes sexual offences.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

METHOD = (
    "Each A&E assault with an LSOA and an incident date is set against police.uk's violence "
    "records of the same LSOA and calendar month; in each LSOA-month at most the smaller of "
    "the two counts can be the same incidents. The sum of those minima over the linkable "
    "assaults is an upper bound on the share police data holds."
)
LIMITS = (
    "police.uk is monthly and places each crime at an anonymised snap point, so no single "
    "assault can be matched; a police record in the same LSOA and month may be a different "
    "incident (the bound is generous), one placed in a neighbouring LSOA or reported in "
    "another month is missed, and police.uk's violence category also holds sexual offences."
)


@dataclass(frozen=True)
class LinkEstimate:
    """The police share of A&E assaults, by LSOA and month.

    ``assaults`` all A&E assaults given; ``linkable`` those with an LSOA and a date;
    ``in_police_cells`` linkable assaults in LSOA-months where police.uk holds any violence;
    ``at_most_held`` the upper bound (sum over LSOA-months of min(A&E, police));
    ``cells`` the LSOA-months with an A&E assault; ``table`` one row per such LSOA-month:
    ``lsoa``, ``month``, ``ae``, ``police``, ``at_most_held``.
    """

    assaults: int
    linkable: int
    in_police_cells: int
    at_most_held: int
    cells: int
    table: pd.DataFrame

    @property
    def share_at_most(self) -> float | None:
        return self.at_most_held / self.linkable if self.linkable else None

    @property
    def share_not_held(self) -> float | None:
        """Linkable assaults in LSOA-months with no police violence record at all."""
        return (self.linkable - self.in_police_cells) / self.linkable if self.linkable else None


def police_share(ae: pd.DataFrame, police: pd.DataFrame) -> LinkEstimate:
    """The estimate of :mod:`this module <csphub.analysis.linkage>`.

    Parameters
    ----------
    ae : DataFrame
        One row per A&E assault, with ``lsoa`` and ``incident_date`` (date or None).
    police : DataFrame
        police.uk violence counts: ``lsoa_code``, ``month`` ('YYYY-MM'), ``count``.

    Returns
    -------
    LinkEstimate

    Examples
    --------
    Three assaults in E01 in March against one police record there, one in E02 in March
    with none, one without an LSOA:

    >>> ae = pd.DataFrame({"lsoa": ["E01", "E01", "E01", "E02", None],
    ...     "incident_date": pd.to_datetime(["2025-03-01", "2025-03-09", "2025-03-20",
    ...                                      "2025-03-02", "2025-03-03"])})
    >>> police = pd.DataFrame({"lsoa_code": ["E01", "E02"], "month": ["2025-03", "2025-04"],
    ...                        "count": [1, 5]})
    >>> r = police_share(ae, police)
    >>> r.linkable, r.in_police_cells, r.at_most_held, r.share_at_most
    (4, 3, 1, 0.25)
    """
    dates = pd.to_datetime(ae["incident_date"], errors="coerce")
    lsoa = ae["lsoa"].astype("string").str.strip().replace("", pd.NA)
    ok = dates.notna() & lsoa.notna()
    linked = pd.DataFrame({"lsoa": lsoa[ok], "month": dates[ok].dt.strftime("%Y-%m")})
    cells = linked.groupby(["lsoa", "month"]).size().rename("ae").reset_index()
    held = (
        police.groupby(["lsoa_code", "month"])["count"]
        .sum()
        .rename("police")
        .reset_index()
        .rename(columns={"lsoa_code": "lsoa"})
    )
    table = cells.merge(held, on=["lsoa", "month"], how="left").fillna({"police": 0})
    table["police"] = table["police"].astype("int64")
    table["at_most_held"] = table[["ae", "police"]].min(axis=1).astype("int64")
    table = table.sort_values(["ae", "lsoa", "month"], ascending=[False, True, True])
    return LinkEstimate(
        len(ae),
        int(ok.sum()),
        int(table.loc[table["police"] > 0, "ae"].sum()),
        int(table["at_most_held"].sum()),
        len(table),
        table.reset_index(drop=True),
    )
