"""The action's policy. An action is seen by whoever sees its group or the group whose
decision raised it (``action.view`` at seat or chaired reach), and by its owning agency
(``owned`` reach); it is changed (``action.update``) by the owning agency or the chair of
its group, as the acting membership's grants reach. Raising one (``action.create``) is a
right on the decision's group: see the decision policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from csphub.hub.access.policy import VIEW, Policy, register
from csphub.hub.access.scope import groups_q, owned_q
from csphub.hub.actions.lifecycle import LIVE
from csphub.hub.actions.models import Action

SEE = "action.view"


@register
class ActionPolicy(Policy):
    name = "action"
    model = Action

    def where(self, user: Any, verb: str) -> QuerySet:
        permission = SEE if verb == VIEW else verb
        q = groups_q(user, permission, "group__") | owned_q(user, permission)
        if verb == VIEW:
            q |= groups_q(user, permission, "decision__meeting__group__")
        return Action.objects.filter(q)  # subqueries and foreign keys: no duplicates

    def live(self, user: Any) -> QuerySet:
        """The live (open, in progress, blocked) actions the user sees, for pages of other
        apps that list them without knowing the lifecycle."""
        return self.visible(user).filter(state__in=LIVE)
