"""Charts and maps as plain SVG 1.1, drawn on the server, the same in HTML and in PDF.

Why our own few hundred lines rather than a plotting library:

* **Accessibility markup.** Every drawing is ``<svg role="img" aria-labelledby=...>`` with
  ``<title>`` and ``<desc>`` first, and returns the data behind it as a table for the page's
  text alternative. matplotlib's SVG backend writes neither role nor accessible name, draws
  text as glyph paths by default and cannot say which shape is which unit; Vega, Plotly and
  Leaflet need JavaScript in the page (and Leaflet needs map tiles from the internet).
* **What WeasyPrint draws.** WeasyPrint renders inline SVG itself and supports a subset:
  explicit ``width``/``height``/``viewBox``, presentation attributes, simple patterns,
  no CSS variables, no ``foreignObject``, no ``dominant-baseline``. Writing the markup
  ourselves keeps every chart inside that subset, so the PDF matches the HTML.
* **Size.** A map of 94 LSOAs simplified to one pixel is about 30 KB; matplotlib's is
  several times larger and it would add a 40 MB dependency for five chart types.
* **Determinism.** The same input gives the same bytes (ordered attributes, fixed number
  formatting, ids from the title, no timestamps or random ids), so outputs can be
  checksummed, diffed and tested.

Colour is never the only cue: series differ by dash and point shape, markers by shape,
highlighted bars are hatched and bold, hotspots are outlined, cold spots dotted and
no-data areas hatched. Text is at least 12 px (14 px mostly) at the nominal width of
640 px, which fits a GOV.UK two-thirds column and an A4 page; fonts are
``'GDS Transport', arial, sans-serif`` and nothing is fetched.

Functions
---------
:func:`line_chart`, :func:`bar_chart`, :func:`choropleth`, :func:`hotspot_map` return an
:class:`Svg`; :func:`classify` gives the choropleth classes; :func:`format_number` formats
numbers the way the drawings do, for the table alternative.
"""

from csphub.reports.svg.bar import bar_chart
from csphub.reports.svg.classify import Classification, classify, equal_breaks, quantile_breaks
from csphub.reports.svg.document import Svg, slug
from csphub.reports.svg.fmt import format_number
from csphub.reports.svg.line import line_chart
from csphub.reports.svg.maps import choropleth, hotspot_map

__all__ = [
    "Classification",
    "Svg",
    "bar_chart",
    "choropleth",
    "classify",
    "equal_breaks",
    "format_number",
    "hotspot_map",
    "line_chart",
    "quantile_breaks",
    "slug",
]
