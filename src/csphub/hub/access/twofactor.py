"""TOTP second factor (RFC 6238, via pyotp): who must use it and whether it is done.

A user must use a second factor when any agency they belong to requires it, or once they
have set one up. The session records that the factor was verified for this sign-in.
"""

from __future__ import annotations

from typing import Any

import pyotp

from csphub.hub.access.models import Membership, TwoFactor

SESSION_KEY = "csphub_2fa_verified"
ISSUER = "csphub"


def required_for(user: Any) -> bool:
    return Membership.objects.filter(
        user=user, active=True, agency__requires_two_factor=True
    ).exists()


def confirmed_device(user: Any) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user, confirmed=True).first()


def second_factor_needed(request: Any) -> bool:
    """True when this signed-in session must still pass (or set up) the second factor."""
    if request.session.get(SESSION_KEY):
        return False
    user = request.user
    cached = getattr(request, "_csphub_2fa_needed", None)
    if cached is None:
        cached = _required_or_set_up(user)
        request._csphub_2fa_needed = cached
    return cached


def _required_or_set_up(user: Any) -> bool:
    """Whether an agency of the user requires a second factor or the user has one, in one
    query (this runs on every request)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    required = Membership.objects.filter(
        user=OuterRef("pk"), active=True, agency__requires_two_factor=True
    )
    device = TwoFactor.objects.filter(user=OuterRef("pk"), confirmed=True)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(required=Exists(required), device=Exists(device))
        .values_list("required", "device")
        .first()
    )
    return bool(row and (row[0] or row[1]))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: Any, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def normalise(code: str) -> str:
    """The code as typed, without spaces."""
    return "".join(str(code).split())


def matching_step(secret: str, code: str, *, after: int = 0) -> int | None:
    """The time step whose code for ``secret`` is ``code`` (this step, or one either side
    for clock drift), provided it is later than ``after``; ``None`` when there is none."""
    code = normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(_now())
    for offset in (0, -1, 1):
        at = now + offset
        if at > after and totp.generate_otp(at) == code:
            return at
    return None


def verify(device: TwoFactor, code: str) -> bool:
    """Check a 6-digit code (one step of clock drift allowed); each step is accepted once."""
    at = matching_step(device.secret, code, after=device.last_step)
    if at is None:
        return False
    # A conditional update, so two requests racing with the same code cannot both pass.
    if not TwoFactor.objects.filter(pk=device.pk, last_step__lt=at).update(last_step=at):
        return False
    device.last_step = at
    return True


def qr_data_uri(uri: str) -> str:
    """The provisioning URI as a QR code: an SVG ``data:`` URI (CSP allows ``img-src data:``)."""
    import segno

    return segno.make(uri, micro=False, error="m").svg_data_uri(scale=5, border=4)


def _now():
    import datetime as dt

    return dt.datetime.now(tz=dt.UTC)
