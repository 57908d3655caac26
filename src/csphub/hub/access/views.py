"""Sign-in (throttled, audited), sign-out and the TOTP second factor (check and set up).

Sign-in fails with the same words for a wrong password, an unknown user name, a disabled
account and a user with no active membership (a leaver); the audit row says which, names
the account (never the user name as typed, which may be a password) and records the
route's path without its query string. Attempts refused by :mod:`.throttle` write no row.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from csphub.hub.access import crypto, passwords, throttle, twofactor
from csphub.hub.access.models import TwoFactor
from csphub.hub.access.rules import PASSWORD_ONLY, PUBLIC, access
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.forms import GovukForm, mark_errors

FAILED = (
    "The user name or password is not correct. Check them and try again; after "
    "{limit} failed attempts, signing in is paused for {minutes} minutes."
)
EXPIRED = (
    "Your temporary password has expired: it could be used for {days} days. Ask your "
    "partnership's administrator to set a new one."
)
PENDING_KEY = "csphub_2fa_pending_secret"
#: Pages never to return to after signing in.
NOT_NEXT = ("/sign-in/", "/sign-out/", "/two-factor/", passwords.CHANGE_PATH)


def safe_next(request, default: str = "/") -> str:
    """The ``next`` parameter when it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not target.startswith(NOT_NEXT)
    ):
        return target
    return default


def _with_next(path: str, target: str) -> str:
    from urllib.parse import quote

    return path if target == "/" else f"{path}?next={quote(target)}"


class SignInForm(GovukForm):
    username = forms.CharField(
        label="User name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = twofactor.normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code, for example 123456.")
        return code


def failure(request, attempt: throttle.Attempt, account, reason: str) -> None:
    """A failed attempt: its throttle units kept, and one audit row naming the account
    (or that the user name is unknown), and when the attempt filled a counter, until
    when further attempts are refused."""
    throttle.failed(attempt)
    if attempt.full_until is not None:
        at = timezone.localtime(attempt.full_until)
        reason += f"; limit reached, further attempts refused until {at:%H:%M}"
    record(
        Event.SIGN_IN_FAILED,
        # The route's path without the query string, which an attacker chooses.
        ctx=dataclasses.replace(audit_context(request), path=request.path[:500]),
        object_type=get_user_model()._meta.label_lower,
        object_id=str(account.pk) if account is not None else "",
        object_repr=account.username if account is not None else "unknown user name",
        justification=reason,
    )


def _reason(account, user) -> str:
    """Why a sign-in with a password failed, for the audit row."""
    if account is None:
        return "unknown user name"
    if user is not None:
        return "no active membership"
    if not account.is_active:
        return "account disabled"
    return "wrong password"


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in(request):
    target = safe_next(request)
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        account = throttle.account_named(username)
        attempt = throttle.begin(username, account, audit_context(request).address)
        if attempt.refused_until is not None:
            form.add_error(None, throttle.retry_message(attempt.refused_until))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None or not passwords.has_active_membership(user):
                failure(request, attempt, account, _reason(account, user))
                form.add_error(
                    None,
                    FAILED.format(
                        limit=settings.LOGIN_FAILURE_LIMIT,
                        minutes=settings.LOGIN_FAILURE_WINDOW_SECONDS // 60,
                    ),
                )
            elif passwords.temporary_expired(user):
                failure(request, attempt, account, "temporary password expired")
                form.add_error(None, EXPIRED.format(days=settings.TEMPORARY_PASSWORD_DAYS))
            else:
                throttle.succeeded(attempt)
                return _signed_in(request, user, target)
    return render(request, "hub/access/sign_in.html", {"form": form}, status=status)


def _signed_in(request, user, target: str) -> HttpResponseRedirect:
    for key in (twofactor.SESSION_KEY, PENDING_KEY, passwords.SESSION_KEY):
        request.session.pop(key, None)
    login(request, user)  # a new session key: no session fixation
    record(Event.SIGN_IN, user, ctx=audit_context(request).by(user), object_repr=user.username)
    if passwords.must_change(user):
        request.session[passwords.SESSION_KEY] = True
    if twofactor.second_factor_needed(request):
        return HttpResponseRedirect(_with_next("/two-factor/", target))
    throttle.remember(user, audit_context(request).address)
    if request.session.get(passwords.SESSION_KEY):
        return HttpResponseRedirect(_with_next(passwords.CHANGE_PATH, target))
    return HttpResponseRedirect(target)


@access(PASSWORD_ONLY)
@require_POST
def sign_out(request):
    record(
        Event.SIGN_OUT, request.user, ctx=audit_context(request), object_repr=request.user.username
    )
    logout(request)
    messages.success(request, "You have signed out.")
    return HttpResponseRedirect("/sign-in/")


@access(PASSWORD_ONLY)
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enter the code of the confirmed device; without one, set one up."""
    target = safe_next(request)
    if request.session.get(twofactor.SESSION_KEY):
        return HttpResponseRedirect(target)
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(_with_next("/two-factor/setup/", target))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = request.user
        attempt = throttle.begin(user.username, user, audit_context(request).address)
        if attempt.refused_until is not None:
            form.add_error("code", throttle.retry_message(attempt.refused_until))
            mark_errors(form)
            status = 429
        elif twofactor.verify(device, form.cleaned_data["code"]):
            throttle.succeeded(attempt)
            _verified(request, device)
            return HttpResponseRedirect(target)
        else:
            failure(request, attempt, user, "wrong or reused second-factor code")
            form.add_error(
                "code",
                "The code is not correct, or it has already been used. Enter the code the "
                "app shows now.",
            )
            mark_errors(form)
    return render(request, "hub/access/two_factor.html", {"form": form}, status=status)


def _verified(request, device: TwoFactor) -> None:
    request.session.cycle_key()
    request.session[twofactor.SESSION_KEY] = True
    throttle.remember(request.user, audit_context(request).address)
    record(
        Event.SIGN_IN,
        device,
        ctx=audit_context(request),
        object_repr=f"second factor of {request.user.username}",
        justification="second factor verified",
    )


@access(PASSWORD_ONLY)
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """A new TOTP secret, as text and as a QR code, confirmed with a code from the app."""
    target = safe_next(request)
    existing = TwoFactor.objects.filter(user=request.user).first()
    if existing is not None and existing.confirmed:
        if not request.session.get(twofactor.SESSION_KEY):
            return HttpResponseRedirect(_with_next("/two-factor/", target))
        messages.info(
            request,
            "Two-factor authentication is already set up for your account. To move it to "
            "a new phone, ask your partnership's administrator.",
        )
        return HttpResponseRedirect("/")
    secret = _pending_secret(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = twofactor.matching_step(secret, form.cleaned_data["code"])
        if step is not None:
            device = _confirm(request, existing, secret, step)
            request.session.pop(PENDING_KEY, None)
            _verified(request, device)
            messages.success(request, "Two-factor authentication is set up.")
            return HttpResponseRedirect(target)
        form.add_error(
            "code", "The code is not correct. Enter the code the app shows now for csphub."
        )
        mark_errors(form)
    uri = twofactor.provisioning_uri(request.user, secret)
    context: dict[str, Any] = {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "qr": twofactor.qr_data_uri(uri),
        "required": twofactor.required_for(request.user),
    }
    return render(request, "hub/access/two_factor_setup.html", context)


def _pending_secret(request) -> str:
    """The secret being set up: kept in the session until confirmed, encrypted like the
    stored ones (one from before encryption, or under a retired key, is replaced)."""
    try:
        return crypto.decrypt(request.session[PENDING_KEY])
    except (KeyError, ImproperlyConfigured):
        secret = twofactor.new_secret()
        request.session[PENDING_KEY] = crypto.encrypt(secret)
        return secret


@transaction.atomic
def _confirm(request, existing: TwoFactor | None, secret: str, step: int) -> TwoFactor:
    if existing is None:
        device = TwoFactor.objects.create(
            user=request.user, secret=secret, confirmed=True, last_step=step
        )
        record(
            Event.CREATE,
            device,
            ctx=audit_context(request),
            after=snapshot(device),
            object_repr=f"second factor of {request.user.username}",
        )
        return device
    before = snapshot(existing)
    existing.secret, existing.confirmed, existing.last_step = secret, True, step
    existing.save()
    record(
        Event.UPDATE,
        existing,
        ctx=audit_context(request),
        before=before,
        after=snapshot(existing),
        object_repr=f"second factor of {request.user.username}",
    )
    return existing
