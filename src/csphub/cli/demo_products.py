"""The products ``csphub demo`` writes for its borough: the Strategic Assessment and the
Serious Violence needs assessment of the last 12 loaded months, the tasking pack of the
last month and the ASB report of the last whole quarter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from csphub.analysis.store_inputs import loaded_months, shift_month
from csphub.cli.output import note
from csphub.cli.products import write_outputs
from csphub.reports.casework.hub import HubSource
from csphub.reports.document import Report, Stopwatch
from csphub.store import Store


def last_quarter(month: str) -> str:
    """The last calendar quarter that ends in or before ``month`` (``YYYY-Qn``)."""
    y, m = int(month[:4]), int(month[5:])
    q = m // 3
    return f"{y}-Q{q}" if q else f"{y - 1}-Q4"


def plan(
    store: Store, area: str, hub_dir: Path | None = None
) -> list[tuple[str, str, Callable[[Stopwatch], Report]]]:
    """(label, folder, build) for each product, from the months the store holds; the
    tasking pack and the ASB report with the casework of the hub in ``hub_dir``."""
    from csphub.reports.asb import build_report
    from csphub.reports.assess import build_assessment
    from csphub.reports.svd import build_needs
    from csphub.reports.tasking import build_pack

    hub = HubSource.of(hub_dir, None)
    last = loaded_months(store)[-1]
    period = f"{shift_month(last, -11)}..{last}"
    quarter = last_quarter(last)
    return [
        (
            f"Strategic Assessment {period}",
            "strategic-assessment",
            lambda w: build_assessment(store, area, period, stopwatch=w),
        ),
        (
            f"Serious Violence needs assessment {period}",
            "serious-violence-needs-assessment",
            lambda w: build_needs(store, area, period, stopwatch=w),
        ),
        (
            f"TTCG tasking pack {last}",
            f"tasking-{last}",
            lambda w: build_pack(store, last, area, stopwatch=w, hub=hub),
        ),
        (
            f"ASB performance report {quarter}",
            f"asb-report-{quarter}",
            lambda w: build_report(store, quarter, area, stopwatch=w, hub=hub),
        ),
    ]


def write_demo_products(
    store: Store, area: str, out: Path, *, pdf: bool, hub_dir: Path | None = None
) -> list[Path]:
    """Build and write each product, one line each with its time; returns the index pages."""
    pages = []
    products = plan(store, area, hub_dir)
    for i, (label, folder, build) in enumerate(products, start=1):
        start = perf_counter()
        watch = Stopwatch()
        paths = write_outputs(build(watch), out / folder, watch, pdf=pdf)
        outputs = ", ".join(p.name for p in paths if p.parent == out / folder)
        note(f"[{i}/{len(products)}] {label}: {perf_counter() - start:.1f} s ({outputs})")
        note(f"      {paths[0]}")
        pages.append(paths[0])
    return pages
