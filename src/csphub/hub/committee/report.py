"""The committee overview report as a :class:`~csphub.reports.document.Report`, built from
plain data (no database here): purpose, membership, priorities with their lead groups, the
groups and their work in the period, progress on actions, and what exempt information was
withheld.

Two versions. ``public`` leaves out every item marked exempt (decisions, agenda items,
actions), counts included, and says how many items were withheld. ``full`` keeps them and
marks each one :data:`EXEMPT_MARK`. The hub page and the PDF both render this one
``Report``, so they say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from csphub.reports.document import Report, Section, Table

VERSIONS = ("public", "full")
EXEMPT_MARK = "Exempt information: not for publication"
#: What the public version prints where an exempt agenda item or decision stands.
WITHHELD = "Exempt item withheld"
STATE_ORDER = ("open", "in_progress", "blocked", "done", "cancelled")
STATE_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "done": "Done",
    "cancelled": "Cancelled",
}


@dataclass(frozen=True)
class AgencyRow:
    name: str
    kind: str  # its label, e.g. "Police"
    statutory: bool


@dataclass(frozen=True)
class PriorityRow:
    order: int
    title: str
    lead_group: str  # "" when no group leads
    coverage: str = ""


@dataclass(frozen=True)
class Item:
    """An agenda item or decision: its text and whether it is exempt."""

    text: str
    exempt: bool = False


@dataclass(frozen=True)
class MeetingRow:
    title: str
    date: dt.date
    agenda: tuple[Item, ...] = ()
    decisions: tuple[Item, ...] = ()


@dataclass(frozen=True)
class GroupRow:
    name: str
    kind: str  # its label
    cadence: str
    purpose: str
    parent: str = ""
    chair: str = ""
    agencies: tuple[str, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()  # held in the period, oldest first


@dataclass(frozen=True)
class ActionRow:
    title: str
    group: str
    owner_agency: str
    due: dt.date
    state: str  # a lifecycle state code
    overdue: bool
    exempt: bool = False


@dataclass(frozen=True)
class Overview:
    partnership: str
    generated: dt.date
    period_start: dt.date
    period_end: dt.date
    plan_name: str = ""
    plan_period: str = ""
    agencies: tuple[AgencyRow, ...] = ()
    priorities: tuple[PriorityRow, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    actions: tuple[ActionRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Withheld:
    decisions: int = 0
    agenda_items: int = 0
    actions: int = 0

    @property
    def total(self) -> int:
        return self.decisions + self.agenda_items + self.actions


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def withheld(overview: Overview) -> Withheld:
    """How many exempt items the public version leaves out."""
    meetings = [m for g in overview.groups for m in g.meetings]
    return Withheld(
        decisions=sum(d.exempt for m in meetings for d in m.decisions),
        agenda_items=sum(i.exempt for m in meetings for i in m.agenda),
        actions=sum(a.exempt for a in overview.actions),
    )


def _text(item_text: str, exempt: bool, full: bool = True) -> str:
    """The item's text; exempt, marked (full version) or withheld in its place (public)."""
    if not exempt:
        return item_text
    return f"{EXEMPT_MARK}: {item_text}" if full else WITHHELD


def build_report(overview: Overview, version: str = "public") -> Report:
    if version not in VERSIONS:
        raise ValueError(f"version {version!r}: choose public or full")
    full = version == "full"
    kept_actions = tuple(a for a in overview.actions if full or not a.exempt)
    sections = (
        _purpose(overview, version),
        _membership(overview),
        _priorities(overview),
        _groups(overview, full),
        _actions(kept_actions, full),
        _exempt(overview, full),
    )
    label = "full version, includes exempt information" if full else "public version"
    return Report(
        title=f"Community Safety Partnership overview, {_date(overview.generated)}",
        area_code=label,  # shown beside the partnership's name: which version this is
        area_name=overview.partnership,
        period=f"{overview.period_start.isoformat()}..{overview.period_end.isoformat()}",
        sections=sections,
        slug=f"committee-report-{version}-{overview.generated.isoformat()}",
        parameters={"version": version},
    )


def _purpose(o: Overview, version: str) -> Section:
    paragraphs = [
        "To provide an overview of the Community Safety Partnership (CSP), its priorities "
        "and its work, so that members can ask questions and identify any future scrutiny.",
        f"Date: {_date(o.generated)}. This report was generated by csphub from the "
        f"partnership's records; its work section covers meetings held from "
        f"{_date(o.period_start)} to {_date(o.period_end)}.",
    ]
    if version == "full":
        paragraphs.append(
            f"This is the full version. It includes exempt information, each item marked "
            f"“{EXEMPT_MARK}”: it must not be published."
        )
    else:
        paragraphs.append(
            "This is the public version: any exempt information is left out (see the "
            "section Exempt information)."
        )
    return Section("purpose", "Purpose of the report", paragraphs=tuple(paragraphs))


def _membership(o: Overview) -> Section:
    statutory = [a for a in o.agencies if a.statutory]
    opted = [a for a in o.agencies if not a.statutory]
    paragraphs = [
        f"The partnership has {_plural(len(statutory), 'statutory member')}"
        + (f" and {_plural(len(opted), 'agency', 'agencies')} opted in" if opted else "")
        + "; other organisations may be opted in from the public, private, voluntary and "
        "community sectors as required.",
    ]
    rows = [
        {
            "Agency": a.name,
            "Kind": a.kind,
            "Membership": "Statutory member" if a.statutory else "Opted in",
        }
        for a in (*statutory, *opted)
    ]
    table = Table.of(
        "membership", "Members of the partnership", rows, ("Agency", "Kind", "Membership")
    )
    return Section(
        "membership",
        "Membership",
        paragraphs=tuple(paragraphs),
        tables=(table,) if rows else (),
        unavailable=None if rows else "No agencies have been recorded.",
    )


def _priorities(o: Overview) -> Section:
    if not o.priorities:
        return Section("priorities", "Priorities", unavailable="No plan has been recorded.")
    rows = [
        {
            "Priority": f"{p.order}. {p.title}",
            "Lead group": p.lead_group or "No group leads",
            "Covers": p.coverage,
        }
        for p in o.priorities
    ]
    return Section(
        "priorities",
        "Priorities",
        paragraphs=(
            f"The priorities of the {o.plan_name} ({o.plan_period}), identified from the "
            "Strategic Assessment, and the group that leads each.",
        ),
        tables=(Table.of("priorities", f"Priorities of the {o.plan_name}", rows),),
    )


def _group_section(i: int, g: GroupRow, full: bool) -> Section:
    facts = [g.purpose] if g.purpose else []
    about = f"{g.kind}, meets {g.cadence.lower()}"
    about += f"; reports to the {g.parent}" if g.parent else ""
    about += f"; chaired by {g.chair}" if g.chair else ""
    facts.append(about + ".")
    if g.agencies:
        facts.append("Agencies: " + ", ".join(g.agencies) + ".")
    held = g.meetings
    facts.append(
        f"{_plural(len(held), 'meeting')} held in the period."
        if held
        else "No meeting was held in the period."
    )
    tables = []
    agenda = [
        {
            "Date": m.date.isoformat(),
            "Meeting": m.title,
            "Agenda item": _text(a.text, a.exempt, full),
        }
        for m in held
        for a in m.agenda
    ]
    if agenda:
        tables.append(Table.of(f"agenda-{i}", f"{g.name}: agenda items", agenda))
    decisions = [
        {"Date": m.date.isoformat(), "Meeting": m.title, "Decision": _text(d.text, d.exempt, full)}
        for m in held
        for d in m.decisions
    ]
    if decisions:
        tables.append(Table.of(f"decisions-{i}", f"{g.name}: decisions", decisions))
    return Section(f"group-{i}", g.name, paragraphs=tuple(facts), tables=tuple(tables))


def _groups(o: Overview, full: bool) -> Section:
    return Section(
        "groups",
        "The groups and their work",
        paragraphs=(
            "Actions and decisions of the board are cascaded to the operational groups: the "
            "Tactical Tasking and Coordination Group and the thematic working groups.",
        ),
        subsections=tuple(_group_section(i, g, full) for i, g in enumerate(o.groups, 1)),
        unavailable=None if o.groups else "No groups have been recorded.",
    )


def _actions(actions: tuple[ActionRow, ...], full: bool) -> Section:
    if not actions:
        return Section("actions", "Progress on actions", unavailable="No actions are recorded.")
    states = Counter(a.state for a in actions)
    overdue = [a for a in actions if a.overdue]
    by_state = [{"State": STATE_LABELS[s], "Actions": states.get(s, 0)} for s in STATE_ORDER] + [
        {"State": "All", "Actions": len(actions)}
    ]
    groups: dict[str, Counter] = {}
    for a in actions:
        c = groups.setdefault(a.group, Counter())
        c[a.state] += 1
        c["overdue"] += a.overdue
    by_group = [
        {
            "Group": name,
            **{STATE_LABELS[s]: c.get(s, 0) for s in STATE_ORDER},
            "Overdue": c.get("overdue", 0),
        }
        for name, c in sorted(groups.items())
    ]
    tables = [
        Table.of("actions-by-state", "Actions by state", by_state),
        Table.of("actions-by-group", "Actions by group and state", by_group),
    ]
    if overdue:
        rows = [
            {
                "Action": _text(a.title, a.exempt),
                "Group": a.group,
                "Owner agency": a.owner_agency,
                "Due": a.due.isoformat(),
            }
            for a in sorted(overdue, key=lambda a: (a.due, a.group, a.title))
        ]
        tables.append(Table.of("actions-overdue", "Overdue actions, oldest first", rows))
    done = states.get("done", 0)
    live = sum(states.get(s, 0) for s in ("open", "in_progress", "blocked"))
    note = (
        f"{_plural(len(actions), 'action')} recorded: {live:,} live, {done:,} done; "
        f"{len(overdue):,} overdue (past their due date and not done or cancelled)."
    )
    if not full:
        note += " Exempt actions are not counted."
    return Section("actions", "Progress on actions", paragraphs=(note,), tables=tuple(tables))


def _exempt(o: Overview, full: bool) -> Section:
    w = withheld(o)
    parts = [
        _plural(n, word)
        for n, word in (
            (w.decisions, "decision"),
            (w.agenda_items, "agenda item"),
            (w.actions, "action"),
        )
        if n
    ]
    if full:
        text = (
            f"This version includes {_plural(w.total, 'exempt item')}"
            + (f" ({', '.join(parts)})" if parts else "")
            + f", each marked “{EXEMPT_MARK}”. It must not be published."
        )
    elif w.total:
        text = (
            f"Does the information include any exempt information? Yes: exempt information "
            f"has been withheld from this version: {_plural(w.total, 'item')} "
            f"({', '.join(parts)})."
        )
    else:
        text = "Does the information include any exempt information? No."
    return Section("exempt", "Exempt information", paragraphs=(text,))
