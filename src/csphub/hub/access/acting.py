"""Acting for an agency: every right comes through one active membership at a time.

A user with several memberships (a fire chair who is also a youth-service member) acts for
one agency at a time, chosen in the header and kept in the session; their rights are that
membership's grants only, never the union of all of them. A deactivated membership gives
nothing, chair and owner rights included; a user with no active membership has no rights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csphub.hub.access.models import Membership

SESSION_KEY = "csphub_acting_membership"
_CACHE = "_csphub_acting"


@dataclass(frozen=True)
class Acting:
    """Who is acting, for which agency, with which grants."""

    user_id: int | None
    membership_id: int | None = None
    agency_id: int | None = None
    agency_name: str = ""
    grants: frozenset[tuple[str, str]] = frozenset()
    #: The user's other active memberships: (membership id, agency name), to switch to.
    others: tuple[tuple[int, str], ...] = field(default=())

    def has(self, permission: str) -> bool:
        """Holds ``permission`` with any reach."""
        return any(p == permission for p, _ in self.grants)

    def reaches(self, permission: str) -> frozenset[str]:
        """How far ``permission`` reaches: a subset of partnership, seat, chaired, owned."""
        return frozenset(r for p, r in self.grants if p == permission)


NOBODY = Acting(user_id=None)


def _load(user: Any, chosen: int | None) -> Acting:
    rows = list(
        Membership.objects.filter(user=user, active=True)
        .select_related("agency")
        .order_by("pk")
        .only("pk", "roles", "agency__id", "agency__name")
    )
    if not rows:
        return Acting(user_id=user.pk)
    current = next((m for m in rows if m.pk == chosen), rows[0])
    return Acting(
        user_id=user.pk,
        membership_id=current.pk,
        agency_id=current.agency_id,
        agency_name=current.agency.name,
        grants=current.grants(),
        others=tuple((m.pk, m.agency.name) for m in rows if m is not current),
    )


def acting(user: Any) -> Acting:
    """The user's acting membership (read once per request; the session's choice when
    the request middleware set it, else their first active membership)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = _load(user, None)
        setattr(user, _CACHE, cached)
    return cached


def bind(request: Any) -> Acting:
    """Read the acting membership of the request's user from the session (once)."""
    user = request.user
    if not user.is_authenticated:
        return NOBODY
    found = _load(user, request.session.get(SESSION_KEY))
    setattr(user, _CACHE, found)
    return found


def switch(request: Any, membership_id: int) -> Acting | None:
    """Act for the agency of another of the user's active memberships (None: not theirs)."""
    if not Membership.objects.filter(pk=membership_id, user=request.user, active=True).exists():
        return None
    request.session[SESSION_KEY] = membership_id
    return bind(request)
