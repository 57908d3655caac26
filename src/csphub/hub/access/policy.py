"""One policy per resource, found in a registry: the only place an access rule is written.

Each feature app defines its resources' policies in its ``policies.py`` and registers them
with :func:`register`; views, lists, the dashboard, exports and reports ask
:func:`policy` and never restate a rule. A policy answers:

- ``visible(user)``: the QuerySet of objects the user may see;
- ``where(user, verb)``: the QuerySet of objects the user may ``verb`` (the list form);
- ``can(user, verb, obj)``: may the user ``verb`` this object (the single-object form,
  the same rule as ``where``);
- ``get(user, pk, verb)``: the object, 404 when it is not visible (its existence is not
  disclosed), 403 when visible but not the user's to ``verb``.

Verbs are ``"view"`` or a permission name of ``data/roles.csv`` (``"meeting.manage"``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, QuerySet
from django.http import Http404

VIEW = "view"
_REGISTRY: dict[str, Policy] = {}
_DISCOVERED = False


class Policy:
    """Base class: subclasses set ``name`` and ``model`` and define :meth:`where`."""

    name: str = ""
    model: type[Model]

    def where(self, user: Any, verb: str) -> QuerySet:
        raise NotImplementedError

    def visible(self, user: Any) -> QuerySet:
        return self.where(user, VIEW)

    def can(self, user: Any, verb: str, obj: Model) -> bool:
        return self.where(user, verb).filter(pk=obj.pk).exists()

    def allowed(self, user: Any, verbs: tuple[str, ...], obj: Model) -> frozenset[str]:
        """Which of ``verbs`` the user may do to ``obj``: ``can`` for each, in one query
        (a page that offers several actions asks once)."""
        if type(self).can is not Policy.can:  # a rule of its own: ask it verb by verb
            return frozenset(v for v in verbs if self.can(user, v, obj))
        mine = {v: self.where(user, v).filter(pk=obj.pk) for v in verbs}
        flags = {f"may{i}": Exists(mine[v]) for i, v in enumerate(verbs)}
        row = self.model._base_manager.filter(pk=obj.pk).annotate(**flags).values_list(*flags)
        found = row.first() or (False,) * len(verbs)
        return frozenset(v for v, ok in zip(verbs, found, strict=True) if ok)

    def get(self, user: Any, pk: Any, verb: str = VIEW, queryset: QuerySet | None = None) -> Any:
        base = (
            self.visible(user)
            if queryset is None
            else queryset.filter(pk__in=self.visible(user).values("pk"))
        )
        try:
            obj = base.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404("not found") from None
        if verb != VIEW and not self.can(user, verb, obj):
            raise PermissionDenied(f"needs {verb} on this {self.name}")
        return obj

    def needs_reason(self, user: Any, obj: Model) -> bool:
        """Whether opening ``obj`` asks the user why first (:mod:`.reasons`)."""
        return False

    def require(self, user: Any, verb: str, obj: Model) -> None:
        if not self.can(user, verb, obj):
            raise PermissionDenied(f"needs {verb} on this {self.name}")


def register(cls: type[Policy]) -> type[Policy]:
    """Class decorator: register one instance of the policy under its name."""
    if cls.name in _REGISTRY and type(_REGISTRY[cls.name]) is not cls:
        raise ValueError(f"two policies for {cls.name!r}")
    _REGISTRY[cls.name] = cls()
    return cls


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("csphub.hub."):
            try:
                import_module(f"{config.name}.policies")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.policies":
                    raise
    _DISCOVERED = True


def policy(name: str) -> Policy:
    """The policy of resource ``name`` ("group", "meeting", "action", ...)."""
    _discover()
    return _REGISTRY[name]


def policies() -> dict[str, Policy]:
    """Every registered policy, by resource name."""
    _discover()
    return dict(_REGISTRY)
