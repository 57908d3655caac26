"""p-values for people: exactly (three significant figures) in tables, "< 0.0001" in text,
and never "0".

The E-test sums Poisson probabilities over counts holding all but 1e-15 of each tail, so a
p-value below 1e-15 is beyond its precision: tables show it as 1e-15 and the method text
says so; other tests' p-values are shown as computed.
"""

from __future__ import annotations

#: Below this a computed p-value is shown as this (the E-test's precision).
P_FLOOR = 1e-15
#: Below this the text says "p < 0.0001".
TEXT_FLOOR = 0.0001


def p_table(p: float) -> float:
    """A p-value for a table: three significant figures, at least :data:`P_FLOOR`.

    >>> p_table(0.034101), p_table(2.7e-11), p_table(0.0)
    (0.0341, 2.7e-11, 1e-15)
    """
    return float(f"{max(float(p), P_FLOOR):.3g}")


def p_text(p: float) -> str:
    """A p-value for a sentence: "p < 0.0001", else as printed in the tables.

    >>> p_text(0.034101), p_text(3e-9)
    ('p = 0.0341', 'p < 0.0001')
    """
    return "p < 0.0001" if p < TEXT_FLOOR else f"p = {p_table(p):g}"
