"""Template context every page gets from moderation: the nav link for
moderators, and the site notice while the review queue is behind."""

from django.core.cache import cache
from django.utils.translation import get_language

from board.page_cache import cache_enabled, reference_version
from board.request_memo import remembered
from board.roles import is_moderator

from . import selectors
from .models import SiteNotice

QUEUE_IS_BEHIND_CACHE_KEY = "moderation.queue_is_behind"
# Every page asks; the queue's health is computed at most once a minute.
QUEUE_HEALTH_CACHE_SECONDS = 60


def queue_is_behind() -> bool:
    # Asked by the page cache's key and by the context processor: read
    # once a request (board/request_memo.py).
    return remembered(
        QUEUE_IS_BEHIND_CACHE_KEY,
        lambda: cache.get_or_set(
            QUEUE_IS_BEHIND_CACHE_KEY,
            selectors.queue_is_behind,
            QUEUE_HEALTH_CACHE_SECONDS,
        ),
    )


def _active_notice_text() -> str:
    notice = SiteNotice.objects.filter(is_active=True).order_by("-updated_at").first()
    return notice.display_text if notice is not None else ""


def site_notice() -> str:
    """The active notice's text while reviews are late; "" otherwise."""
    if not queue_is_behind():
        return ""
    if not cache_enabled():
        return _active_notice_text()
    # Read once per edit and language, not on every page: an edit of a
    # notice moves the reference version (moderation/signals.py).
    key = f"moderation.site_notice:{reference_version()}:{get_language()}"
    return cache.get_or_set(key, _active_notice_text, QUEUE_HEALTH_CACHE_SECONDS)


def moderation(request):
    user = getattr(request, "user", None)
    return {
        "show_moderation_link": user is not None and is_moderator(user),
        "site_notice": site_notice(),
    }


def site_notice_variant(request) -> str:
    """What a cached anonymous page varies on (board/page_cache.py): whether
    the site notice shows. Its text's edits bump the pages' versions
    (moderation/signals.py)."""
    return "notice" if queue_is_behind() else ""
