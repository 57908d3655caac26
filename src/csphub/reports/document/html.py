"""Render a :class:`Report` as one self-contained HTML page.

The page has inline CSS and inline SVG (nothing fetched, no scripts), ``lang="en-GB"``,
a skip link, one ``h1`` then ``h2``/``h3`` in order, every chart and map followed by its
data table (long ones inside ``<details>`` on screen, open in print), and tables with
captions and scoped headers. The PDF is this same page laid out by WeasyPrint.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files

from csphub.reports.document.model import Figure, Report, Section, Table
from csphub.reports.svg import format_number

#: Tables longer than this after a figure are folded into ``<details>``.
FOLD_ROWS = 15


def stylesheet() -> str:
    return files("csphub.reports.document").joinpath("style.css").read_text(encoding="utf-8")


def _cell(value: object) -> tuple[str, bool]:
    """Text of a cell and whether it is numeric."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("Yes" if value else "No"), False
    if isinstance(value, int):
        return format_number(value), True
    if isinstance(value, float):
        if value and abs(value) < 0.0001:  # a tiny p-value: never print it as 0
            return f"{value:.3g}", True
        decimals = 0 if value.is_integer() else min(len(repr(float(value)).partition(".")[2]), 4)
        return format_number(value, decimals), True
    return str(value), False


def render_table(table: Table) -> str:
    numeric = {c: any(_cell(r.get(c))[1] for r in table.rows) for c in table.columns}
    num = " govuk-table__header--numeric"
    head = "".join(
        f'<th scope="col" class="govuk-table__header{num if numeric[c] else ""}">{escape(c)}</th>'
        for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for i, c in enumerate(table.columns):
            text, is_num = _cell(row.get(c))
            cls = "govuk-table__cell" + (" govuk-table__cell--numeric" if is_num else "")
            cls += " app-hash" if c.startswith("SHA-256") else ""
            tag = ("th", ' scope="row"') if i == 0 else ("td", "")
            cells.append(f'<{tag[0]}{tag[1]} class="{cls}">{escape(text)}</{tag[0]}>')
        body.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    # A wide table scrolls inside its wrapper on a narrow screen: the wrapper is a named,
    # focusable region so a keyboard user can scroll it (WCAG 2.1.1).
    tid = escape(table.id)
    return (
        f'<div class="app-table-wrap" role="region" aria-labelledby="caption-{tid}" tabindex="0">'
        f'<table class="govuk-table" id="table-{tid}">'
        f'<caption class="govuk-table__caption" id="caption-{tid}">'
        f"{escape(table.caption)}</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>'
        f'<p class="govuk-body app-csv-link"><a href="data/{tid}.csv">Download this table '
        f"as CSV ({escape(table.id)}.csv)</a></p>"
    )


def render_figure(figure: Figure, *, fold: bool = True) -> str:
    """The drawing and its data table; a long table is folded on screen (``fold``) and, in
    print, named rather than printed (it is in tables.xlsx and data/*.csv)."""
    table = render_table(figure.table)
    long = len(figure.table.rows) > FOLD_ROWS
    if long and not fold:
        tid = escape(figure.table.id)
        table = (
            f'<p class="govuk-body">The {len(figure.table.rows)} rows behind this drawing are '
            f"table {tid} in tables.xlsx and data/{tid}.csv.</p>"
        )
    elif long:
        table = (
            '<details class="govuk-details"><summary class="govuk-details__summary">'
            f"Data behind this drawing: {escape(figure.svg.title)}</summary>"
            f'<div class="govuk-details__text">{table}</div></details>'
        )
    return (
        f"<figure><figcaption>{escape(figure.svg.title)}</figcaption>"
        f'{figure.svg.markup}<p class="govuk-body">{escape(figure.svg.description)}</p>'
        f"</figure>{table}"
    )


def _section_table(table: Table, *, fold: bool) -> str:
    """A table in its section; a reference table folded on screen, named in print."""
    if not table.reference:
        return render_table(table)
    tid = escape(table.id)
    if not fold:
        return (
            f'<p class="govuk-body">{escape(table.caption)}: {len(table.rows)} rows, in '
            f"tables.xlsx and data/{tid}.csv.</p>"
        )
    return (
        '<details class="govuk-details"><summary class="govuk-details__summary">'
        f"{escape(table.caption)}</summary>"
        f'<div class="govuk-details__text">{render_table(table)}</div></details>'
    )


def render_section(section: Section, level: int = 2, *, fold: bool = True) -> str:
    cls = "govuk-heading-l" if level == 2 else "govuk-heading-m"
    parts = [f'<section id="{escape(section.id)}">']
    parts.append(f'<h{level} class="{cls}">{escape(section.title)}</h{level}>')
    if section.unavailable:
        parts.append(f'<div class="govuk-inset-text">{escape(section.unavailable)}</div>')
    parts += [f'<p class="govuk-body">{escape(p)}</p>' for p in section.paragraphs]
    parts += [_section_table(t, fold=fold) for t in section.tables]
    parts += [render_figure(f, fold=fold) for f in section.figures]
    parts += [render_section(s, level + 1, fold=fold) for s in section.subsections]
    parts.append("</section>")
    return "\n".join(parts)


def _marking(report: Report) -> tuple[str, str]:
    """The marking line for the page (top and bottom) and the CSS printing it on every page."""
    marking = report.protective_marking
    if marking is None:
        return "", ""
    line = (
        f'<p class="app-marking"><strong>{escape(marking)}</strong>: this product lists '
        "person, address or event identifiers. Share and store it only as the partnership's "
        "information-sharing agreement allows.</p>\n"
    )
    text = marking.replace("\\", "").replace('"', "")
    css = f'@page {{ @top-center {{ content: "{text}"; font-weight: bold; font-size: 10pt; }} }}\n'
    return line, css


def render_html(report: Report, *, for_print: bool = False) -> str:
    """The whole page as one string. ``for_print`` (the PDF) names long figure tables."""
    contents = "".join(
        f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in report.sections
    )
    sections = "\n".join(render_section(s, fold=not for_print) for s in report.sections)
    marking, page_marking = _marking(report)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)}</title>
<style>
{stylesheet()}{page_marking}</style>
</head>
<body>
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header">csphub</header>
{marking}<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<span class="govuk-caption-l">{escape(report.area_name)} ({escape(report.area_code)})</span>
<h1 class="govuk-heading-xl">{escape(report.title)}</h1>
<nav aria-label="Contents"><h2 class="govuk-heading-s">Contents</h2>
<ul class="govuk-list">{contents}</ul></nav>
{sections}
</main>
</div>
<footer class="govuk-footer">Draft generated by csphub from the evidence store. Every
number on this page is in a table, and every table is in the data folder as CSV.</footer>
{marking}
</body>
</html>
"""
