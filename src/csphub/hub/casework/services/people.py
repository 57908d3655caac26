"""Recording people and places: checked, validated, saved and audited in one transaction.
A person's likely duplicates are found before they are created (:mod:`..matching`); the
caller shows them and the user links the existing person or goes on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csphub.hub.access.acting import acting
from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import (
    Person,
    PersonAddress,
    PersonAlias,
    PersonContact,
    PersonIdentifier,
    Place,
)
from csphub.hub.casework.places import locate

CREATE = "case.create"


def _agency(ctx: AuditContext):
    require(ctx.actor, CREATE)
    agency_id = acting(ctx.actor).agency_id
    if agency_id is None:
        raise PermissionDenied("act for an agency to record people and places")
    return agency_id


@transaction.atomic
def create_person(
    ctx: AuditContext,
    *,
    given_name: str,
    family_name: str,
    dob: dt.date | None = None,
    age_band: str = "",
    gender: str = "",
    child: bool = False,
    vulnerable_adult: bool = False,
    sensitivity: str = "standard",
    aliases: Iterable[tuple[str, str]] = (),
    identifiers: Iterable[tuple[str, str]] = (),
    address: Place | None = None,
) -> Person:
    agency_id = _agency(ctx)
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        dob=dob,
        age_band="" if dob else age_band,
        gender=gender,
        child=child,
        vulnerable_adult=vulnerable_adult,
        sensitivity=sensitivity,
        created_agency_id=agency_id,
        created_by=ctx.actor,
    )
    person.full_clean(exclude=["name_key", "family_sound", "given_sound"])
    person.save()
    for given, family in aliases:
        if given.strip() or family.strip():
            PersonAlias.objects.create(
                person=person, given_name=given.strip(), family_name=family.strip()
            )
    for scheme, value in identifiers:
        if value.strip():
            PersonIdentifier.objects.create(
                person=person, scheme=scheme, value=value.strip(), agency_id=agency_id
            )
    if address is not None:
        PersonAddress.objects.create(person=person, place=address, from_date=None)
    record(Event.CREATE, person, ctx=ctx, after=snapshot(person), subjects=[("person", person.pk)])
    return person


@transaction.atomic
def add_alias(
    ctx: AuditContext, person: Person, *, given_name: str, family_name: str
) -> PersonAlias:
    from csphub.hub.access.policy import policy

    policy("person").require(ctx.actor, "case.update", person)
    alias = PersonAlias(
        person=person, given_name=given_name.strip(), family_name=family_name.strip()
    )
    alias.full_clean(exclude=["name_key", "family_sound", "person"])
    alias.save()
    record(Event.CREATE, alias, ctx=ctx, after=snapshot(alias), subjects=[("person", person.pk)])
    return alias


@transaction.atomic
def create_place(
    ctx: AuditContext,
    *,
    address: str,
    postcode: str = "",
    name: str = "",
    town: str = "",
    uprn: int | None = None,
    longitude: float | None = None,
    latitude: float | None = None,
) -> Place:
    agency_id = _agency(ctx)
    place = Place(
        name=name.strip(),
        address=address.strip(),
        town=town.strip(),
        postcode=postcode,
        uprn=uprn,
        longitude=longitude,
        latitude=latitude,
        created_agency_id=agency_id,
        created_by=ctx.actor,
    )
    if longitude is not None and latitude is not None:
        found = locate(longitude, latitude)
        if found is not None:
            place.lsoa_code, place.lsoa_name = found.lsoa_code, found.lsoa_name
            place.ward_code, place.ward_name = found.ward_code, found.ward_name
    place.full_clean(exclude=["address_key"])
    place.save()
    record(Event.CREATE, place, ctx=ctx, after=snapshot(place))
    return place


def place_for(ctx: AuditContext, **fields) -> Place:
    """The place with this UPRN when one is recorded, else a new place from ``fields``:
    one address, one record."""
    uprn = fields.get("uprn")
    existing = Place.objects.filter(uprn=uprn).first() if uprn else None
    return existing or create_place(ctx, **fields)


@transaction.atomic
def add_address(
    ctx: AuditContext,
    person: Person,
    place: Place,
    *,
    kind: str = "home",
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
) -> PersonAddress:
    """An address over time: where the person lived or stays, from and to."""
    from csphub.hub.access.policy import policy

    policy("person").require(ctx.actor, "case.update", person)
    if from_date and to_date and to_date < from_date:
        raise ValueError("the address cannot end before it starts")
    row = PersonAddress(person=person, place=place, kind=kind, from_date=from_date, to_date=to_date)
    row.full_clean()
    row.save()
    record(Event.CREATE, row, ctx=ctx, after=snapshot(row), subjects=[("person", person.pk)])
    return row


@transaction.atomic
def add_contact(
    ctx: AuditContext, person: Person, *, kind: str, value: str, note: str = ""
) -> PersonContact:
    from csphub.hub.access.policy import policy

    policy("person").require(ctx.actor, "case.update", person)
    row = PersonContact(person=person, kind=kind, value=value.strip(), note=note.strip())
    row.full_clean()
    row.save()
    record(Event.CREATE, row, ctx=ctx, after=snapshot(row), subjects=[("person", person.pk)])
    return row
