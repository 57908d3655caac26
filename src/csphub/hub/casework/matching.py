"""Likely existing records of a person about to be created (the point of entry).

Two steps, so the check stays fast at hundreds of thousands of people:

1. **Candidates by an indexed lookup (blocking).** Both databases: the same Metaphone key of
   the family name with the same date of birth, the same date of birth, the same Metaphone
   keys of both names, and people who lived at the same postcode. On PostgreSQL also
   ``pg_trgm`` similarity of the folded full name (``name_key``) of people and of aliases,
   through the GIN trigram indexes of migration 0002. SQLite has no trigram index, so
   there the Metaphone key of the family name (of people and aliases) stands in for it: a
   typo that changes the family name's sound is then found only through the date of
   birth or the postcode.
2. **A score for each candidate** in Python (rapidfuzz Jaro-Winkler on family and given
   names, the best pair of names including aliases on either side; the date of birth; a
   shared postcode), with the reasons a person reads.

Merged people (``merged_into`` set) are never candidates. Nothing is merged here: the
caller shows the matches and the user links an existing person or goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from rapidfuzz.distance import JaroWinkler

from csphub.hub.casework.models import Person, PersonAddress, PersonAlias, keys

#: A candidate scoring below this is not offered. Calibrated by hand on the cases in
#: tests/hub/test_casework_matching.py: the same name with a different date of birth and
#: no shared postcode (0.6) is not offered; with an unknown date of birth (0.75) it is.
MIN_SCORE = 0.65
#: Weights of the name, the date of birth and a shared postcode in the score (sum 1).
W_NAME, W_DOB, W_PLACE = 0.6, 0.3, 0.1
#: The date-of-birth part: the same, close (a typo), unknown on either side, different.
DOB_SAME, DOB_CLOSE, DOB_UNKNOWN, DOB_DIFFERENT = 1.0, 0.6, 0.5, 0.0


@dataclass(frozen=True)
class Name:
    """One name of a record (its own or an alias), folded for comparison."""

    shown: str
    given: str
    family: str
    key: str
    family_sound: str
    given_sound: str
    alias: bool = False

    @classmethod
    def of(cls, given: str, family: str, *, alias: bool = False) -> Name:
        return cls(
            shown=f"{given} {family}".strip(),
            given=keys.fold(given),
            family=keys.fold(family),
            key=keys.name_key(given, family),
            family_sound=keys.phonetic(family or given),
            given_sound=keys.phonetic(given),
            alias=alias,
        )


@dataclass(frozen=True)
class Record:
    """What a score compares: names (own first, then aliases), date of birth, postcodes."""

    names: tuple[Name, ...]
    dob: dt.date | None
    postcodes: frozenset[str]

    @classmethod
    def build(
        cls,
        given: str,
        family: str,
        dob: dt.date | None,
        aliases: Iterable[tuple[str, str]] = (),
        postcodes: Iterable[str] = (),
    ) -> Record:
        names = [Name.of(given, family)]
        names += [Name.of(g, f, alias=True) for g, f in aliases if (g or "").strip() or f]
        codes = frozenset(keys.postcode(c) for c in postcodes if (c or "").strip())
        return cls(names=tuple(n for n in names if n.key), dob=dob, postcodes=codes)


@dataclass(frozen=True)
class Match:
    """A person who may be the one being entered: score 0 to 1, and why."""

    person: Person
    score: float
    reasons: tuple[str, ...]


def _jw(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b) if a and b else 0.0


def name_similarity(a: Name, b: Name) -> float:
    """Jaro-Winkler of the family names times that of the given names (a different given
    name sinks the pair: twins share a family name and a date of birth), or of the two
    swapped (given and family entered the wrong way round), whichever is higher."""
    if a.key == b.key:
        return 1.0
    if not (a.given and b.given):  # one name only: the family names alone, discounted
        return 0.8 * _jw(a.family or a.given, b.family or b.given)
    straight = _jw(a.family, b.family) * _jw(a.given, b.given)
    swapped = _jw(a.family, b.given) * _jw(a.given, b.family)
    return max(straight, swapped)


def _dob_part(a: dt.date | None, b: dt.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return DOB_UNKNOWN, ""
    if a == b:
        return DOB_SAME, "same date of birth"
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    transposed = a.year == b.year and (a.day, a.month) == (b.month, b.day)
    shown = f"{a:%-d %B %Y} / {b:%-d %B %Y}"
    if same == 2 or transposed:
        return DOB_CLOSE, f"date of birth close: {shown}"
    return DOB_DIFFERENT, f"different date of birth: {shown}"


def _name_reason(a: Name, b: Name) -> str:
    if b.alias:
        return f"alias {b.shown}"
    if a.alias:
        return f"alias entered {a.shown} matches {b.shown}"
    if a.key == b.key:
        return "same name"
    if a.family != b.family and a.family_sound and a.family_sound == b.family_sound:
        return f"name sounds alike: {a.shown.split()[-1]} / {b.shown.split()[-1]}"
    return f"similar name: {a.shown} / {b.shown}"


def compare(query: Record, other: Record) -> tuple[float, list[str]]:
    """The score (0 to 1) that ``other`` is the person in ``query``, and the reasons."""
    best, pair = 0.0, None
    for a in query.names:
        for b in other.names:
            sim = name_similarity(a, b)
            if sim > best + 1e-9 or pair is None:
                best, pair = sim, (a, b)
    dob, dob_reason = _dob_part(query.dob, other.dob)
    shared = sorted(query.postcodes & other.postcodes)
    score = W_NAME * best + W_DOB * dob + W_PLACE * bool(shared)
    reasons = [_name_reason(*pair)] if pair and best >= 0.7 else []
    reasons += [dob_reason] if dob_reason else []
    reasons += [f"lived at {code}" for code in shared]
    return round(score, 3), reasons


#: At most this many people from one blocking lookup (a common surname's Metaphone key can
#: hold thousands; the closest spellings come first where the database can order them).
BLOCK_CAP = 400
#: At most this many of the closest names by trigram similarity (only the best ten are shown).
TRIGRAM_CAP = 50
#: pg_trgm similarity below which a name is not a trigram candidate. The GIN index prunes
#: on it, so it sets the cost: a name with common letter triples reads long posting lists
#: (at 500,000 people, 45 to 200 ms at 0.45, 5 to 70 ms at 0.6). A one-letter slip in a
#: short name falls below it ("smith john" / "smiht john" is 0.57): such a person is still
#: found by the same date of birth, postcode, or Metaphone keys of both names.
TRIGRAM_THRESHOLD = 0.6

#: Each table's trigram matches first (materialised, so the planner cannot trade the GIN
#: index for the index on ``merged_into``, which every live row satisfies), then live only.
_TRIGRAM_SQL = """
WITH people AS MATERIALIZED (
  SELECT id, similarity(name_key, %(q)s) AS s FROM casework_person WHERE name_key %% %(q)s
), aliases AS MATERIALIZED (
  SELECT person_id AS id, similarity(name_key, %(q)s) AS s FROM casework_personalias
   WHERE name_key %% %(q)s
)
SELECT found.id FROM (SELECT * FROM people UNION ALL SELECT * FROM aliases) found
  JOIN casework_person p ON p.id = found.id
 WHERE p.merged_into_id IS NULL
 ORDER BY found.s DESC LIMIT %(n)s
"""


def _trigram_ids(name_keys: list[str]) -> set[int]:
    """People (or their aliases) whose folded name is trigram-similar (PostgreSQL)."""
    found: set[int] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(TRIGRAM_THRESHOLD)],
        )
        for q in name_keys:
            cursor.execute(_TRIGRAM_SQL, {"q": q, "n": TRIGRAM_CAP})
            found.update(row[0] for row in cursor.fetchall())
    return found


def _blocked_ids(query: Record, sounds: list[str], given_sounds: list[str]) -> set[int]:
    live = Person.objects.filter(merged_into__isnull=True)
    found: set[int] = set()

    def take(queryset) -> None:
        found.update(queryset.values_list("pk", flat=True)[:BLOCK_CAP])

    if query.dob:
        take(live.filter(family_sound__in=sounds, dob=query.dob))
        take(live.filter(dob=query.dob))
    if query.postcodes:
        addresses = PersonAddress.objects.filter(
            place__postcode__in=query.postcodes, person__merged_into__isnull=True
        )
        found.update(addresses.values_list("person_id", flat=True)[:BLOCK_CAP])
    if sounds:
        take(live.filter(family_sound__in=sounds, given_sound__in=given_sounds))
    if connection.vendor == "postgresql":
        found |= _trigram_ids(sorted({n.key for n in query.names if n.key}))
    elif sounds:
        take(live.filter(family_sound__in=sounds))
        aliases = PersonAlias.objects.filter(
            family_sound__in=sounds, person__merged_into__isnull=True
        )
        found.update(aliases.values_list("person_id", flat=True)[:BLOCK_CAP])
    return found


def records_of(people: Iterable[Person]) -> dict[int, Record]:
    """The scoring records of ``people``: their names with aliases, and their postcodes
    (two queries for all of them)."""
    people = list(people)
    ids = [p.pk for p in people]
    aliases: dict[int, list[tuple[str, str]]] = {}
    for pid, given, family in PersonAlias.objects.filter(person_id__in=ids).values_list(
        "person_id", "given_name", "family_name"
    ):
        aliases.setdefault(pid, []).append((given, family))
    postcodes: dict[int, set[str]] = {}
    for pid, code in PersonAddress.objects.filter(person_id__in=ids).values_list(
        "person_id", "place__postcode"
    ):
        if code:
            postcodes.setdefault(pid, set()).add(code)
    return {
        p.pk: Record.build(
            p.given_name, p.family_name, p.dob, aliases.get(p.pk, ()), postcodes.get(p.pk, ())
        )
        for p in people
    }


def record_of(person: Person) -> Record:
    return records_of([person])[person.pk]


def _excluded(exclude: Person | int | Iterable[int] | None) -> set[int]:
    if exclude is None:
        return set()
    if isinstance(exclude, Person):
        return {exclude.pk}
    if isinstance(exclude, int):
        return {exclude}
    return set(exclude)


def likely_matches(
    given_name: str,
    family_name: str,
    dob: dt.date | None = None,
    postcode: str = "",
    aliases: Iterable[tuple[str, str]] = (),
    limit: int = 10,
    exclude: Person | int | Iterable[int] | None = None,
) -> list[Match]:
    """People who may already be the person about to be created, best first: a score of
    at least :data:`MIN_SCORE` (0 to 1) with its reasons. ``aliases`` are (given, family)
    pairs; ``exclude`` a person (or ids) never to offer (the record being edited)."""
    query = Record.build(given_name, family_name, dob, aliases, [postcode] if postcode else [])
    sounds = sorted({n.family_sound for n in query.names if n.family_sound})
    given_sounds = sorted({n.given_sound for n in query.names if n.given_sound})
    ids = _blocked_ids(query, sounds, given_sounds) - _excluded(exclude)
    if not ids:
        return []
    people = list(Person.objects.filter(pk__in=ids, merged_into__isnull=True))
    records = records_of(people)
    found = []
    for person in people:
        score, reasons = compare(query, records[person.pk])
        if score >= MIN_SCORE:
            found.append(Match(person=person, score=score, reasons=tuple(reasons)))
    found.sort(key=lambda m: (-m.score, m.person.pk))
    return found[:limit]
