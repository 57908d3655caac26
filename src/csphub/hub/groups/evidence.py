"""Agenda items from the evidence store for a TTCG meeting: the month's exceedances and hot
spot LSOAs, computed as the tasking pack computes them (``csphub.reports.tasking``).

The store is ``settings.CSPHUB_STORE`` and the area ``settings.CSPHUB_AREA``; without
either, or without loaded months, :func:`ttcg_evidence` says why in one line. Results are
cached per store, area, month and the catalog's modification time, so a page shows them
at once after the first time and a new ingest is picked up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from csphub.hub.evidence_store import StoreUnavailable, catalog_stamp, reading, store_root

#: Fewer Gi* permutations than the printed pack (9,999): enough for the agenda, fast.
PERMUTATIONS = 999


@dataclass(frozen=True)
class EvidenceItem:
    key: str  # stable within one store state: "exceedance:<type>" or "hotspot:<lsoa>"
    title: str
    detail: str

    @property
    def lsoa(self) -> str:
        """The hot spot's LSOA code ("" for an exceedance): the page links it to the
        casework places recorded there."""
        kind, _, code = self.key.partition(":")
        return code if kind == "hotspot" else ""


@dataclass(frozen=True)
class Evidence:
    month: str  # YYYY-MM, "" when unavailable
    items: tuple[EvidenceItem, ...]
    unavailable: str = ""  # one line saying why there is nothing, when there is nothing

    def get(self, key: str) -> EvidenceItem | None:
        return next((i for i in self.items if i.key == key), None)


_cache: dict[tuple, Evidence] = {}
_lock = threading.Lock()


def ttcg_evidence(before_month: str) -> Evidence:
    """Exceedances and hot spots of the latest loaded month before ``before_month``
    (``YYYY-MM``, the meeting's month; the latest loaded month when none is earlier)."""
    from csphub.store import StoreError

    area = (getattr(settings, "CSPHUB_AREA", "") or "").strip()
    root = store_root()
    if not area:
        return Evidence("", (), "No evidence offered: no area is set (CSPHUB_AREA).")
    stamp = catalog_stamp(root)
    if stamp is None:
        return Evidence("", (), f"No evidence offered: there is no evidence store at {root}.")
    key = (*stamp, area, before_month)
    with _lock:
        if key not in _cache:
            try:
                _cache[key] = _compute(root, area, before_month)
            except StoreUnavailable as exc:  # busy: say so, without DuckDB's path and PID
                return Evidence("", (), f"No evidence offered: {exc.plain}.")
            except (StoreError, ValueError) as exc:  # InputError is a ValueError
                return Evidence("", (), f"No evidence offered: {exc}")
        return _cache[key]


def _compute(root: Path, area: str, before_month: str) -> Evidence:
    from csphub.analysis.store_inputs import loaded_months
    from csphub.reports.common.baseline import ABOVE_95, ABOVE_99
    from csphub.reports.tasking.build import make_context
    from csphub.reports.tasking.exceedance import exceedance_section
    from csphub.reports.tasking.places import hotspot_section

    with reading(root) as store:
        months = loaded_months(store)
        if not months:
            return Evidence("", (), f"No evidence offered: the store at {root} has no months.")
        earlier = [m for m in months if m < before_month]
        month = earlier[-1] if earlier else months[-1]
        ctx = make_context(store, month, area, permutations=PERMUTATIONS)
        items = []
        for table in exceedance_section(ctx).tables:
            for row in table.rows:
                if row["Result"] not in (ABOVE_95, ABOVE_99):
                    continue
                items.append(
                    EvidenceItem(
                        f"exceedance:{row['Crime type']}",
                        f"Exceedance: {row['Crime type']} in {ctx.month_label}",
                        f"{row['Recorded']} recorded against {row['Expected']} expected "
                        f"({row['Result'].lower()}) in {ctx.area.name}.",
                    )
                )
        for table in hotspot_section(ctx).tables:
            for row in table.rows:
                kinds = [
                    kind
                    for kind in ("emerging", "persistent")
                    if row.get(f"{kind.capitalize()} hotspot") == "Yes"
                ]
                items.append(
                    EvidenceItem(
                        f"hotspot:{row['LSOA']}",
                        f"Hot spot: {row['Name']} ({row['LSOA']})",
                        f"{' and '.join(kinds).capitalize()} hot spot of crime and ASB: "
                        f"{row['This month']} in {ctx.month_label}, {row['12 months']} "
                        "in 12 months (Getis-Ord Gi*).",
                    )
                )
    if not items:
        return Evidence(month, (), f"No exceedance or hot spot in {ctx.month_label}.")
    return Evidence(month, tuple(items))
