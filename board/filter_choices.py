"""The filter forms' long option lists, computed once per language and kept.

The board's, the inbox's and the moderation queue's filters list every
region, official, department and category: about a thousand options, read
by four queries and labelled one by one on every request, signed in or not.
``options(name, choices)`` keeps such a list as plain text, ``(value,
label)`` pairs already escaped for HTML, in the process (a few tens of
kilobytes a list), under its name and the reader's language, with the
*version* of the reference data it was read under. The version lives in
the cache (Redis in production, local memory embedded), shared by every
process, and is read once a request (board/request_memo.py); the lists
were kept in Redis too until each page that showed four of them paid four
round trips for what never changes between edits.

Any save or delete of a region, department, official or category (an
admin's edit) gives that version a new value once its transaction commits
(``sources_changed``, connected in ``BoardConfig.ready``), so the next
request in any process reads the lists afresh. ``QuerySet.update()`` and
``bulk_create()`` send no signal: a list they change shows the change after
``ZHITONG_FILTER_CHOICES_CACHE_SECONDS`` (0 turns the keeping off: the
lists are read for each form, as in the tests). Without Redis each process
has its own version too, and a process that did not make the edit shows it
within that time.
"""

import secrets
from collections.abc import Callable, Iterable
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from board import request_memo
from board.models import Category, Department, Official, Region

VERSION_KEY = "filter-choices:version"
# What the lists show: an edit of any of these bumps the version.
SOURCES = (Region, Department, Official, Category)
# The version outlives the lists; a version the cache dropped is replaced by
# a new one, which only costs a miss.
VERSION_TTL_SECONDS = 7 * 24 * 60 * 60

# (value, value as HTML, label as HTML): what an <option> needs.
Option = tuple[str, str, str]


def cache_seconds() -> int:
    return settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS


def as_options(choices: Iterable[tuple]) -> list[Option]:
    """``(value, label)`` choices as text, escaped once, as Django's widget
    templates escape them (``|stringformat:'s'`` and autoescaping)."""
    return [
        (str(value), conditional_escape(str(value)), conditional_escape(label))
        for value, label in choices
    ]


# (name, language) -> (version, when kept, the value): each process keeps
# its lists, as cards keep their names (board/selectors/cards.py).
_kept: dict[tuple[str, str], tuple[str, float, object]] = {}


def is_keeping() -> bool:
    return cache_seconds() > 0


def _keep(name: str, language: str, read: Callable[[], object]):
    """``read()``, kept in this process under ``name`` and ``language``
    while the version is current and for ``cache_seconds()`` at most."""
    if not is_keeping():
        return read()
    current = version()
    kept = _kept.get((name, language))
    if (
        kept is not None
        and kept[0] == current
        and monotonic() - kept[1] < cache_seconds()
    ):
        return kept[2]
    fresh = read()
    _kept[(name, language)] = (current, monotonic(), fresh)
    return fresh


def options(name: str, choices: Iterable[tuple]) -> list[Option]:
    """The list ``name`` in the active language; ``choices`` is read only
    when this process has no copy under the current version, or one older
    than ``cache_seconds()``."""
    return _keep(name, get_language() or "", lambda: as_options(choices))


def rows(name: str, queryset: QuerySet) -> dict:
    """The rows of ``queryset`` (regions, officials, departments or
    categories) by primary key, kept as ``options`` keeps a list: the
    filters find the row a visitor chose here rather than by a query on
    every request. The rows are shared by every request of the process:
    read them, never change them."""
    return _keep(f"rows:{name}", "", lambda: {row.pk: row for row in queryset})


def region_children() -> dict[int, list[int]]:
    """Each region's child regions' ids, kept as ``rows`` are."""

    def read() -> dict[int, list[int]]:
        children: dict[int, list[int]] = {}
        for pk, parent_id in Region.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        return children

    return _keep("region-children", "", read)


def version() -> str:
    """The reference data's current version, for other caches of what it
    shows (board/selectors/cards.py); read once a request."""
    return request_memo.remembered(
        VERSION_KEY, lambda: cache.get(VERSION_KEY) or _new_version()
    )


def _new_version() -> str:
    version = secrets.token_hex(6)
    # add(): two first readers must not both set a version.
    if not cache.add(VERSION_KEY, version, VERSION_TTL_SECONDS):
        version = cache.get(VERSION_KEY, version)
    return version


def _bump_now() -> None:
    version = secrets.token_hex(6)
    cache.set(VERSION_KEY, version, VERSION_TTL_SECONDS)
    request_memo.remember({VERSION_KEY: version})


def sources_changed(sender, **kwargs) -> None:
    """The receiver of ``SOURCES``' post_save and post_delete: the lists are
    read afresh once the change is committed (a reader before the commit
    still reads the old rows, and keeps them under the old version)."""
    transaction.on_commit(_bump_now)
