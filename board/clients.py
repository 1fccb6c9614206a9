"""The client's address: who is on the other end of a request or a socket.

Behind a reverse proxy every connection comes from the proxy, so
``REMOTE_ADDR`` is the same for every visitor. Each proxy appends the address
it saw to ``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` proxies of our own
in front, the client is the Nth entry from the right. Entries further left
were written by the client and are never believed. With the default of 0 the
header is ignored altogether, so a client can never choose its own address.

One rule for pages, the API, sockets (``client_address_from_scope``), the
login lockout (django-axes) and allauth's own limits (moderation's adapter).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str:
    """A canonical IP address, or "" for anything that is not one.

    Tolerates a port ("1.2.3.4:80", "[::1]:80") and the brackets of IPv6.
    """
    value = value.strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def _trusted_proxy_count() -> int:
    return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)


def resolve_client_address(remote_addr: str, forwarded_for: str) -> str:
    """The client's address from the peer's address and X-Forwarded-For.

    A header shorter than the number of trusted proxies, or whose entry at
    that place is not an address, means the request did not come through
    them as configured: fall back to the peer's address.
    """
    count = _trusted_proxy_count()
    if count and forwarded_for:
        entries = forwarded_for.split(",")
        if len(entries) >= count:
            address = _clean(entries[-count])
            if address:
                return address
    return _clean(remote_addr or "")


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent this request ("" if unknown)."""
    return resolve_client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
    )


def client_address_from_scope(scope: dict) -> str:
    """The same for an ASGI scope (a WebSocket's or an HTTP request's)."""
    client = scope.get("client") or ("", 0)
    # Several X-Forwarded-For lines read as one list, in order (RFC 9110).
    forwarded_for = ",".join(
        value.decode("latin-1")
        for name, value in scope.get("headers", ())
        if name.lower() == b"x-forwarded-for"
    )
    return resolve_client_address(str(client[0] or ""), forwarded_for)
