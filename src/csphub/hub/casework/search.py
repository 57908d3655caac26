"""One search box for people, places and cases: a partial name or alias, a date of birth,
a postcode (whole or its first part), an address or a case reference. Hits the user may
open are returned whole; the others that their role lets them know exist come back as
locked-down hits (that a record exists, who holds it), and nothing else."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from csphub.hub.access.policy import policy
from csphub.hub.casework.models import Case, Person, PersonAddress, PersonAlias, Place, keys
from csphub.hub.casework.types import case_types

LIMIT = 20
#: How many candidates a search considers before the policy filters them.
CAP = 400
_REFERENCE = re.compile(r"^([A-Za-z]{2,3})-?(\d{1,6})$")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_POSTCODE_START = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9]([A-Z]{1,2})?)?$")


@dataclass
class Results:
    query: str
    kind: str  # what the query was read as: name, date of birth, postcode, reference
    people: list[Person] = field(default_factory=list)
    locked_people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    locked_cases: list[Case] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            map(len, (self.people, self.locked_people, self.places, self.cases, self.locked_cases))
        )

    def subjects(self) -> list[tuple[str, int]]:
        return [("person", p.pk) for p in self.people]


def _date(text: str) -> dt.date | None:
    found = _DATE.match(text)
    if not found:
        return None
    day, month, year, iso_year, iso_month, iso_day = found.groups()
    try:
        if iso_year:
            return dt.date(int(iso_year), int(iso_month), int(iso_day))
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _people_by_name(text: str) -> set[int]:
    """Ids of people whose name or an alias contains every word of ``text`` (folded): two
    indexed lookups (trigram indexes on PostgreSQL), joined by id in Python; an OR across
    the two tables would read every person."""
    tokens = keys.fold(text).split()
    if not tokens:
        return set()
    words = Q()
    for token in tokens:
        words &= Q(name_key__contains=token)
    found = Person.objects.filter(words, merged_into__isnull=True)
    ids = set(found.values_list("pk", flat=True)[:CAP])
    ids |= set(PersonAlias.objects.filter(words).values_list("person_id", flat=True)[:CAP])
    return ids


def _split(user: Any, ids: set[int]) -> tuple[list[Person], list[Person]]:
    """The people of ``ids`` the user may open, and (when their role knows cases exist)
    those they may only know of. The policy is asked about these ids only, so a search
    costs the same however many people the hub holds."""
    ids = sorted(ids)[:CAP]
    if not ids:
        return [], []
    visible = set(policy("person").visible(user).filter(pk__in=ids).values_list("pk", flat=True))
    order = ("family_name", "given_name", "pk")
    # One id list per query: two IN lists on one column mislead the planner into reading
    # every person.
    people = Person.objects.filter(merged_into__isnull=True).order_by(*order)
    shown = list(people.filter(pk__in=sorted(visible))[:LIMIT])
    locked: list[Person] = []
    if policy("case").profiles(user).exists():
        hidden = [pk for pk in ids if pk not in visible]
        locked = list(people.filter(pk__in=hidden).select_related("created_agency")[:LIMIT])
    return shown, locked


def _split_cases(user: Any, cases: QuerySet) -> tuple[list[Case], list[Case]]:
    """The cases of ``cases`` the user may open, and those whose locked-down profile they
    may see; the policy is asked about the candidates' ids only."""
    ids = list(cases.values_list("pk", flat=True)[:CAP])
    if not ids:
        return [], []
    visible = set(policy("case").visible(user).filter(pk__in=ids).values_list("pk", flat=True))
    chosen = Case.objects.select_related("lead_agency")
    shown = list(chosen.filter(pk__in=sorted(visible))[:LIMIT])
    hidden = [pk for pk in ids if pk not in visible]
    profiles = set(policy("case").profiles(user).filter(pk__in=hidden).values_list("pk", flat=True))
    locked = list(chosen.filter(pk__in=sorted(profiles))[:LIMIT])
    return shown, locked


def _reference(text: str) -> re.Match | None:
    """``text`` read as a case reference: a case type's prefix, then its number. Without
    the hyphen, text shaped like a postcode district is a postcode ("BW2", "DA1")."""
    squeezed = text.replace(" ", "")
    found = _REFERENCE.match(squeezed)
    if found is None:
        return None
    if found.group(1).upper() not in {t.prefix.upper() for t in case_types().values()}:
        return None
    if "-" not in squeezed and _POSTCODE_START.match(squeezed.upper()):
        return None
    return found


def search(user: Any, query: str) -> Results:
    text = " ".join(query.split())[:100]
    if found := _reference(text):
        reference = f"{found.group(1).upper()}-{int(found.group(2)):06d}"
        out = Results(text, "case reference")
        out.cases, out.locked_cases = _split_cases(user, Case.objects.filter(reference=reference))
        return out
    if (born := _date(text)) is not None:
        out = Results(text, "date of birth")
        born_ids = Person.objects.filter(dob=born, merged_into__isnull=True)
        out.people, out.locked_people = _split(
            user, set(born_ids.values_list("pk", flat=True)[:CAP])
        )
        return out
    upper = text.upper()
    if _POSTCODE_START.match(upper) and any(c.isdigit() for c in upper):
        code = keys.postcode(upper)
        out = Results(text, "postcode")
        place_ids = list(
            Place.objects.filter(postcode__startswith=code).values_list("pk", flat=True)[:CAP]
        )
        if policy("place").visible(user).exists():
            out.places = list(Place.objects.filter(pk__in=place_ids[:LIMIT]))
        residents = PersonAddress.objects.filter(place_id__in=place_ids)
        out.people, out.locked_people = _split(
            user, set(residents.values_list("person_id", flat=True)[:CAP])
        )
        return out
    out = Results(text, "name, address or case title")
    out.people, out.locked_people = _split(user, _people_by_name(text))
    folded = keys.fold(text)
    if folded and policy("place").visible(user).exists():
        out.places = list(
            Place.objects.filter(address_key__contains=folded).order_by("address")[:LIMIT]
        )
    # Titles are searched only among cases the user may open: a locked-down hit is found by
    # its reference or its people, never by words of a title the user cannot read.
    out.cases = _split_cases(user, Case.objects.filter(title__icontains=text))[0]
    return out
