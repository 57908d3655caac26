"""The assessment in plain English for councillors and residents, and a glossary of the
terms the analysts' sections use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from csphub.reports.assess.measures import AreaTotals, Measures, NoData
from csphub.reports.assess.scoring import Score
from csphub.reports.document.model import Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

GLOSSARY = (
    (
        "Harm (CSS days)",
        "How serious crime is, not only how much: each crime is weighted by "
        "the average prison sentence in days its offence receives (the ONS Crime Severity Score "
        "weights), so one robbery counts for far more than one shoplifting.",
    ),
    (
        "Crime Severity Score",
        "ONS's published measure of harm per resident of an area, from all police-recorded crime.",
    ),
    (
        "LSOA",
        "Lower layer Super Output Area: a small neighbourhood of about 1,500 residents "
        "used for statistics.",
    ),
    ("Ward", "An electoral ward: the area a councillor represents."),
    (
        "Significant",
        "A change too large to be the ordinary ups and downs from month to month "
        "(the chance of a change this large without a real one is under 5%).",
    ),
    (
        "p-value",
        "The chance of a change at least this large if nothing had really changed; "
        "below 0.05 is called significant. Written p < 0.0001 when tiny.",
    ),
    (
        "Poisson E-test",
        "A test of the change between two counts when months vary as much as "
        "chance alone would make them.",
    ),
    (
        "Quasi-Poisson test",
        "The test used instead when months vary more than chance alone "
        "would make them (as crime counts usually do), so ordinary swings are not called rises.",
    ),
    (
        "Dispersion",
        "How many times more counts vary from month to month than chance alone "
        "would make them vary; 1 is chance alone.",
    ),
    (
        "Holm adjustment",
        "A correction for testing many crime types at once, so that a type "
        "is not called significant just because many were tested.",
    ),
    (
        "Hot spot (Gi*)",
        "A neighbourhood that, with its neighbours, has clearly more crime "
        "than the area as a whole (the Getis-Ord Gi* statistic), not one busy street alone.",
    ),
    ("Concentration", "How much of the crime falls in a few neighbourhoods."),
    (
        "Impact, likelihood, score",
        "Impact (1-4) is a priority's share of all harm; likelihood "
        "(1-4) is whether it is rising; the score (1-16) is the two multiplied.",
    ),
    (
        "Pre-pandemic comparison",
        "The same months before COVID-19 restrictions began in March "
        "2020, to tell a return to normal from a real rise.",
    ),
    (
        "Offence pattern",
        "The words csphub looks for in a partner's offence descriptions to "
        "count a priority (written as a search pattern).",
    ),
    (
        "Rows without a location",
        "Police.uk records with no map point: they count towards the "
        "force, but cannot be placed in any neighbourhood.",
    ),
)


def glossary_table() -> Table:
    rows = [{"Term": term, "Meaning": meaning} for term, meaning in GLOSSARY]
    return Table.of("glossary", "Glossary: the terms this assessment uses", rows)


def _direction(test) -> str:
    if test.p_value >= 0.05:
        return "about the same as"
    return "higher than" if test.rate_change > 0 else "lower than"


def plain_summary(
    ctx: Context,
    totals: AreaTotals,
    measured: list[Measures | NoData],
    scores: list[Score],
    threats: pd.DataFrame,
) -> list[str]:
    """A few sentences a councillor can read without the tables."""
    out = []
    if scores:
        names = [s.title.lower() for s in scores[:2]]
        out.append(
            "In plain English: the biggest problems for the partnership, weighing how much "
            f"harm they do and whether they are growing, are {' and '.join(names)}."
        )
    by_id = {m.priority.id: m for m in measured if not isinstance(m, NoData)}
    for s in scores:
        m = by_id[s.priority_id]
        sentence = (
            f"{s.title}: this year's level is {_direction(m.test)} last year's, once the "
            "ordinary ups and downs from month to month are allowed for"
        )
        if m.pre is not None:
            sentence += f", and {_direction(m.pre.test)} the same months before the pandemic"
        out.append(sentence + ".")
    if len(threats):
        names = ", ".join(t.lower() for t in threats["crime_type"])
        out.append(f"Crimes rising by more than chance: {names}.")
    else:
        out.append("No type of crime rose by more than chance.")
    if ctx.pandemic and ctx.pandemic.overlap(list(ctx.previous.months)):
        out.append(
            "Last year was shaped by COVID-19 lockdowns, so some rises are a return towards "
            "normal rather than new problems; the comparison with before the pandemic shows "
            "which."
        )
    return out
