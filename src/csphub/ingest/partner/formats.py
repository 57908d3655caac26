"""The partner formats ``csphub ingest`` reads, each a :class:`load.FileFormat`.

What a file replaces (ADR 0004, for partner formats): its rows are split into parts by a
key taken from the rows, never from the file name: a STATS19 file by police force and
year, an ISTV extract by A&E site and month, a fire export by fire and rescue service and
month, a published fire table by the table it is. A newer file replaces the parts of the
keys it brings; one bringing under ``min_replacement_share`` of a held part is refused
unless ``--replace``. The same bytes again change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from csphub.ingest.checks import Validated
from csphub.ingest.forces import ForceNames
from csphub.ingest.limits import Limits
from csphub.ingest.parse import Parsed, parse
from csphub.ingest.partner.layout import Layout, match_header

#: Types a parsed file's rows; names gives sites and services one canonical spelling.
Validator = Callable[[Parsed, Layout, ForceNames], Validated]


@dataclass(frozen=True)
class PartnerFormat:
    """A layout (``csphub/data/partner/<name>_layout.csv``) and a validator per table."""

    name: str
    what: str  # how a message names a file of this format
    validators: dict[str, Validator]

    def read(
        self, data: bytes, limits: Limits, names: ForceNames | None = None
    ) -> tuple[Parsed, Validated]:
        matched = match_header(self.name, data, limits, self.what)
        parsed = parse(data, limits, kind=matched.kind)
        validate = self.validators[matched.layout.table]
        checked = validate(parsed, matched.layout, names or ForceNames())
        if matched.unread:
            shown = ", ".join(matched.unread[:12])
            more = f" and {len(matched.unread) - 12} more" if len(matched.unread) > 12 else ""
            checked.notes.append(f"columns not read by csphub: {shown}{more}")
        return parsed, checked


def stats19() -> PartnerFormat:
    from csphub.ingest.partner.stats19 import VALIDATORS

    return PartnerFormat("stats19", "DfT STATS19 collision, vehicle or casualty", VALIDATORS)


def istv() -> PartnerFormat:
    from csphub.ingest.partner.istv import VALIDATORS

    return PartnerFormat("istv", "csphub ISTV (A&E assault)", VALIDATORS)


@dataclass(frozen=True)
class FireFormat(PartnerFormat):
    """Fire incident exports, and the published fire tables read as aggregates."""

    def read(
        self, data: bytes, limits: Limits, names: ForceNames | None = None
    ) -> tuple[Parsed, Validated]:
        from csphub.ingest.partner.fire_tables import match_table, read_table

        table = match_table(data, limits)
        if table is not None:
            return read_table(table, data, limits)
        return super().read(data, limits, names)


def fire() -> PartnerFormat:
    from csphub.ingest.partner.fire import VALIDATORS

    return FireFormat("fire", "fire incident (or published fire table)", VALIDATORS)


def partner_format(name: str) -> PartnerFormat:
    """The format called ``name`` on the command line: stats19, istv or fire."""
    return {"stats19": stats19, "istv": istv, "fire": fire}[name]()
