"""Who is acting, for which agency, from where, in which request: what every audit row
records about its author, built once per request (or named for a system run) and passed
to services instead of the request itself, so a service can be called from a view, a
command or a test alike and its rows say the same things."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from typing import Any

#: The header that carries the request id back to the client (and into the server's log).
REQUEST_ID_HEADER = "X-Request-ID"
_CACHE = "_csphub_audit_context"


@dataclass(frozen=True)
class AuditContext:
    """The author of audit rows: a signed-in user acting for an agency, or a system run."""

    actor: Any = None
    system_run: str = ""
    acting_agency: str = ""
    address: str | None = None
    request_id: str = ""
    path: str = ""

    @property
    def user(self) -> Any:
        return self.actor

    def by(self, actor: Any) -> AuditContext:
        """The same request, now by ``actor`` (the user who has just signed in)."""
        return dataclasses.replace(self, actor=actor, acting_agency=_agency_of(actor))


def _agency_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    from csphub.hub.access.acting import acting  # the kernel's two halves know each other

    return acting(user).agency_name


def for_user(user: Any, *, system_run: str = "") -> AuditContext:
    """A user acting outside a web request (a command, a test), for their acting agency."""
    return AuditContext(actor=user, system_run=system_run, acting_agency=_agency_of(user))


def system(name: str) -> AuditContext:
    """A named system run (a seed, a scheduled job): no user, no agency."""
    if not name:
        raise ValueError("a system run needs a name")
    return AuditContext(system_run=name)


def new_request_id() -> str:
    return secrets.token_hex(8)


def audit_context(request: Any) -> AuditContext:
    """The request's context: its user and acting agency, client address, id and path.
    Built once per request, after the access middleware has bound the acting agency."""
    found = getattr(request, _CACHE, None)
    user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else None
    if found is not None and found.actor is actor:
        return found
    if not getattr(request, "request_id", ""):
        request.request_id = new_request_id()
    found = AuditContext(
        actor=actor,
        acting_agency=_agency_of(actor),
        address=request.META.get("REMOTE_ADDR") or None,
        request_id=request.request_id,
        path=request.get_full_path()[:500],
    )
    setattr(request, _CACHE, found)
    return found


class RequestIdMiddleware:
    """Gives every request an id, recorded in its audit rows and returned in a header, so
    a user's report of a problem ("request 3f2a...") finds its rows and log lines."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request.request_id = new_request_id()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
