"""Password pages: change your own password; an administrator's temporary password and
second-factor reset for another user. Thin: forms validate, :mod:`.passwords` changes and
audits, :mod:`.throttle` bounds guesses at the current password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csphub.hub.access import passwords, throttle
from csphub.hub.access.forms import ChangePasswordForm, ResetPasswordForm, ResetSecondFactorForm
from csphub.hub.access.models import TwoFactor
from csphub.hub.access.rules import SIGNED_IN, access, permission
from csphub.hub.access.views import failure, safe_next
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.forms import mark_errors

GET_POST = ["GET", "POST"]
MANAGE_OBJECTS = permission(passwords.PERMISSION, objects=True)


@access(SIGNED_IN)
@passwords.password_change_page
@require_http_methods(GET_POST)
def change_password(request):
    """Current password, new password twice; the session is kept, others end."""
    target = safe_next(request)
    user = request.user
    form = ChangePasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin(user.username, user, audit_context(request).address)
        if attempt.refused_until is not None:
            form.add_error("current_password", throttle.retry_message(attempt.refused_until))
            status = 429
        elif not user.check_password(form.cleaned_data["current_password"]):
            failure(request, attempt, user, "wrong current password when changing it")
            form.add_error("current_password", "Your current password is not correct.")
        else:
            throttle.succeeded(attempt)
            passwords.change_own_password(audit_context(request), form.cleaned_data["new_password"])
            update_session_auth_hash(request, user)
            request.session.pop(passwords.SESSION_KEY, None)
            messages.success(request, "Your password has been changed.")
            return HttpResponseRedirect(target)
        mark_errors(form)
    context = {"form": form, "forced": bool(request.session.get(passwords.SESSION_KEY))}
    return render(request, "hub/access/password_change.html", context, status=status)


def _member(pk):
    try:
        return get_user_model().objects.get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404("not found") from None


def _own(request, member) -> bool:
    """Whether ``member`` is the administrator: the page says so, and a POST is refused.
    Opening the page for someone (a GET) is a view of their account, recorded."""
    own = member.pk == request.user.pk
    if own and request.method == "POST":
        raise PermissionDenied("nobody resets their own account")
    if request.method == "GET":
        record(Event.VIEW, member, ctx=audit_context(request), subjects=[("user", member.pk)])
    return own


@access(MANAGE_OBJECTS)
@require_http_methods(GET_POST)
def partnership_user_password(request, pk):
    member = _member(pk)
    own = _own(request, member)
    form = ResetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.reset_password(
            audit_context(request),
            member,
            form.cleaned_data["temporary_password"],
        )
        messages.success(
            request,
            f"Temporary password set for {member.username}. Give it to them by a separate, "
            "secure route: they must change it when they next sign in.",
        )
        return redirect("partnership-home")
    context = {"form": form, "member": member, "own": own}
    return render(request, "hub/access/user_password_reset.html", context)


@access(MANAGE_OBJECTS)
@require_http_methods(GET_POST)
def partnership_user_two_factor(request, pk):
    member = _member(pk)
    own = _own(request, member)
    device = TwoFactor.objects.filter(user=member).exists()
    form = ResetSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if passwords.reset_second_factor(
            audit_context(request), member, form.cleaned_data["reason"]
        ):
            messages.success(
                request,
                f"Second factor reset for {member.username}. They set up a new one when "
                "they next sign in.",
            )
        return redirect("partnership-home")
    context = {"form": form, "member": member, "own": own, "device": device}
    return render(request, "hub/access/user_two_factor_reset.html", context)
