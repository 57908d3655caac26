"""The Serious Violence Strategic Needs Assessment under the Serious Violence Duty: the
profile of serious violence (volumes and trends, where, when, who, weapons, the night-time
economy) from police and A&E data, risk factors from open data, the specified authorities'
data used, the data gaps, and the interventions and cohorts the partnership fills in.

:func:`build_needs` reads the evidence store into a
:class:`~csphub.reports.document.Report`; :mod:`csphub.reports.document` writes it as
HTML, PDF, XLSX and CSV.
"""

from csphub.reports.svd.build import build_needs

__all__ = ["build_needs"]
