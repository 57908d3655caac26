"""Summary: ASB in the quarter against the same quarter last year and the previous quarter
(counts, change and the dispersion-aware change test of the months), the rate per 1,000
residents, and the headline places and people, in sentences a councillor can read. Every
number is in a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csphub.analysis.pandemic import load_pandemic
from csphub.analysis.trends import change_test
from csphub.reports.asb.people import REPEAT_OFFENDERS, REPEAT_VICTIMS
from csphub.reports.asb.places import HOT_SPOTS, PERSISTENT
from csphub.reports.asb.quarters import quarter_label, quarter_name
from csphub.reports.common.pvalues import p_table, p_text
from csphub.reports.document.model import Section, Table
from csphub.reports.svg import format_number

if TYPE_CHECKING:
    from csphub.analysis.store_inputs import Period
    from csphub.reports.asb.context import Context

ALPHA = 0.05
#: p-values are shown to 4 decimals; smaller ones as "< 0.0001" in the text.
P_FLOOR = "0.0001"  # the text's floor ("p < 0.0001")
LOAD_STREET = "csphub ingest police-uk PATH"


def summary_section(ctx: Context, places: Section, people: Section) -> Section:
    periods = {
        "This quarter": ctx.quarter,
        "Same quarter last year": ctx.shifted(-4),
        "Previous quarter": ctx.shifted(-1),
    }
    rows = [{"Period": role, **ctx.quarter_row(p)} for role, p in periods.items() if ctx.loaded(p)]
    changes = [
        _change_row(role, p, _months(ctx, p), _months(ctx, ctx.quarter))
        for role, p in list(periods.items())[1:]
        if ctx.loaded(p)
    ]
    tables = [Table.of("summary-quarters", f"ASB recorded in {ctx.area.name} by quarter", rows)]
    if changes:
        tables.append(
            Table.of(
                "summary-change",
                f"{ctx.name} against earlier quarters (the test named: quasi-Poisson where the "
                "months vary more than Poisson counts would, else the Poisson E-test)",
                changes,
            )
        )
    paragraphs = [_headline(ctx, rows[0])]
    for role, period in list(periods.items())[1:]:
        change = next((c for c in changes if c["Compared with"] == role.lower()), None)
        paragraphs.append(_change_sentence(change, role, period))
    paragraphs.append(
        "ASB is seasonal (more in spring and summer), so the comparison with the same "
        "quarter last year is the fairer test of a real change."
    )
    if caveat := _pandemic_caveat(ctx, [p for p in periods.values() if ctx.loaded(p)]):
        paragraphs.append(caveat)
    paragraphs += _places_sentences(places) + _people_sentences(people)
    return Section("summary", "Summary", tuple(paragraphs), tuple(tables))


def _pandemic_caveat(ctx: Context, periods: list[Period]) -> str | None:
    """A sentence naming the quarters compared that fall in the COVID-19 restrictions."""
    pandemic = load_pandemic()
    hit = [quarter_name(p) for p in periods if pandemic.overlap(list(p.months))]
    if not hit:
        return None
    return (
        f"Pandemic: COVID-19 restrictions ({pandemic.label()}) changed ASB and its "
        f"reporting (lockdown breaches were reported as ASB); {', '.join(hit)} fell in them, "
        "so changes against them partly measure lockdown and recovery."
    )


def _months(ctx: Context, period: Period) -> list[int]:
    """The period's monthly ASB counts (every month loaded: the caller checks)."""
    return [int(v) for v in ctx.monthly.reindex(list(period.months))]


def _change_row(role: str, period: Period, before: list[int], now: list[int]) -> dict[str, Any]:
    test = change_test(before, now)
    return {
        "Compared with": role.lower(),
        "Quarter": quarter_label(period),
        "Earlier count": sum(before),
        "This quarter": sum(now),
        "Change": sum(now) - sum(before),
        "Test": test.test,
        "p": p_table(test.p_value),
        "Significant at 5%": "Yes" if test.p_value < ALPHA else "No",
    }


def _headline(ctx: Context, row: dict[str, Any]) -> str:
    text = (
        f"Police recorded {format_number(row['ASB incidents'])} anti-social behaviour "
        f"incidents in {ctx.area.name} in {ctx.name} ({ctx.label})"
    )
    rate = row.get("Rate per 1,000 residents")
    if rate is not None:
        return text + f": {format_number(rate, 2)} for every 1,000 residents."
    return text + ". No population is loaded, so no rate per resident is given."


def _change_sentence(change: dict[str, Any] | None, role: str, period: Period) -> str:
    label = f"{role.lower()} ({quarter_name(period)})"
    if change is None:
        return (
            f"The {label} is not loaded, so no comparison is made with it: load those "
            f"months with {LOAD_STREET}."
        )
    diff = change["Change"]
    if diff == 0:
        size = f"the same number as in the {label}"
    else:
        size = (
            f"{format_number(abs(diff))} {'more' if diff > 0 else 'fewer'} than the "
            f"{format_number(change['Earlier count'])} in the {label}"
        )
    p = p_text(change["p"]).removeprefix("p ")
    test = change["Test"]
    if change["Significant at 5%"] == "Yes":
        verdict = f"a statistically significant change ({test} p {p}), unlikely to be chance"
    else:
        verdict = (
            f"not a statistically significant change ({test} p {p}): a difference this "
            "size can happen by chance"
        )
    return f"That is {size}: {verdict}."


def find_table(section: Section, table_id: str) -> Table | None:
    """The table ``table_id`` in a section or its subsections, if there is one."""
    return next((t for t in section.all_tables() if t.id == table_id), None)


def _measure(table: Table | None, measure: str) -> Any:
    if table is None:
        return None
    return next((r["Value"] for r in table.rows if r["Measure"] == measure), None)


def _places_sentences(places: Section) -> list[str]:
    top = find_table(places, "top-lsoas")
    if top is None or not top.rows:
        return []
    first = top.rows[0]
    out = [
        f"The most ASB was recorded in {first['Name']} ({first['LSOA']}): "
        f"{format_number(first['ASB incidents'])} incidents."
    ]
    glance = find_table(places, "places-summary")
    hot = _measure(glance, HOT_SPOTS)
    if hot is not None:
        out.append(
            _how_many(hot, "LSOA is a significant", "LSOAs are significant")
            + f" ASB {'hotspot' if hot == 1 else 'hotspots'} (Getis-Ord Gi*): see Problem places."
            if hot
            else "No LSOA is a significant ASB hotspot (Getis-Ord Gi*)."
        )
    persistent = _measure(glance, PERSISTENT)
    if persistent:
        out.append(
            _how_many(persistent, "police.uk map location is a", "police.uk map locations are")
            + f" persistent problem {'place' if persistent == 1 else 'places'}, among the "
            "busiest quarter after quarter."
        )
    return out


def _how_many(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def _people_sentences(people: Section) -> list[str]:
    if people.unavailable:
        return [f"Problem people: {people.unavailable}"]
    glance = find_table(people, "people-summary")
    victims = _measure(glance, REPEAT_VICTIMS)
    offenders = _measure(glance, REPEAT_OFFENDERS)
    if victims is None or offenders is None:
        return []
    return [
        f"In the partner extracts, {format_number(victims)} people were the victim or "
        f"complainant of two or more ASB reports in the quarter, and "
        f"{format_number(offenders)} alleged perpetrators were named in two or more "
        "(counting each agency's record)."
    ]
