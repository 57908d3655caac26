"""The ``Svg`` result, and the few helpers that write SVG 1.1 markup.

Attributes are written in the order given and numbers through :func:`~.fmt.num`, so the
same drawing is always the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from csphub.reports.svg.fmt import num
from csphub.reports.svg.palette import TEXT

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "'GDS Transport', arial, sans-serif"
FONT_SIZE = 14  # px at the nominal width; nothing is drawn smaller than 12 px
SMALL_SIZE = 12

Attr = str | int | float | None


@dataclass(frozen=True)
class Svg:
    """A finished drawing: the markup, its accessible name and the data behind it.

    ``markup`` is one ``<svg>`` element (no XML declaration) to put inline in HTML.
    ``title`` and ``description`` are also inside it as ``<title>`` and ``<desc>``; a page
    shows ``title`` as the figure caption and ``table`` (one dict per row; the keys are
    the column headings, in order; values are plain Python numbers, strings, booleans or
    None for no data) as the table alternative. ``id`` prefixes every id in the markup.
    """

    markup: str
    title: str
    description: str
    table: list[dict[str, object]] = field(default_factory=list)
    id: str = ""

    @property
    def columns(self) -> list[str]:
        """The table's column headings, in order."""
        return list(self.table[0]) if self.table else []


def slug(text: str, *, max_length: int = 48) -> str:
    """A deterministic id from a title: lower case ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slug("Burglary in Blackpool, 2021–22 (per 1,000 homes)")
    'burglary-in-blackpool-2021-22-per-1-000-homes'
    >>> slug("2022 crime"), slug("Café")
    ('svg-2022-crime', 'cafe')
    """
    letters = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    s = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:max_length].rstrip("-")
    if not s or not s[0].isalpha():
        s = f"svg-{s}".rstrip("-")
    return s


def attrs(values: Mapping[str, Attr]) -> str:
    """`` name="value"`` pairs in order; None values are left out; numbers via ``num``."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            raise TypeError(f"attribute {name} is a bool")
        text = num(float(value)) if isinstance(value, int | float) else str(value)
        parts.append(f" {name}={quoteattr(text)}")
    return "".join(parts)


def el(name: str, values: Mapping[str, Attr] | None = None, *children: str) -> str:
    """One element: ``<name attrs/>`` or ``<name attrs>children</name>``."""
    a = attrs(values or {})
    body = "".join(children)
    return f"<{name}{a}>{body}</{name}>" if body else f"<{name}{a}/>"


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = FONT_SIZE,
    anchor: str = "start",
    bold: bool = False,
    fill: str = TEXT,
) -> str:
    """A ``<text>`` element; ``y`` is the baseline (no ``dominant-baseline``: WeasyPrint)."""
    if size < SMALL_SIZE:
        raise ValueError(f"text smaller than {SMALL_SIZE}px: {size}")
    values: dict[str, Attr] = {
        "x": x,
        "y": y,
        "font-size": size if size != FONT_SIZE else None,
        "text-anchor": anchor if anchor != "start" else None,
        "font-weight": "bold" if bold else None,
        "fill": fill,
    }
    return el("text", values, escape(content))


def group(cls: str, *children: str, **values: Attr) -> str:
    """A ``<g class=...>`` around children (extra attributes as keywords, ``_`` for ``-``)."""
    extra = {k.replace("_", "-"): v for k, v in values.items()}
    return el("g", {"class": cls, **extra}, *children)


def document(
    svg_id: str, title: str, description: str, width: float, height: float, *body: str
) -> str:
    """The root ``<svg>``: role, accessible name and description, explicit size and viewBox."""
    if not title.strip():
        raise ValueError("a chart needs a title (its accessible name)")
    if not description.strip():
        raise ValueError("a chart needs a description")
    root = {
        "xmlns": SVG_NS,
        "version": "1.1",
        "id": svg_id,
        "width": width,
        "height": height,
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "role": "img",
        "aria-labelledby": f"{svg_id}-title {svg_id}-desc",
        "font-family": FONT_FAMILY,
        "font-size": FONT_SIZE,
    }
    return el(
        "svg",
        root,
        el("title", {"id": f"{svg_id}-title"}, escape(title)),
        el("desc", {"id": f"{svg_id}-desc"}, escape(description)),
        *body,
    )


def resolve_id(svg_id: str | None, title: str) -> str:
    """The explicit id when given (checked), else a slug of the title."""
    sid = svg_id or slug(title)
    if sid != slug(sid):
        raise ValueError(f"id {sid!r} must be lower case letters, digits and hyphens")
    return sid


def finish(
    sid: str,
    title: str,
    description: str,
    width: float,
    height: float,
    body: list[str],
    table: list[dict[str, object]],
) -> Svg:
    """Wrap the body in the root element and return the :class:`Svg`."""
    markup = document(sid, title, description, width, height, *body)
    return Svg(markup=markup, title=title, description=description, table=table, id=sid)
