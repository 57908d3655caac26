"""The casework places in one LSOA and the cases that name them: where a Gi* hot spot on
the TTCG agenda (or any page showing an LSOA) links to its cases.

Places are seen by anyone who knows cases exist (the place policy); each case that names
one is shown through the case policy: opened in full for its lead agency and the agencies
it is shared with, locked down (reference, type, lead agency) for everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_safe

from csphub.hub.access.policy import policy
from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.models import Case, CaseParty, Place

#: Longer than any ONS area code (E01000001): a longer value names no LSOA.
CODE_LENGTH = 9


@dataclass
class PlaceCases:
    """One place of the LSOA with the cases naming it, split by what the user may open."""

    place: Place
    open_cases: list[Case] = field(default_factory=list)
    locked_cases: list[Case] = field(default_factory=list)


def places_in(user, lsoa: str) -> list[PlaceCases]:
    """The places recorded in ``lsoa`` that the user may see, each with its cases."""
    places = policy("place").visible(user).filter(lsoa_code=lsoa).order_by("address", "pk")
    found = {p.pk: PlaceCases(p) for p in places}
    visible = set(policy("case").visible(user).values_list("pk", flat=True))
    parties = (
        CaseParty.objects.filter(place_id__in=found)
        .select_related("case__lead_agency")
        .order_by("case__reference")
    )
    for party in parties:
        entry = found[party.place_id]
        cases = entry.open_cases if party.case_id in visible else entry.locked_cases
        if party.case not in cases:
            cases.append(party.case)
    return list(found.values())


@access(permission("case.profile"))
@require_safe
def places_in_lsoa(request, lsoa: str):
    code = lsoa.strip().upper()[: CODE_LENGTH + 1]
    rows = places_in(request.user, code) if len(code) <= CODE_LENGTH else []
    name = next((r.place.lsoa_name for r in rows if r.place.lsoa_name), "")
    cases = {c.pk for r in rows for c in r.open_cases + r.locked_cases}
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="casework.place",
        object_repr=f"places in LSOA {code}: {len(rows)} places, {len(cases)} cases"[:200],
    )
    context = {"code": code, "name": name, "rows": rows, "case_count": len(cases)}
    return render(request, "hub/casework/lsoa_places.html", context)
