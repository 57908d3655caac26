"""Every view declares who may reach it; anything undeclared is denied.

A rule is attached with :func:`access`; :class:`~csphub.hub.access.middleware.AccessMiddleware`
enforces it before the view runs and refuses any view without one. Rules here are about
the *route*; whether a user may see a particular object (need to know) is decided by
:mod:`csphub.hub.access.scope`, which answers 404 for what is out of scope and 403 for what
is visible but not theirs to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """``public``: anyone (sign-in pages, the stylesheet); otherwise signed in with any
    compulsory second factor done, and holding ``permission`` when given."""

    name: str
    public: bool = False
    permission: str | None = None
    objects: bool = False  # the view also checks an object's scope (documented in the sweep)


PUBLIC = Rule("public", public=True)
#: Signed in, password done, second factor not yet (the two-factor pages themselves).
PASSWORD_ONLY = Rule("password only")
SIGNED_IN = Rule("signed in")
SCOPED = Rule("signed in, object in the user's scope", objects=True)


def permission(name: str, *, objects: bool = False) -> Rule:
    return Rule(f"permission {name}", permission=name, objects=objects)


def access(rule: Rule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the access rule of a view function."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return mark


def rule_of(view: Callable[..., Any]) -> Rule | None:
    return getattr(view, "access_rule", None)
