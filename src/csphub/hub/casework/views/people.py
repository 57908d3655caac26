"""People and places on a case, the person page and the place page. Adding a person
first shows the likely matches already known (linking one is the usual outcome); only
then is a new record made."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csphub.hub.access import reasons
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SCOPED, access
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.forms import (
    AddressForm,
    ContactForm,
    LinkPersonForm,
    PersonForm,
    PlaceForm,
)
from csphub.hub.casework.matching import likely_matches
from csphub.hub.casework.models import CaseParty
from csphub.hub.casework.places import nearby
from csphub.hub.casework.services import cases as case_services
from csphub.hub.casework.services import people as services
from csphub.hub.casework.views.cases import _case, _opened

GET_POST = ["GET", "POST"]


def _alias(text: str) -> tuple[str, str]:
    """ "Jonny Smith" as (given, family); one word is a given name."""
    given, _, family = text.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def _split_matches(request, found):
    """Likely matches the user may open, and those they may only know exist."""
    visible = set(
        policy("person")
        .visible(request.user)
        .filter(pk__in=[m.person.pk for m in found])
        .values_list("pk", flat=True)
    )
    return [m for m in found if m.person.pk in visible], [
        m for m in found if m.person.pk not in visible
    ]


@access(SCOPED)
@require_http_methods(GET_POST)
def case_person_add(request, pk):
    case = _case(request, pk, "case.update")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = PersonForm(request.POST or None)
    context = {"case": case, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        aliases = [_alias(data["alias"])] if data["alias"] else []
        if not data.get("confirmed"):
            found = likely_matches(
                data["given_name"],
                data["family_name"],
                dob=data.get("dob"),
                postcode=data.get("postcode", ""),
                aliases=aliases,
            )
            if found:
                linkable, locked = _split_matches(request, found)
                record(
                    Event.SEARCH,
                    ctx=audit_context(request),
                    object_type="casework.person",
                    object_repr=f"likely matches for a person on {case.reference}: {len(found)}",
                    subjects=[("person", m.person.pk) for m in linkable],
                )
                form.data = form.data.copy()
                form.data["confirmed"] = "on"
                context |= {"matches": linkable, "locked": locked, "role": data["role"]}
                return render(request, "hub/casework/person_matches.html", context)
        ctx = audit_context(request)
        place = None
        person = services.create_person(
            ctx,
            given_name=data["given_name"],
            family_name=data["family_name"],
            dob=data.get("dob"),
            age_band=data.get("age_band", ""),
            gender=data.get("gender", ""),
            child=data.get("child", False),
            vulnerable_adult=data.get("vulnerable_adult", False),
            sensitivity=data["sensitivity"],
            aliases=aliases,
            identifiers=[(data["identifier_scheme"], data["identifier"])]
            if data.get("identifier")
            else [],
            address=place,
        )
        case_services.add_party(ctx, case, role=data["role"], person=person)
        messages.success(request, f"{person} added to the case.")
        return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/person_add.html", context)


@access(SCOPED)
@require_POST
def case_person_link(request, pk):
    case = _case(request, pk, "case.update")
    form = LinkPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the person to link, and their part in the case.")
        return redirect("case-person-add", pk=case.pk)
    person = policy("person").get(request.user, form.cleaned_data["person"])
    try:
        case_services.add_party(
            audit_context(request), case, role=form.cleaned_data["role"], person=person
        )
    except ValueError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"{person} linked to the case.")
    return redirect("case-detail", pk=case.pk)


@access(SCOPED)
@require_http_methods(GET_POST)
def case_place_add(request, pk):
    case = _case(request, pk, "case.update")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ctx = audit_context(request)
        place = services.place_for(ctx, **data)
        try:
            case_services.add_party(ctx, case, role="place_of_concern", place=place)
        except ValueError as problem:
            form.add_error("address", str(problem))
        else:
            messages.success(request, f"{place} added to the case.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/place_add.html", {"case": case, "form": form})


@access(SCOPED)
@require_safe
def person_detail(request, pk):
    person = policy("person").get(request.user, pk)
    if (asked := _opened_person(request, person)) is not None:
        return asked
    cases = policy("case")
    parties = CaseParty.objects.filter(person=person).select_related("case__lead_agency")
    visible = set(cases.visible(request.user).values_list("pk", flat=True))
    profiles = set(cases.profiles(request.user).values_list("pk", flat=True))
    context = {
        "person": person,
        "open_parties": [p for p in parties if p.case_id in visible],
        "locked_parties": [
            p for p in parties if p.case_id not in visible and p.case_id in profiles
        ],
        "aliases": person.aliases.all(),
        "identifiers": person.identifiers.all(),
        "addresses": person.addresses.select_related("place"),
        "contacts": person.contacts.all(),
        "can_update": policy("person").can(request.user, "case.update", person),
    }
    return render(request, "hub/casework/person_detail.html", context)


@access(SCOPED)
@require_safe
def place_detail(request, pk):
    place = policy("place").get(request.user, pk)
    parties = CaseParty.objects.filter(place=place).select_related("case__lead_agency")
    cases = policy("case")
    visible = set(cases.visible(request.user).values_list("pk", flat=True))
    open_parties = [p for p in parties if p.case_id in visible]
    record(Event.VIEW, place, ctx=audit_context(request))
    context = {
        "place": place,
        "open_parties": open_parties,
        "locked_parties": [p for p in parties if p.case_id not in visible],
        "nearby": nearby(place),
    }
    return render(request, "hub/casework/place_detail.html", context)


def _opened_person(request, person):
    """A restricted person asks why first (the redirect is returned); a GET writes the
    view row naming them, with the reason."""
    reason = reasons.reason_for(request, policy("person"), person)
    if reason is None:
        return reasons.ask(request, policy("person"), person)
    if request.method == "GET":
        record(
            Event.VIEW,
            person,
            ctx=audit_context(request),
            justification=reason,
            subjects=[("person", person.pk)],
        )
    return None


def _person_to_update(request, pk):
    """The person (404 out of sight, 403 when seen but not the user's to update) and,
    for a restricted person not yet explained, the redirect to the reason page."""
    person = policy("person").get(request.user, pk, "case.update")
    return person, _opened_person(request, person)


@access(SCOPED)
@require_http_methods(GET_POST)
def person_address(request, pk):
    person, asked = _person_to_update(request, pk)
    if asked is not None:
        return asked
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        when = {k: data.pop(k) for k in ("kind", "from_date", "to_date")}
        ctx = audit_context(request)
        place = services.place_for(ctx, **data)
        try:
            services.add_address(ctx, person, place, **when)
        except ValueError as problem:
            form.add_error("to_date", str(problem))
        else:
            messages.success(request, f"Address added: {place}.")
            return redirect("person-detail", pk=person.pk)
    return render(request, "hub/casework/person_address.html", {"person": person, "form": form})


@access(SCOPED)
@require_http_methods(GET_POST)
def person_contact(request, pk):
    person, asked = _person_to_update(request, pk)
    if asked is not None:
        return asked
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contact(audit_context(request), person, **form.cleaned_data)
        messages.success(request, "Contact details added.")
        return redirect("person-detail", pk=person.pk)
    return render(request, "hub/casework/person_contact.html", {"person": person, "form": form})
