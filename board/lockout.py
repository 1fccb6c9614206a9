"""The answer to a locked-out login (django-axes' ``AXES_LOCKOUT_CALLABLE``).

django-axes counts failed logins per account and client address (settings:
"Accounts and tokens") on every way in: allauth's login form, the admin's
and ``POST /api/v1/auth/token/``. Once an account is locked from an
address, even the right password is refused until the cool-off has passed:
the API answers 429 with ``{"detail": …, "code": "locked_out"}``, a page
answers 429 with a page in the site's language. Both carry Retry-After.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

API_PREFIX = "/api/"
LOCKOUT_TEMPLATE = "account/lockout.html"


def is_locked_out(request: HttpRequest) -> bool:
    """Whether django-axes refused the login this request just tried."""
    return bool(getattr(request, "axes_locked_out", False))


def is_login_locked(request: HttpRequest, username: str) -> bool:
    """Whether logins to this account are paused from this request's
    address (a step after the password, such as the second factor, asks)."""
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


def record_failed_login(request: HttpRequest, username: str) -> None:
    """Counts a failure that ``authenticate`` did not see (a wrong second-
    factor code) in the same lockout as a wrong password."""
    user_login_failed.send(
        sender=__name__, credentials={"username": username}, request=request
    )


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed logins for this account from your network. For your "
        "security, logging in is paused: try again in %(minutes)d minute, or "
        "reset your password.",
        "Too many failed logins for this account from your network. For your "
        "security, logging in is paused: try again in %(minutes)d minutes, or "
        "reset your password.",
        minutes,
    ) % {"minutes": minutes}


def cool_off_seconds(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(int(cool_off.total_seconds()), 1) if cool_off else 0


def lockout_message_for(request: HttpRequest) -> str:
    return lockout_message(max(math.ceil(cool_off_seconds(request) / 60), 1))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """429 for a locked-out login: JSON for the API, a page elsewhere."""
    seconds = cool_off_seconds(request)
    minutes = max(math.ceil(seconds / 60), 1)
    message = lockout_message(minutes)
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        response = render(
            request,
            LOCKOUT_TEMPLATE,
            {"lockout_message": message, "minutes": minutes},
            status=429,
        )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
