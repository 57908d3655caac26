"""Casework's policies: case, person, place and document (the only place their access
rules are written).

- A case is opened (``case.view``) by its lead agency and by agencies it is shared with
  (a live share), as the acting membership's grants reach (``lead``, ``shared``); anyone
  with ``case.profile`` sees its locked-down profile (that it exists, its type, the lead
  agency and whom to contact) and nothing more. A restricted case asks why before it opens.
- A person is seen by whoever can open a case they are a party to, and by the agency that
  recorded them (before any case names them). A merged person is seen only through the
  survivor. A restricted person asks why before the record opens.
- A place (an address) is seen by anyone with ``case.profile``; the cases that name it are
  shown through the case policy.
- A document, risk assessment or timeline entry is seen with its case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from csphub.hub.access.acting import acting
from csphub.hub.access.policy import VIEW, Policy, register
from csphub.hub.casework.models import Case, CaseParty, CaseShare, Document, Person, Place

PROFILE = "case.profile"
SEE = "case.view"
NOTHING = Q(pk__in=[])


def cases_q(user: Any, permission: str, prefix: str = "") -> Q:
    """The condition on a case (at ``prefix``) that ``permission`` reaches for the acting
    membership: ``lead`` the cases its agency leads, ``shared`` those shared with it."""
    who = acting(user)
    reaches = who.reaches(permission)
    if who.agency_id is None or not reaches:
        return NOTHING
    if "partnership" in reaches:
        return Q(**{f"{prefix}pk__isnull": False})
    q = NOTHING
    if "lead" in reaches:
        q |= Q(**{f"{prefix}lead_agency_id": who.agency_id})
    if "shared" in reaches:
        live = CaseShare.objects.filter(agency_id=who.agency_id, ended_at__isnull=True)
        q |= Q(**{f"{prefix}pk__in": live.values("case_id")})
    return q


@register
class CasePolicy(Policy):
    name = "case"
    model = Case

    def where(self, user: Any, verb: str) -> QuerySet:
        return Case.objects.filter(cases_q(user, SEE if verb == VIEW else verb))

    def profiles(self, user: Any) -> QuerySet:
        """The cases whose locked-down profile the user may see (every case, with
        ``case.profile``)."""
        if not acting(user).has(PROFILE):
            return Case.objects.none()
        return Case.objects.all()

    def needs_reason(self, user: Any, obj: Case) -> bool:
        return obj.restricted


@register
class PersonPolicy(Policy):
    name = "person"
    model = Person

    def where(self, user: Any, verb: str) -> QuerySet:
        permission = SEE if verb == VIEW else verb
        who = acting(user)
        if who.agency_id is None or not who.reaches(permission):
            return Person.objects.none()
        # EXISTS, correlated on the person: checked with the party index row by row, so
        # asking about a few people never reads every party of every case the user sees.
        parties = CaseParty.objects.filter(
            cases_q(user, permission, "case__"), person=OuterRef("pk")
        )
        q = Q(Exists(parties))
        if who.reaches(permission) & {"lead", "partnership"}:
            q |= Q(created_agency_id=who.agency_id)
        return Person.objects.filter(q, merged_into__isnull=True)

    def needs_reason(self, user: Any, obj: Person) -> bool:
        return obj.sensitivity == "restricted"


@register
class PlacePolicy(Policy):
    name = "place"
    model = Place

    def where(self, user: Any, verb: str) -> QuerySet:
        if verb == VIEW:
            return Place.objects.all() if acting(user).reaches(PROFILE) else Place.objects.none()
        return Place.objects.all() if acting(user).reaches(verb) else Place.objects.none()


@register
class DocumentPolicy(Policy):
    name = "document"
    model = Document

    def where(self, user: Any, verb: str) -> QuerySet:
        return Document.objects.filter(cases_q(user, SEE if verb == VIEW else verb, "case__"))
