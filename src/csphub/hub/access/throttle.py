"""Sign-in throttling that bounds guessing without letting anyone lock everyone out.

**What is counted.** Every attempt (a password at sign-in, a second-factor code, the current
password on the change-password page) first claims one unit on each counter that applies;
a success gives its units back, a failure keeps them. Within
``settings.LOGIN_FAILURE_WINDOW_SECONDS`` (15 minutes) of a counter's first unit:

- the user name from this address: ``LOGIN_FAILURE_LIMIT`` (5);
- the user name from anywhere: ``LOGIN_ACCOUNT_FAILURE_LIMIT`` (20), not counted from a
  network the user fully signed in from in the last ``LOGIN_KNOWN_ADDRESS_DAYS`` (30);
- unknown user names from this address: ``LOGIN_ADDRESS_FAILURE_LIMIT`` (20).

An attempt that finds any of its counters full is refused (429) before any password is
checked, until that counter's window ends; refusals are not counted, and not audited.

**Why this shape.**

- *Nobody can lock out everyone.* An address alone counts only unknown user names, so the
  people behind one address (a TLS proxy not passing the client's address, a council
  office behind one NAT) cannot block each other. Behind a proxy, set
  ``CSPHUB_TRUSTED_PROXY_HEADER`` so that the address is the client's (:mod:`.proxy`).
- *Guessing at alice does not lock alice out.* An attacker at one address gets 5 guesses a
  window and is stopped; alice at her own address still signs in, because her counter
  for all addresses is four times higher. Attackers at four or more addresses can fill
  that one too, and then alice still signs in from a network she signed in from before.
  An IPv6 address counts as its /64 network, so one host cannot pose as many addresses.
- *Names are not disclosed, and not kept.* An unknown user name is counted like a known
  one, under a keyed hash (HMAC with the secret key) of the name, so its answers are the
  same as a real user's until its address has spent its 20 unknown names; a password typed
  into the user-name box is never stored, here or in the audit trail.
- *No race.* A claim is one conditional UPDATE per counter (``count = count + 1`` only
  ``WHERE count < limit``, or a new window once the old one has ended), all counters in
  one transaction in a fixed order, so concurrent guesses cannot all see "4 so far": at
  most the limit of passwords is checked per window. The claim commits before the
  password is hashed, so row locks are held for a few statements only.

**Why not django-axes.** It is well kept, but it keeps a row per attempt with the user
name as typed (and the client's user agent and path), its lockout parameters lock an
address, a name or a combination of them, which cannot say "an address alone only for
unknown names" or "a higher limit per account, with the user's own networks exempt", it
checks the count before authenticating and adds to it in the failure signal afterwards,
and it writes an access log beside the hub's one audit trail. What is needed here is this
module, on two small tables of the hub's own.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac

from csphub.hub.access.models import AccountState, SignInCounter

PURPOSE = "csphub.hub.access.throttle: user names"
#: How many networks a user's account remembers (the most recent).
KNOWN_NETWORKS = 5


@dataclass(frozen=True)
class Attempt:
    """One attempt: the counters it holds a unit of, or the time it is refused until.
    ``full_until``: when this attempt filled a counter, the end of that counter's window
    (so a failure can say that further attempts are refused until then)."""

    keys: tuple[str, ...] = ()
    refused_until: dt.datetime | None = None
    full_until: dt.datetime | None = None


class _Full(Exception):
    pass


def window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def network(address: str | None) -> str | None:
    """What an address counts as: itself (IPv4), or its /64 network (IPv6).

    >>> network("203.0.113.7"), network("2001:db8:1:2:aaaa::1"), network("::ffff:10.0.0.1")
    ('203.0.113.7', '2001:db8:1:2::/64', '10.0.0.1')
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_named(name: str) -> Any:
    """The user whose user name is ``name`` (any case), or ``None``."""
    model = get_user_model()
    return model.objects.filter(username__iexact=name.strip()).order_by("pk").first()


def _subject(name: str, account: Any) -> str:
    if account is not None:
        return f"u{account.pk}"
    return "n" + salted_hmac(PURPOSE, name.strip().casefold()).hexdigest()[:32]


def _known(account: Any, net: str) -> bool:
    networks = (
        AccountState.objects.filter(user=account).values_list("known_networks", flat=True).first()
    )
    seen = (networks or {}).get(net)
    days = dt.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return bool(seen) and dt.datetime.fromisoformat(seen) > timezone.now() - days


def _limits(name: str, account: Any, address: str | None) -> dict[str, int]:
    net = network(address)
    subject = _subject(name, account)
    limits = {}
    if net:
        limits[f"{subject}@{net}"] = settings.LOGIN_FAILURE_LIMIT
    if not (account is not None and net and _known(account, net)):
        limits[subject] = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if account is None and net:
        limits[f"@{net}"] = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return limits


def _claim(key: str, limit: int, now: dt.datetime) -> dt.datetime | None:
    """One unit of ``key``'s counter, or :class:`_Full`; the end of the counter's window
    when this unit filled it, else ``None``."""
    ended = Q(started__lte=now - window())
    for _ in range(3):  # a row pruned between the insert and the update is made again
        SignInCounter.objects.bulk_create(
            [SignInCounter(key=key, started=now, count=0)], ignore_conflicts=True
        )
        claimed = SignInCounter.objects.filter(Q(key=key) & (ended | Q(count__lt=limit))).update(
            count=Case(When(ended, then=Value(1)), default=F("count") + 1),
            started=Case(When(ended, then=Value(now)), default=F("started")),
        )
        row = SignInCounter.objects.filter(key=key).values_list("count", "started").first()
        if row is None:
            continue
        if not claimed:
            raise _Full
        count, started = row
        return started + window() if count >= limit else None
    raise _Full


def _refused_until(limits: dict[str, int], now: dt.datetime) -> dt.datetime:
    rows = SignInCounter.objects.filter(key__in=limits, started__gt=now - window())
    full = [
        started
        for key, count, started in rows.values_list("key", "count", "started")
        if count >= limits[key]
    ]
    return max(full, default=now) + window()


def begin(name: str, account: Any, address: str | None) -> Attempt:
    """Claim this attempt on every counter that applies, all or none: an :class:`Attempt`
    holding them, or one refused until a time (nothing claimed)."""
    limits = _limits(name, account, address)
    now = timezone.now()
    try:
        with transaction.atomic():
            ends = [_claim(key, limits[key], now) for key in sorted(limits)]
    except _Full:
        return Attempt(refused_until=_refused_until(limits, now))
    return Attempt(keys=tuple(sorted(limits)), full_until=max(filter(None, ends), default=None))


def succeeded(attempt: Attempt) -> None:
    """Give back the units of an attempt that succeeded."""
    if attempt.keys:
        SignInCounter.objects.filter(key__in=attempt.keys, count__gt=0).update(count=F("count") - 1)


def failed(attempt: Attempt) -> None:
    """Keep the units of a failed attempt; forget counters whose windows ended long ago
    (skipping any another request holds, so pruning never waits on a claim)."""
    with transaction.atomic():
        stale = SignInCounter.objects.filter(started__lt=timezone.now() - 2 * window())
        ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True)[:500])
        SignInCounter.objects.filter(pk__in=ids).delete()


def remember(user: Any, address: str | None) -> None:
    """``user`` fully signed in from ``address``: its network is theirs for a while."""
    net = network(address)
    if net is None:
        return
    state, _ = AccountState.objects.get_or_create(user=user)
    since = timezone.now() - dt.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    seen = {
        n: at
        for n, at in (state.known_networks or {}).items()
        if dt.datetime.fromisoformat(at) > since and n != net
    }
    recent = sorted(seen.items(), key=lambda item: item[1])[-(KNOWN_NETWORKS - 1) :]
    state.known_networks = {**dict(recent), net: timezone.now().isoformat()}
    state.save(update_fields=["known_networks"])


def forget(user: Any) -> None:
    """Clear the counters of ``user``'s account (after an administrator's reset)."""
    key = f"u{user.pk}"
    SignInCounter.objects.filter(Q(key=key) | Q(key__startswith=f"{key}@")).delete()


def retry_message(until: dt.datetime) -> str:
    at = timezone.localtime(until)
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return (
        "There have been too many failed sign-in attempts for this user name. Try again "
        f"after {at:%H:%M} (in about {minutes} minute{'s' if minutes != 1 else ''}). If you "
        "have forgotten your password, ask your partnership's administrator to reset it."
    )
