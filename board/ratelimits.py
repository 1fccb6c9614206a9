"""Rate limits: one mechanism for pages, the API and sockets.

A *family* names what is limited (``posting`` covers submitting and editing a
message, ``following`` the 同问 toggle …); its rate comes from the setting
``ZHITONG_RATE_LIMITS[family]`` (environment ``RATE_LIMIT_<FAMILY>``), e.g.
``"10/h/user,30/h/ip"``: at most 10 an hour per account and 30 an hour per
client address. A part without ``/user`` or ``/ip`` counts in both buckets;
an anonymous request has only its address's. ``RATE_LIMITS=off`` switches
every limit off. docs/security.md lists the families and their defaults.

Entry points use ``rate_limited(family)`` (a decorator for Django views) or,
for the API, ``RateLimitThrottle`` (``REST_FRAMEWORK``'s default throttle),
which reads the view's ``rate_limits`` table. Both count through
``rate_limit_hit``; django-ratelimit keeps the counters in the default cache
(local memory embedded, Redis in production), so every worker shares them.
"""

import functools
import ipaddress
import math

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from board.clients import client_address

SCOPES = ("user", "ip")
# Anonymous API reads: every GET/HEAD/OPTIONS of the API without an account.
API_READS = "api_reads"


def rate_limits_enabled() -> bool:
    return bool(getattr(settings, "ZHITONG_RATE_LIMITS_ENABLED", True))


def family_rates(family: str) -> list[tuple[str, str]]:
    """``(scope, rate)`` pairs of a family, from its setting."""
    try:
        spec = settings.ZHITONG_RATE_LIMITS[family]
    except KeyError:
        raise ImproperlyConfigured(f"No rate limit family {family!r}") from None
    rates = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part or part.lower() in {"off", "none"}:
            continue
        rate, _slash, scope = part.rpartition("/")
        if scope in SCOPES:
            rates.append((scope, rate))
        else:
            rates.extend((each, part) for each in SCOPES)
    return rates


def _address_bucket(request) -> str:
    """The client's address; an IPv6 client owns its whole /64."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "ip:unknown"
    if parsed.version == 6:
        return "ip:" + str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return f"ip:{parsed}"


def rate_limit_hit(family: str, request) -> int | None:
    """Count this request in the family's buckets.

    Returns None when it may proceed, else the seconds until it may retry.
    """
    if not rate_limits_enabled():
        return None
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    wait = None
    for scope, rate in family_rates(family):
        if scope == "user":
            if not signed_in:
                continue
            bucket = f"user:{user.pk}"
        else:
            bucket = _address_bucket(request)
        usage = get_usage(
            request,
            group=f"zhitong.{family}",
            key=lambda _group, _request, bucket=bucket: bucket,
            rate=rate,
            increment=True,
        )
        if usage and usage["should_limit"]:
            wait = max(wait or 0, usage["time_left"], 1)
    return wait


def rate_limit_message(wait: int) -> str:
    """ "Too often; try again in …", in the request's language."""
    if wait < 60:
        delay = ngettext("%(count)d second", "%(count)d seconds", wait) % {
            "count": wait
        }
    else:
        minutes = math.ceil(wait / 60)
        delay = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {
            "count": minutes
        }
    return _("You are doing this too often. Please try again in %(delay)s.") % {
        "delay": delay
    }


# --- Pages -----------------------------------------------------------------------


def rate_limited_response(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"rate_limit_message": rate_limit_message(wait)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def rate_limited(family: str, *, methods=("POST",)):
    """Limit a Django view's ``methods`` requests by ``family``.

    Put it below ``login_required``, so that a signed-in user is counted by
    account as well as by address.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = rate_limit_hit(family, request)
                if wait is not None:
                    return rate_limited_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- The API -----------------------------------------------------------------------


class RateLimited(Throttled):
    """429 with ``{"detail": …, "code": "rate_limited"}`` and Retry-After."""

    default_code = "rate_limited"

    def __init__(self, wait: int):
        super().__init__(detail=rate_limit_message(wait), code=self.default_code)
        # Set after: Throttled would append its own English-worded wait.
        self.wait = wait


class RateLimitThrottle(BaseThrottle):
    """Limits a view by its ``rate_limits``: ``{action or method: family}``.

    A viewset's table is keyed by action (``"create"``, ``"follow_ups"``), an
    APIView's by lower-case method (``"post"``). Anonymous reads are limited
    as ``api_reads`` wherever the table says nothing.
    """

    def allow_request(self, request, view):
        table = getattr(view, "rate_limits", {})
        family = table.get(getattr(view, "action", None)) or table.get(
            request.method.lower()
        )
        is_anonymous_read = (
            request.method in SAFE_METHODS and not request.user.is_authenticated
        )
        if family is None and is_anonymous_read:
            family = API_READS
        if family is None:
            return True
        wait = rate_limit_hit(family, request)
        if wait is not None:
            raise RateLimited(wait)
        return True


# --- Sockets ---------------------------------------------------------------------


def socket_over_cap(open_sockets: int) -> bool:
    """Whether an account's ``open_sockets`` (this one included) are more
    than ``ZHITONG_MAX_SOCKETS_PER_USER`` (board/realtime/presence.py counts
    them)."""
    return (
        rate_limits_enabled() and open_sockets > settings.ZHITONG_MAX_SOCKETS_PER_USER
    )
