"""Pages of actions: the action log with its views (mine, my agency's, overdue, all), an
action with its history and progress form, raising an action from a decision, and the
CSV export. Thin: forms validate, services change and audit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SCOPED, access, permission
from csphub.hub.access.scope import acting_agency_ids
from csphub.hub.actions import services
from csphub.hub.actions.forms import ProgressForm, RaiseActionForm
from csphub.hub.actions.lifecycle import LABELS, LIVE, TransitionError
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.groups.models import Decision

#: The list's views: key, label.
TABS = [
    ("mine", "Mine"),
    ("agency", "My agency's"),
    ("overdue", "Overdue"),
    ("all", "All I can see"),
]


SEE_ACTIONS = permission("action.view")


def _visible(request):
    return (
        policy("action")
        .visible(request.user)
        .select_related("group", "owner_agency", "owner", "decision__meeting")
    )


def _get(request, pk, verb: str = "view"):
    queryset = Action.objects.select_related("group", "owner_agency", "owner", "decision")
    return policy("action").get(request.user, pk, verb, queryset=queryset)


def _overdue(actions):
    return actions.filter(state__in=LIVE, due__lt=timezone.localdate())


def _shown(request, visible):
    """The list's view (``?show=``, default mine) of ``visible``: (key, actions)."""
    user = request.user
    show = request.GET.get("show", "mine")
    if show not in dict(TABS):
        show = "mine"
    return show, {
        "mine": visible.filter(owner=user),
        "agency": visible.filter(owner_agency__in=acting_agency_ids(user)),
        "overdue": _overdue(visible),
        "all": visible,
    }[show]


@access(SEE_ACTIONS)
@require_safe
def action_list(request):
    user = request.user
    show, chosen = _shown(request, _visible(request))
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="actions.action",
        object_repr=f"action list: {show}",
    )
    by_agency = (
        _overdue(policy("action").visible(user))
        .values("owner_agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "owner_agency__name")
    )
    context = {
        "tabs": TABS,
        "show": show,
        "label": dict(TABS)[show],
        "actions": chosen,
        "by_agency": by_agency,
        "can_export": policy("action").where(user, "action.export").exists(),
    }
    return render(request, "hub/actions/action_list.html", context)


def _detail_context(request, action, form):
    return {
        "action": action,
        "form": form,
        "notes": action.notes.select_related("author"),
        "labels": LABELS,
        "raised_visible": action.decision_id is not None
        and policy("decision").can(request.user, "view", action.decision),
        "group_visible": policy("group").can(request.user, "view", action.group),
    }


@access(SCOPED)
@require_safe
def action_detail(request, pk):
    action = _get(request, pk)
    record(Event.VIEW, action, ctx=audit_context(request))
    may_update = policy("action").can(request.user, "action.update", action)
    form = ProgressForm(action=action) if may_update else None
    return render(request, "hub/actions/action_detail.html", _detail_context(request, action, form))


@access(SCOPED)
@require_POST
def action_progress(request, pk):
    action = _get(request, pk, "action.update")
    form = ProgressForm(request.POST, action=action)
    if form.is_valid():
        before = action.state
        try:
            services.progress(
                audit_context(request),
                action,
                note=form.cleaned_data["note"],
                state=form.cleaned_data["state"] or None,
            )
        except TransitionError as exc:  # a stale page: the state moved meanwhile
            form.add_error("state", str(exc))
        else:
            moved = f" It is now {action.state_label.lower()}." if action.state != before else ""
            messages.success(request, f"Progress recorded.{moved}")
            return redirect("action-detail", pk=action.pk)
    context = _detail_context(request, action, form)
    return render(request, "hub/actions/action_detail.html", context)


@access(SCOPED)
@require_http_methods(["GET", "POST"])
def decision_action_new(request, pk):
    decisions = Decision.objects.select_related("meeting__group")
    decision = policy("decision").get(request.user, pk, "action.create", queryset=decisions)
    if request.method == "GET":
        record(Event.VIEW, decision, ctx=audit_context(request))
    form = RaiseActionForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        action = services.raise_action(audit_context(request), decision, **form.cleaned_data)
        where = (
            f" It is on the agenda of {item.meeting}."
            if (item := action.agenda_items.select_related("meeting").first())
            else ""
        )
        messages.success(request, f"Action raised for {action.group.name}.{where}")
        return redirect("action-detail", pk=action.pk)
    return render(request, "hub/actions/action_new.html", {"decision": decision, "form": form})


@access(permission("action.export"))
@require_safe
def action_export(request):
    user = request.user
    exportable = policy("action").where(user, "action.export")
    _, shown = _shown(request, _visible(request).filter(pk__in=exportable.values("pk")))
    text = services.export_log(
        audit_context(request), shown, readable=policy("decision").readable(user, shown)
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"action-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
