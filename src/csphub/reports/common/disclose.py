"""What a product leaves out, said aloud: police.uk rows without a location are in no area
figure, map or LSOA count, so every product gives their count and share."""

from __future__ import annotations

from csphub.analysis.store_inputs import Period, location_coverage
from csphub.store import Store


def unlocated_text(store: Store, period: Period, where: dict | None = None) -> str:
    """``"1,234 of 13,100 rows (9.4%)"`` without a location in the period (any area)."""
    unlocated, total = location_coverage(store, period, where)
    share = 100 * unlocated / total if total else 0.0
    return f"{unlocated:,} of {total:,} rows ({share:.1f}%)"


def unlocated_sentence(store: Store, period: Period, label: str, where: dict | None = None) -> str:
    """The disclosure sentence for a product's period."""
    return (
        f"Rows without a location: {unlocated_text(store, period, where)} of police.uk data "
        f"for {label} (any area) have no location, so they cannot be placed in an area and "
        "are left out of every area figure, map and LSOA count here; force-wide totals would "
        "include them."
    )
