"""The monthly TTCG tasking pack: exceedances, hotspots, near-repeat alerts and repeats.

:func:`build_pack` reads the evidence store into a :class:`TaskingPack` (pure: no files
written); :func:`write_pack` renders it as one accessible, self-contained ``index.html``
and one CSV per table under ``data/``.
"""

from csphub.reports.tasking.build import build_pack
from csphub.reports.tasking.model import Figure, Section, Stopwatch, Table, TaskingPack
from csphub.reports.tasking.render import render_html, write_pack

__all__ = [
    "Figure",
    "Section",
    "Stopwatch",
    "Table",
    "TaskingPack",
    "build_pack",
    "render_html",
    "write_pack",
]
