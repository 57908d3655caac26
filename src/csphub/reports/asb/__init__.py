"""The quarterly ASB performance report: problem people and places for the partnership.

:func:`build_report` reads the evidence store into a :class:`~csphub.reports.document.Report`
(pure: no files written); :mod:`csphub.reports.document` renders it as one accessible,
self-contained ``index.html``, ``asb-report.pdf``, ``tables.xlsx`` and one CSV per table.
"""

from csphub.reports.asb.build import build_report

__all__ = ["build_report"]
