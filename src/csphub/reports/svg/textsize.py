"""Text widths for layout, without a font engine.

Arial and Helvetica share advance widths (1/1000 em, from Helvetica's AFM). The page font
may be GDS Transport, or a fallback such as DejaVu Sans where Arial is not installed (as on
a bare Debian machine making PDFs), which is up to about 12% wider; widths are padded by
that much so labels do not collide whichever font draws them.
"""

from __future__ import annotations

_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~"
)
_ADVANCE = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_WIDTH = dict(zip(_CHARS, _ADVANCE, strict=True))
_DEFAULT = 600  # anything else (accented letters, dashes): a little wider than average
PAD = 1.12
BOLD = 1.08


def text_width(content: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in px of ``content`` at ``size`` px, padded for fallback fonts.

    Examples
    --------
    >>> round(text_width("Burglary", 14))
    58
    """
    units = sum(_WIDTH.get(ch, _DEFAULT) for ch in content)
    return units / 1000 * size * PAD * (BOLD if bold else 1.0)


def wrap(content: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` px; a single word longer than a line stays whole.

    Examples
    --------
    >>> wrap("Violence and sexual offences", 120, 14)
    ['Violence and', 'sexual offences']
    """
    lines: list[str] = []
    line = ""
    for word in content.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold=bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines
