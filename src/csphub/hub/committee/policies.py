"""The committee report's policy: which versions of the report a user may have. The public
version (``report.view``) leaves exempt information out; the full version
(``report.exempt``) keeps it, marked. What is exempt is the groups' own rule (an agenda
item's exemption passes to its decision and to what is cascaded from it), applied when the
report's data are gathered; this policy decides only who gets which version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from csphub.hub.access.policy import VIEW, Policy, register
from csphub.hub.access.scope import has_permission
from csphub.hub.committee.models import RenderCounter

#: The version each permission gives, in the report's own order.
VERSION_PERMISSIONS = (("public", "report.view"), ("full", "report.exempt"))


@register
class ReportPolicy(Policy):
    name = "report"
    #: The report is made from the records, not stored as rows: the policy answers for its
    #: versions (:meth:`versions`), and the model named is only the render counter it
    #: keeps per user.
    model = RenderCounter

    def versions(self, user: Any) -> tuple[str, ...]:
        """The versions of the report the acting membership gives the user."""
        return tuple(v for v, permission in VERSION_PERMISSIONS if has_permission(user, permission))

    def where(self, user: Any, verb: str):
        raise NotImplementedError("the report is not a set of rows: ask versions(user)")

    def can(self, user: Any, verb: str, obj: Any) -> bool:
        """``obj`` is a version name; the only verb is view."""
        return verb == VIEW and obj in self.versions(user)

    def require(self, user: Any, verb: str, obj: Any) -> None:
        if not self.can(user, verb, obj):
            raise PermissionDenied(f"the {obj} version of the report needs its permission")
