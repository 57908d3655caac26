"""Pages of actions: the action log with its views (mine, my agency's, overdue, all), an
action with its history and progress form, raising an action from a decision, and the
CSV export. Thin: forms validate, services change and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from csphub.hub.access import scope
from csphub.hub.access.rules import SCOPED, SIGNED_IN, access, permission
from csphub.hub.actions import services
from csphub.hub.actions.forms import ProgressForm, RaiseActionForm
from csphub.hub.actions.lifecycle import LABELS, LIVE, TransitionError
from csphub.hub.audit.service import record
from csphub.hub.groups.models import Decision

#: The list's views: key, label.
TABS = [
    ("mine", "Mine"),
    ("agency", "My agency's"),
    ("overdue", "Overdue"),
    ("all", "All I can see"),
]


def _visible(request):
    return scope.visible_actions(request.user).select_related(
        "group", "owner_agency", "owner", "decision__meeting"
    )


def _overdue(actions):
    return actions.filter(state__in=LIVE, due__lt=timezone.localdate())


@access(SIGNED_IN)
def action_list(request):
    user = request.user
    show = request.GET.get("show", "mine")
    if show not in dict(TABS):
        show = "mine"
    visible = _visible(request)
    chosen = {
        "mine": visible.filter(owner=user),
        "agency": visible.filter(owner_agency__in=scope.agency_ids(user)),
        "overdue": _overdue(visible),
        "all": visible,
    }[show]
    by_agency = (
        _overdue(scope.visible_actions(user))
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
        "can_export": scope.has_permission(user, "action.export"),
    }
    return render(request, "hub/actions/action_list.html", context)


def _detail_context(request, action, form):
    return {
        "action": action,
        "form": form,
        "notes": action.notes.select_related("author"),
        "labels": LABELS,
        "raised_visible": action.decision_id is not None
        and scope.visible_meetings(request.user).filter(pk=action.decision.meeting_id).exists(),
        "group_visible": scope.visible_groups(request.user).filter(pk=action.group_id).exists(),
    }


@access(SCOPED)
def action_detail(request, pk):
    action = scope.get_visible(_visible(request), pk)
    record("view", action, request=request)
    form = ProgressForm(action=action) if scope.can_update_action(request.user, action) else None
    return render(request, "hub/actions/action_detail.html", _detail_context(request, action, form))


@access(SCOPED)
@require_POST
def action_progress(request, pk):
    action = scope.get_visible(_visible(request), pk)
    if not scope.can_update_action(request.user, action):
        raise PermissionDenied("only the owner, the owning agency or the group chair")
    form = ProgressForm(request.POST, action=action)
    if form.is_valid():
        before = action.state
        try:
            services.progress(
                request.user,
                action,
                note=form.cleaned_data["note"],
                state=form.cleaned_data["state"] or None,
                request=request,
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
    decision = scope.get_visible(
        Decision.objects.filter(meeting__in=scope.visible_meetings(request.user)).select_related(
            "meeting__group"
        ),
        pk,
    )
    if not scope.can_manage_group(request.user, decision.meeting.group, "action.create"):
        raise PermissionDenied("needs action.create in the decision's group")
    form = RaiseActionForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        action = services.raise_action(request.user, decision, request=request, **form.cleaned_data)
        where = (
            f" It is on the agenda of {item.meeting}."
            if (item := action.agenda_items.select_related("meeting").first())
            else ""
        )
        messages.success(request, f"Action raised for {action.group.name}.{where}")
        return redirect("action-detail", pk=action.pk)
    return render(request, "hub/actions/action_new.html", {"decision": decision, "form": form})


@access(permission("action.export"))
def action_export(request):
    text = services.export_log(request.user, scope.visible_actions(request.user), request=request)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"action-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
