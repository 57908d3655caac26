"""Recording the partnership's data-sharing agreements (ICO data sharing code: parties,
purpose, legal basis, review date), on which every share of a case rests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from csphub.hub.access.models import Agency
from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import SharingAgreement


@transaction.atomic
def create_agreement(
    ctx: AuditContext,
    *,
    title: str,
    purpose: str,
    legal_basis: str,
    parties: Iterable[Agency],
    signed_on: dt.date,
    review_date: dt.date,
) -> SharingAgreement:
    require(ctx.actor, "agreement.manage")
    parties = list(parties)
    if len(parties) < 2:
        raise ValueError("an agreement is between two agencies or more")
    if review_date <= signed_on:
        raise ValueError("the review date comes after the date it was signed")
    row = SharingAgreement(
        title=title.strip(),
        purpose=purpose.strip(),
        legal_basis=legal_basis.strip(),
        signed_on=signed_on,
        review_date=review_date,
    )
    row.full_clean()
    row.save()
    row.parties.set(parties)
    after = {**snapshot(row), "parties": sorted(a.name for a in parties)}
    record(Event.CREATE, row, ctx=ctx, after=after)
    return row
