"""Merging two records of the same person, undoing a merge, and recording that two records
are different people: the only writers of the merge-review queue's decisions.

Never automatic: each is called by a user holding ``person.merge`` (the coordinator),
from the review pages. A merge moves the merged person's case parties, aliases,
identifiers, contacts and addresses to the survivor, adds the merged person's own name as
an alias of the survivor, and keeps the merged row (``merged_into`` set) so that the merge
can be undone. ``PersonMerge.moved`` lists every row id moved, by table: an undo moves
exactly those rows back. Both people are locked (``select_for_update``, in id order so
two merges cannot deadlock) and every change is audited in the same transaction.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.models import (
    CaseParty,
    DuplicateCandidate,
    Person,
    PersonAddress,
    PersonAlias,
    PersonContact,
    PersonIdentifier,
    PersonMerge,
)

MERGE = "person.merge"
#: What moves with a person, each by its ``person`` foreign key.
MOVED: tuple[type[models.Model], ...] = (
    CaseParty,
    PersonAlias,
    PersonIdentifier,
    PersonContact,
    PersonAddress,
)
#: The key in ``PersonMerge.moved`` of the alias the merge added (the merged person's name).
ADDED_ALIAS = "added_alias"


class MergeRefused(Exception):
    """The merge, undo or decision cannot be made: the message says why."""


def _lock(*ids: int) -> dict[int, Person]:
    people = Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {p.pk: p for p in people}


def _subjects(*people: Person) -> list[tuple[str, int]]:
    return [("person", p.pk) for p in people]


def _pair(a: Person, b: Person) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


@transaction.atomic
def merge_people(
    ctx: AuditContext,
    survivor: Person,
    merged: Person,
    *,
    reason: str,
    candidate: DuplicateCandidate | None = None,
) -> PersonMerge:
    """Fold ``merged`` into ``survivor`` (see the module docstring); returns the merge."""
    require(ctx.actor, MERGE)
    reason = (reason or "").strip()
    if not reason:
        raise MergeRefused("say why these records are the same person")
    if survivor.pk == merged.pk:
        raise MergeRefused("a person cannot be merged into themselves")
    locked = _lock(survivor.pk, merged.pk)
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    for person in (survivor, merged):
        if person.merged_into_id is not None:
            raise MergeRefused(f"{person} (record {person.pk}) has already been merged")
    if candidate is not None:
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if (candidate.first_id, candidate.second_id) != _pair(survivor, merged):
            raise MergeRefused("the queued pair is not these two people")
        if candidate.status != "pending":
            raise MergeRefused(f"this pair was already decided: {candidate.get_status_display()}")
    moved: dict[str, list[int]] = {}
    for model in MOVED:
        rows = model.objects.filter(person=merged)
        moved[model._meta.db_table] = sorted(rows.values_list("pk", flat=True))
        rows.update(person=survivor)
    alias = None
    if _new_name(survivor, merged):
        alias = PersonAlias.objects.create(
            person=survivor,
            given_name=merged.given_name,
            family_name=merged.family_name,
            kind="alias",
        )
    moved[ADDED_ALIAS] = [alias.pk] if alias else []
    merge = PersonMerge.objects.create(
        survivor=survivor, merged=merged, moved=moved, reason=reason, merged_by=ctx.actor
    )
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    if candidate is not None:
        candidate.status = "merged"
        candidate.decided_by = ctx.actor
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        Event.UPDATE,
        merge,
        ctx=ctx,
        before={"merged_into": None},
        after={"merged_into": survivor.pk, "moved": moved, "reason": reason},
        subjects=_subjects(survivor, merged),
        object_repr=f"merge of {merged} ({merged.pk}) into {survivor} ({survivor.pk})",
    )
    return merge


def _new_name(survivor: Person, merged: Person) -> bool:
    """Whether the merged person's name is worth keeping as an alias of the survivor (it
    is not already the survivor's own name)."""
    return (survivor.given_name.strip(), survivor.family_name.strip()) != (
        merged.given_name.strip(),
        merged.family_name.strip(),
    )


@transaction.atomic
def undo_merge(ctx: AuditContext, merge: PersonMerge) -> None:
    """Move back exactly the rows ``merge`` moved, remove the alias it added and bring the
    merged person back; the pair, if it was queued, waits for review again. Refused if the
    merge was undone already, if the survivor has since been merged itself (undo that
    merge first), or if a moved row is no longer with the survivor (it was moved or
    deleted since: the undo would not be exact)."""
    require(ctx.actor, MERGE)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeRefused("this merge has already been undone")
    locked = _lock(merge.survivor_id, merge.merged_id)
    survivor, merged = locked[merge.survivor_id], locked[merge.merged_id]
    if merged.merged_into_id != survivor.pk:
        raise MergeRefused(f"{merged} (record {merged.pk}) is no longer merged into {survivor}")
    if survivor.merged_into_id is not None:
        raise MergeRefused(
            f"{survivor} (record {survivor.pk}) has since been merged into another record: "
            "undo that merge first"
        )
    for model in MOVED:
        ids = merge.moved.get(model._meta.db_table, [])
        rows = model.objects.filter(pk__in=ids, person=survivor)
        if rows.count() != len(ids):
            raise MergeRefused(
                f"some {model._meta.verbose_name_plural} moved by this merge are no longer "
                f"with {survivor}: the merge cannot be undone exactly"
            )
        rows.update(person=merged)
    PersonAlias.objects.filter(pk__in=merge.moved.get(ADDED_ALIAS, []), person=survivor).delete()
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = ctx.actor
    merge.save(update_fields=["undone_at", "undone_by"])
    first, second = _pair(survivor, merged)
    DuplicateCandidate.objects.filter(first_id=first, second_id=second, status="merged").update(
        status="pending", decided_by=None, decided_at=None
    )
    record(
        Event.UPDATE,
        merge,
        ctx=ctx,
        before={"merged_into": survivor.pk},
        after={"merged_into": None, "undone": True},
        subjects=_subjects(survivor, merged),
        object_repr=f"undo of the merge of {merged} (record {merged.pk}) into {survivor}",
    )


@transaction.atomic
def mark_distinct(ctx: AuditContext, candidate: DuplicateCandidate) -> None:
    """Record that a queued pair are different people: the pair is not offered again."""
    require(ctx.actor, MERGE)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != "pending":
        raise MergeRefused(f"this pair was already decided: {candidate.get_status_display()}")
    candidate.status = "distinct"
    candidate.decided_by = ctx.actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        Event.UPDATE,
        candidate,
        ctx=ctx,
        before={"status": "pending"},
        after={"status": "distinct"},
        subjects=_subjects(candidate.first, candidate.second),
        object_repr=f"not the same person: records {candidate.first_id} and {candidate.second_id}",
    )
