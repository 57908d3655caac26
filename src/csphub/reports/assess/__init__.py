"""The annual Strategic Assessment: priorities ranked by harm and trend, one chapter per
priority, geography, and a method and data appendix.

:func:`build_assessment` reads the evidence store into a
:class:`~csphub.reports.document.Report`; :mod:`csphub.reports.document` writes it as
HTML, PDF, XLSX and CSV.
"""

from csphub.reports.assess.build import build_assessment

__all__ = ["build_assessment"]
