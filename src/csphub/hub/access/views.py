"""Sign-in (throttled, audited), sign-out and the TOTP second factor (check and set up)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from csphub.hub.access import throttle, twofactor
from csphub.hub.access.models import TwoFactor
from csphub.hub.access.rules import PASSWORD_ONLY, PUBLIC, access
from csphub.hub.audit.service import client_address, record, snapshot
from csphub.hub.forms import GovukForm, mark_errors

FAILED = (
    "The user name or password is not correct. Check them and try again; after "
    "{limit} failed attempts, signing in is paused for {minutes} minutes."
)
PENDING_KEY = "csphub_2fa_pending_secret"
#: Pages never to return to after signing in.
NOT_NEXT = ("/sign-in/", "/sign-out/", "/two-factor/")


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


def _failure(request, username: str, reason: str) -> None:
    """A failed attempt: counted for throttling and recorded in the audit trail."""
    address = client_address(request)
    throttle.record_failure(username, address)
    user = get_user_model().objects.filter(username__iexact=username).first()
    record(
        "sign-in-failed",
        request=request,
        actor=None,
        object_type="auth.user",
        object_id=str(user.pk) if user else "",
        object_repr=username[:300],
        justification=reason,
    )


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in(request):
    target = safe_next(request)
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        address = client_address(request)
        until = throttle.blocked_until(username, address)
        if until is not None:
            record(
                "sign-in-failed",
                request=request,
                object_type="auth.user",
                object_repr=username[:300],
                justification="refused: too many failed attempts",
            )
            form.add_error(None, throttle.retry_message(until))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                _failure(request, username, "wrong user name or password")
                form.add_error(
                    None,
                    FAILED.format(
                        limit=settings.LOGIN_FAILURE_LIMIT,
                        minutes=settings.LOGIN_FAILURE_WINDOW_SECONDS // 60,
                    ),
                )
            else:
                request.session.pop(twofactor.SESSION_KEY, None)
                request.session.pop(PENDING_KEY, None)
                login(request, user)  # a new session key: no session fixation
                record("sign-in", user, request=request, actor=user, object_repr=user.username)
                if twofactor.second_factor_needed(request):
                    return HttpResponseRedirect(_with_next("/two-factor/", target))
                return HttpResponseRedirect(target)
    response = render(request, "hub/access/sign_in.html", {"form": form}, status=status)
    return response


@access(PASSWORD_ONLY)
@require_POST
def sign_out(request):
    record("sign-out", request.user, request=request, object_repr=request.user.username)
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
        username = request.user.username
        until = throttle.blocked_until(username, client_address(request))
        if until is not None:
            form.add_error("code", throttle.retry_message(until))
            mark_errors(form)
            status = 429
        elif twofactor.verify(device, form.cleaned_data["code"]):
            _verified(request, device)
            return HttpResponseRedirect(target)
        else:
            _failure(request, username, "wrong or reused second-factor code")
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
    record(
        "sign-in",
        device,
        request=request,
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
    secret = request.session.get(PENDING_KEY)
    if not secret:
        secret = twofactor.new_secret()
        request.session[PENDING_KEY] = secret
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


@transaction.atomic
def _confirm(request, existing: TwoFactor | None, secret: str, step: int) -> TwoFactor:
    if existing is None:
        device = TwoFactor.objects.create(
            user=request.user, secret=secret, confirmed=True, last_step=step
        )
        record(
            "create",
            device,
            request=request,
            after=snapshot(device),
            object_repr=f"second factor of {request.user.username}",
        )
        return device
    before = snapshot(existing)
    existing.secret, existing.confirmed, existing.last_step = secret, True, step
    existing.save()
    record(
        "update",
        existing,
        request=request,
        before=before,
        after=snapshot(existing),
        object_repr=f"second factor of {request.user.username}",
    )
    return existing
