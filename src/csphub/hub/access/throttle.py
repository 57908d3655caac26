"""Sign-in throttling: after ``settings.LOGIN_FAILURE_LIMIT`` failures for a user name, or
from an address, within ``settings.LOGIN_FAILURE_WINDOW_SECONDS``, further attempts are
refused (even with the right password) until enough of those failures are older than the
window. Wrong second-factor codes count as failures too."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from csphub.hub.access.models import SignInFailure


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _retry_at(times: list[dt.datetime]) -> dt.datetime | None:
    """When the failures ``times`` (newest first) drop below the limit, or ``None`` when
    they already are below it."""
    limit = settings.LOGIN_FAILURE_LIMIT
    if len(times) < limit:
        return None
    return times[limit - 1] + _window()


def blocked_until(username: str, address: str | None) -> dt.datetime | None:
    """The time from which this user name and address may try again; ``None``: now."""
    since = timezone.now() - _window()
    recent = SignInFailure.objects.filter(at__gt=since).order_by("-at")
    limit = settings.LOGIN_FAILURE_LIMIT
    times = []
    if username:
        by_name = recent.filter(username__iexact=username).values_list("at", flat=True)
        times.append(_retry_at(list(by_name[:limit])))
    if address:
        by_address = recent.filter(address=address).values_list("at", flat=True)
        times.append(_retry_at(list(by_address[:limit])))
    blocked = [t for t in times if t is not None]
    return max(blocked) if blocked else None


def record_failure(username: str, address: str | None) -> None:
    """Note one failure, and forget the failures too old to count."""
    SignInFailure.objects.filter(at__lt=timezone.now() - 2 * _window()).delete()
    SignInFailure.objects.create(username=username[:150], address=address)


def retry_message(until: dt.datetime) -> str:
    at = timezone.localtime(until)
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return (
        "There have been too many failed sign-in attempts for this user name or from this "
        f"address. Try again after {at:%H:%M} (in about {minutes} minute"
        f"{'s' if minutes != 1 else ''}). If you have forgotten your password, ask your "
        "partnership's administrator to reset it."
    )
