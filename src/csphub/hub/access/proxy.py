"""The client's address behind a reverse proxy, for throttling and the audit trail.

Behind a TLS proxy every connection comes from the proxy, so ``REMOTE_ADDR`` is the same
for everyone. When ``settings.TRUSTED_PROXY_HEADER`` is set (``CSPHUB_TRUSTED_PROXY_HEADER``,
e.g. ``X-Forwarded-For``), :class:`ClientAddressMiddleware` puts the client's address from
that header in ``REMOTE_ADDR`` (the proxy's own address is kept in
``META["CSPHUB_PROXY_ADDR"]``), so every reader of the address (the sign-in throttle, the
audit trail, Django's logs) sees the client.

Each proxy appends the address it saw to the end of the header, so with
``settings.TRUSTED_PROXY_COUNT`` = n trusted proxies the client is the n-th entry from the
right: anything further left was written by the client and is not believed. With fewer
entries than proxies the leftmost is taken; a value that is not an IP address is ignored.
Unset, the header is never read (a client could write anything in it).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def client_address(meta: dict, header: str | None, proxies: int) -> str | None:
    """The client's address from a request's ``META``: the ``proxies``-th entry from the
    right of ``header``, or ``REMOTE_ADDR`` when there is no usable header.

    >>> meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    >>> client_address(meta, "HTTP_X_FORWARDED_FOR", 1)
    '203.0.113.9'
    >>> client_address(meta, None, 1)
    '10.0.0.1'
    """
    peer = meta.get("REMOTE_ADDR")
    if not header or not meta.get(header):
        return peer
    entries = [e.strip() for e in meta[header].split(",") if e.strip()]
    if not entries:
        return peer
    candidate = entries[-proxies] if len(entries) >= proxies else entries[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header, proxies = settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT
        if header:
            if proxies < 1:
                raise ImproperlyConfigured("CSPHUB_TRUSTED_PROXIES must be 1 or more")
            meta = request.META
            meta["CSPHUB_PROXY_ADDR"] = meta.get("REMOTE_ADDR")
            meta["REMOTE_ADDR"] = client_address(meta, header, proxies)
        return self.get_response(request)
