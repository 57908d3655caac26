"""Reports as data (:class:`Report` of sections, tables and figures) and their renderings:
accessible self-contained HTML, CSV per table, one XLSX workbook and a PDF."""

from csphub.reports.document.html import render_html
from csphub.reports.document.model import Figure, Report, Section, Stopwatch, Table
from csphub.reports.document.pdf import PdfError, write_pdf
from csphub.reports.document.write import write_csv, write_html_and_csv
from csphub.reports.document.xlsx import write_xlsx

__all__ = [
    "Figure",
    "PdfError",
    "Report",
    "Section",
    "Stopwatch",
    "Table",
    "render_html",
    "write_csv",
    "write_html_and_csv",
    "write_pdf",
    "write_xlsx",
]
