"""Casework's records: people, places, cases and what hangs off a case."""

from csphub.hub.casework.models.cases import (
    Case,
    CaseAgendaItem,
    CaseParty,
    CaseShare,
    CaseTask,
    Document,
    RiskAssessment,
    SharingAgreement,
    TimelineEntry,
)
from csphub.hub.casework.models.matching import DuplicateCandidate, PersonMerge
from csphub.hub.casework.models.people import (
    Person,
    PersonAddress,
    PersonAlias,
    PersonContact,
    PersonIdentifier,
)
from csphub.hub.casework.models.places import Place

__all__ = [
    "Case",
    "CaseAgendaItem",
    "CaseParty",
    "CaseShare",
    "CaseTask",
    "Document",
    "DuplicateCandidate",
    "Person",
    "PersonAddress",
    "PersonAlias",
    "PersonContact",
    "PersonIdentifier",
    "PersonMerge",
    "Place",
    "RiskAssessment",
    "SharingAgreement",
    "TimelineEntry",
]
