"""The PDF of a report: the same HTML page, every table unfolded, laid out by WeasyPrint.

WeasyPrint draws the inline SVG itself, so charts and maps in the PDF are the ones in the
HTML. It needs the Pango library from the operating system; without it :class:`PdfError`
says what to install and the other outputs are still written.
"""

from __future__ import annotations

from pathlib import Path

from csphub.reports.document.html import render_html
from csphub.reports.document.model import Report


class PdfError(RuntimeError):
    """The PDF could not be made (one line saying why)."""


def write_pdf(report: Report, path: Path) -> Path:
    """Write ``path`` and return it."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfError(
            f"PDF not written: WeasyPrint could not start ({exc}). On Debian or Ubuntu, "
            "install the Pango library: apt install libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=render_html(report, for_print=True)).write_pdf(path)
    return path
