"""Working a case: open it, name its people and places, move it through its type's
lifecycle, share it, assess risk, add to its timeline, close it. Each service checks the
right through the case policy, validates, changes and writes its audit row (naming the
case's people as data subjects) in one transaction; a refused change writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from csphub.hub.access.acting import acting
from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import changed, record, snapshot
from csphub.hub.casework.models import (
    Case,
    CaseParty,
    CaseShare,
    Person,
    Place,
    RiskAssessment,
    SharingAgreement,
    TimelineEntry,
)
from csphub.hub.casework.types import case_type, outcomes, risk_tools
from csphub.hub.workflow import TransitionError

UPDATE, MANAGE = "case.update", "case.manage"
#: The timeline entries a user writes (the others are written by the services).
WRITTEN = ("note", "contact", "incident", "decision", "step")


class EditConflict(ValueError):
    """A change made from a version of the case that is no longer the latest."""


def subjects_of(case: Case) -> list[tuple[str, int]]:
    """The people a case is about, as audit subjects."""
    people = case.parties.filter(person__isnull=False).values_list("person_id", flat=True)
    return [("person", pk) for pk in people]


def _entry(ctx: AuditContext, case: Case, kind: str, text: str, **extra: Any) -> TimelineEntry:
    entry = TimelineEntry(
        case=case,
        kind=kind,
        text=text,
        occurred_at=extra.pop("occurred_at", None) or timezone.now(),
        author=ctx.actor,
        agency_id=acting(ctx.actor).agency_id,
        **extra,
    )
    entry.full_clean()
    entry.save()
    return entry


def _locked(case: Case, version: int | None) -> Case:
    """The case's row, locked; :class:`EditConflict` when ``version`` is stale."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and current.version != version:
        raise EditConflict(
            "Someone else changed this case after you opened it, so your change was not "
            "saved. Reload the page to see theirs, then make yours again."
        )
    return current


@transaction.atomic
def open_case(
    ctx: AuditContext,
    *,
    case_type_code: str,
    title: str,
    summary: str = "",
    owner: Any = None,
    restricted: bool | None = None,
) -> Case:
    """A new case led by the agency the user acts for, in its type's initial state."""
    require(ctx.actor, "case.create")
    who = acting(ctx.actor)
    if who.agency_id is None:
        raise PermissionDenied("act for an agency to open a case")
    kind = case_type(case_type_code)
    owner = owner or ctx.actor
    if not owner.memberships.filter(agency_id=who.agency_id, active=True).exists():
        raise ValueError(f"{owner} is not an active member of {who.agency_name}")
    case = Case(
        reference=f"new-{uuid.uuid4().hex[:16]}",  # replaced below, in this transaction
        case_type=kind.code,
        title=title.strip(),
        summary=summary.strip(),
        state=kind.lifecycle.initial,
        lead_agency_id=who.agency_id,
        owner=owner,
        restricted=kind.restricted if restricted is None else (restricted or kind.restricted),
        created_by=ctx.actor,
    )
    case.full_clean(exclude=["reference"])
    case.save()
    # The reference: the type's prefix (from the types file) and the row's own number,
    # never anything typed by a user.
    case.reference = f"{kind.prefix}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    _entry(ctx, case, "state", f"Opened as {kind.name.lower()}: {case.state_label}.")
    record(Event.CREATE, case, ctx=ctx, after=snapshot(case))
    return case


@transaction.atomic
def add_party(
    ctx: AuditContext,
    case: Case,
    *,
    role: str,
    person: Person | None = None,
    place: Place | None = None,
) -> CaseParty:
    policy("case").require(ctx.actor, UPDATE, case)
    if (person is None) == (place is None):
        raise ValueError("a party is a person or a place")
    if person is not None:
        if person.merged_into_id is not None:
            raise ValueError(f"{person} was merged into another record: add that one")
        if not policy("person").visible(ctx.actor).filter(pk=person.pk).exists():
            raise PermissionDenied("that person is not visible to you")
    party = CaseParty(case=case, person=person, place=place, role=role, added_by=ctx.actor)
    party.full_clean()
    if CaseParty.objects.filter(case=case, person=person, place=place, role=role).exists():
        raise ValueError(f"{person or place} is already on this case as {party.get_role_display()}")
    party.save()
    _entry(ctx, case, "party", f"Added {party.get_role_display().lower()}: {person or place}.")
    record(
        Event.CREATE,
        party,
        ctx=ctx,
        after=snapshot(party),
        subjects=[("person", person.pk)] if person else [],
    )
    return party


@dataclass(frozen=True)
class CaseGuards:
    """The guards a case's lifecycle asks (the listener its machine consults)."""

    closure_reason: str = ""
    outcome: str = ""

    def closure_recorded(self) -> bool:
        return bool(self.closure_reason.strip()) and self.outcome in outcomes()


@transaction.atomic
def move(
    ctx: AuditContext,
    case: Case,
    event: str,
    *,
    version: int | None = None,
    note: str = "",
    closure_reason: str = "",
    outcome: str = "",
) -> Case:
    """Run lifecycle ``event`` on the case (row locked; a stale ``version`` is a conflict).
    Closing needs a reason and an outcome code (the lifecycle's guard)."""
    policy("case").require(ctx.actor, MANAGE, case)
    current = _locked(case, version)
    before = snapshot(current)
    lifecycle = current.type.lifecycle
    was = current.state_label
    step = lifecycle.fire(current, event, CaseGuards(closure_reason, outcome))
    if current.state in lifecycle.finals:
        current.closed_at = timezone.now()
        current.closure_reason, current.outcome = closure_reason.strip(), outcome
    elif current.closed_at is not None:
        current.closed_at = None
    current.version += 1
    current.full_clean()
    current.save()
    text = f"{step.label}: {was} to {current.state_label}."
    if current.outcome and current.closed_at:
        text += f" Outcome: {outcomes()[current.outcome]}. Reason: {current.closure_reason}"
    if note.strip():
        text += f" {note.strip()}"
    _entry(ctx, current, "closure" if current.closed_at else "state", text)
    old, new = changed(before, snapshot(current))
    record(Event.UPDATE, current, ctx=ctx, before=old, after=new, subjects=subjects_of(current))
    return current


@transaction.atomic
def update_case(
    ctx: AuditContext, case: Case, *, version: int | None = None, **fields: Any
) -> Case:
    """Change the title, summary, owner or restriction (not the state: see :func:`move`)."""
    policy("case").require(ctx.actor, MANAGE, case)
    allowed = {"title", "summary", "owner", "restricted"}
    if unknown := set(fields) - allowed:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    current = _locked(case, version)
    owner = fields.get("owner")
    if (
        owner is not None
        and not owner.memberships.filter(agency_id=current.lead_agency_id, active=True).exists()
    ):
        raise ValueError(f"{owner} is not an active member of the lead agency")
    if fields.get("restricted") is False and current.type.restricted:
        raise ValueError(f"a {current.type.name.lower()} case is always restricted")
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    old, new = changed(before, snapshot(current))
    if new:
        current.version += 1
        current.save()
        record(Event.UPDATE, current, ctx=ctx, before=old, after=new, subjects=subjects_of(current))
    return current


@transaction.atomic
def add_entry(
    ctx: AuditContext,
    case: Case,
    *,
    kind: str,
    text: str,
    occurred_at: dt.datetime | None = None,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    """A note, contact, incident, decision or step; a correction points at the entry it
    corrects (which stays as it was)."""
    policy("case").require(ctx.actor, UPDATE, case)
    if kind not in WRITTEN:
        raise ValueError(
            f"a timeline entry is a note, contact, incident, decision or step, not {kind!r}"
        )
    if not text.strip():
        raise ValueError("a timeline entry needs its text")
    if corrects is not None and corrects.case_id != case.pk:
        raise ValueError("a correction belongs to the same case as the entry it corrects")
    if occurred_at is not None and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValueError("a timeline entry cannot be in the future")
    entry = _entry(ctx, case, kind, text.strip(), occurred_at=occurred_at, corrects=corrects)
    record(Event.CREATE, entry, ctx=ctx, after=snapshot(entry), subjects=subjects_of(case))
    return entry


@transaction.atomic
def share(
    ctx: AuditContext,
    case: Case,
    *,
    agency: Agency,
    agreement: SharingAgreement,
    reason: str,
) -> CaseShare:
    """Share the case with ``agency`` under ``agreement``: a disclosure (DPA 2018 s.62),
    recorded with its recipient and the agreement's legal basis."""
    policy("case").require(ctx.actor, MANAGE, case)
    _locked(case, None)
    if agency.pk == case.lead_agency_id:
        raise ValueError(f"{agency} leads this case")
    if not reason.strip():
        raise ValueError("say why the case is shared")
    parties = set(agreement.parties.values_list("pk", flat=True))
    if not {agency.pk, case.lead_agency_id} <= parties:
        raise ValueError(f"{agreement} does not cover sharing between these agencies")
    if agreement.review_date < timezone.localdate():
        raise ValueError(f"{agreement} was due for review on {agreement.review_date:%-d %B %Y}")
    if case.shares.filter(agency=agency, ended_at__isnull=True).exists():
        raise ValueError(f"the case is already shared with {agency}")
    row = CaseShare(
        case=case, agency=agency, agreement=agreement, reason=reason.strip(), shared_by=ctx.actor
    )
    row.full_clean()
    row.save()
    _entry(ctx, case, "share", f"Shared with {agency.name}: {row.reason} ({agreement.title}).")
    record(
        Event.DISCLOSE,
        case,
        ctx=ctx,
        after=snapshot(row),
        subjects=subjects_of(case),
        recipient=agency.name,
        legal_basis=f"{agreement.legal_basis} ({agreement.title})",
        justification=row.reason,
    )
    return row


@transaction.atomic
def end_share(ctx: AuditContext, row: CaseShare) -> CaseShare:
    policy("case").require(ctx.actor, MANAGE, row.case)
    row = CaseShare.objects.select_for_update().get(pk=row.pk)
    if row.ended_at is not None:
        raise ValueError("that share has already ended")
    before = snapshot(row)
    row.ended_at = timezone.now()
    row.save()
    _entry(ctx, row.case, "share", f"Sharing with {row.agency.name} ended.")
    old, new = changed(before, snapshot(row))
    record(Event.UPDATE, row, ctx=ctx, before=old, after=new, subjects=subjects_of(row.case))
    return row


@transaction.atomic
def assess_risk(
    ctx: AuditContext,
    case: Case,
    *,
    answers: dict[str, bool],
    reasons: str,
    person: Person | None = None,
    level: str | None = None,
) -> RiskAssessment:
    """A risk assessment with the case type's tool: the level from the answers (judgement
    may raise it, never lower it), its reasons, and the review date the level sets."""
    policy("case").require(ctx.actor, UPDATE, case)
    code = case.type.risk_tool
    if not code:
        raise ValueError(f"a {case.type.name.lower()} case has no risk tool")
    tool = risk_tools()[code]
    unknown = set(answers) - {q.key for q in tool.questions}
    if unknown:
        raise ValueError(f"{tool.name}: no question {', '.join(sorted(unknown))}")
    score, scored = tool.level_of(answers)
    order = ("standard", "medium", "high")
    chosen = level or scored
    if chosen not in order:
        raise ValueError(f"risk level {chosen!r}: standard, medium or high")
    if order.index(chosen) < order.index(scored):
        raise ValueError(f"the answers score {score} ({scored}): judgement cannot lower it")
    if not reasons.strip():
        raise ValueError("give the reasons for the level")
    if person is not None and not case.parties.filter(person=person).exists():
        raise ValueError(f"{person} is not a party to this case")
    row = RiskAssessment(
        case=case,
        person=person,
        tool=tool.code,
        answers={q.key: bool(answers.get(q.key)) for q in tool.questions},
        score=score,
        level=chosen,
        reasons=reasons.strip(),
        assessed_by=ctx.actor,
        review_due=timezone.localdate() + dt.timedelta(days=tool.review_days[chosen]),
    )
    row.full_clean()
    row.save()
    _entry(ctx, case, "risk", f"Risk assessed with {tool.name}: {chosen} (score {score}).")
    record(Event.CREATE, row, ctx=ctx, after=snapshot(row), subjects=subjects_of(case))
    return row


def review_overdue(assessment: RiskAssessment, today: dt.date | None = None) -> bool:
    """A risk review is overdue when its date has passed and the case is still open."""
    today = today or timezone.localdate()
    return assessment.case.open and assessment.review_due < today


__all__ = [
    "EditConflict",
    "TransitionError",
    "add_entry",
    "add_party",
    "assess_risk",
    "end_share",
    "move",
    "open_case",
    "review_overdue",
    "share",
    "subjects_of",
    "update_case",
]
