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
        cached = required_for(user) or confirmed_device(user) is not None
        request._csphub_2fa_needed = cached
    return cached


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: Any, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def verify(device: TwoFactor, code: str) -> bool:
    """Check a 6-digit code (one step of clock drift allowed); each step is accepted once."""
    code = "".join(str(code).split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    for offset in (0, -1, 1):
        at = totp.timecode(_now()) + offset
        if at > device.last_step and totp.generate_otp(at) == code:
            device.last_step = at
            device.save(update_fields=["last_step"])
            return True
    return False


def _now():
    import datetime as dt

    return dt.datetime.now(tz=dt.UTC)
