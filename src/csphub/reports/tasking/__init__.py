"""The monthly TTCG tasking pack: exceedances, hotspots, near-repeat alerts and repeats.

:func:`build_pack` reads the evidence store into a :class:`~csphub.reports.document.Report`
(pure: no files written); :mod:`csphub.reports.document` renders it as one accessible,
self-contained ``index.html`` and one CSV per table under ``data/``.
"""

from csphub.reports.tasking.build import build_pack

__all__ = ["build_pack"]
