"""A reader's display preferences: 长辈模式 (elder mode).

The mode is a class on ``<html>``. Anonymous pages are cached whole, one
copy for every reader (board/page_cache.py), so the server never varies
them on it: a small script in ``<head>`` (static/js/elder-mode.js) reads
the browser's cookie and sets the class before the page is painted. A
signed-in reader's pages are never cached: there the server sets the class
from the account, and the script copies it into the browser's cookie.
"""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from board.actions.users import user_elder_mode_set

ELDER_MODE_COOKIE = "zhitong_elder"
ELDER_MODE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
CHOICES = {"on": True, "off": False}


def elder_mode_of(request) -> bool:
    """Whether 长辈模式 is on for this reader: the account's setting when
    signed in, else this browser's cookie."""
    user = request.user
    if user.is_authenticated:
        return user.elder_mode
    return request.COOKIES.get(ELDER_MODE_COOKIE) == "1"


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    # Only back to a page of this site ("/\\evil.example" is another site).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("board:index")


def _elder_mode_switch(request):
    chosen = request.POST.get("mode", "")
    if chosen and chosen not in CHOICES:
        return HttpResponseBadRequest(_("The mode is either on or off."))
    # Without a choice the switch toggles (the form works without JavaScript).
    is_on = CHOICES[chosen] if chosen else not elder_mode_of(request)
    if request.user.is_authenticated:
        user_elder_mode_set(user=request.user, is_on=is_on)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        ELDER_MODE_COOKIE,
        "1" if is_on else "0",
        max_age=ELDER_MODE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        # Read by the script that applies the mode before paint.
        httponly=False,
    )
    return response


_elder_mode_switch_remembered = csrf_protect(_elder_mode_switch)


@csrf_exempt
@require_POST
def elder_mode_set(request):
    """Turn 长辈模式 on or off (``mode``), or toggle it, then go back.

    Like the language switch, an anonymous visitor's switch only sets a
    cookie and needs no CSRF token: the form on cached pages has none, so
    that one copy of a page serves every anonymous reader. A signed-in
    user's choice is also remembered for the account, and that write is
    CSRF-checked."""
    if request.user.is_authenticated:
        return _elder_mode_switch_remembered(request)
    return _elder_mode_switch(request)
