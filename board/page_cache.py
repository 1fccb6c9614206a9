"""Anonymous visitors' pages, cached whole, with versioned keys.

A public board is read by many more people than write to it. An anonymous
GET of a public page (the board, a message page, an official's page, the
API's list) is answered from the cache (Redis in production, local memory
embedded) when it was rendered before under the same *versions*:

- ``lists``: any change to a message that is or was on the public board
  (publication, a reply, a rating, a 同问, hiding, redaction, a transfer …);
- ``message:<id>``: a change to that message, its replies, ratings,
  timeline, photos or 同问 count;
- ``reference``: an edit of a region, department, official, category,
  holiday or deadline rule, or of the site notice.

A page's key names the versions it depends on (the board and an official's
page: ``lists``; a message page: its own), with ``reference``, the path,
the query string and the language. A change bumps a version after its
transaction commits (``board.signals`` for model saves and deletes), so the
next request renders afresh and stale copies are simply never asked for
again; they expire after ``ZHITONG_PAGE_CACHE_SECONDS`` (also the bound on
anything that changes with time alone, such as a deadline's countdown).

The same key is the page's ``ETag``: a browser or proxy that has the page
gets ``304 Not Modified``, nothing rendered or sent again.

Only anonymous visitors with nothing personal to show are served from the
cache: no flash message waiting, GET or HEAD only. Their pages carry no
CSRF token (the language switch needs none) and set no cookie, so one copy
serves everyone who reads in that language.
"""

import functools
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from board import hooks, request_memo
from board.replicas import public_reads

VERSION_PREFIX = "pages:version:"
PAGE_PREFIX = "pages:page:"
FRAGMENT_PREFIX = "pages:fragment:"
ROW_PREFIX = "pages:row:"
DATA_PREFIX = "pages:data:"
LISTS = "lists"
# The statistics' summary rows: bumped once a day of them is counted again.
STATS = "stats"
REFERENCE = "reference"
# "hit" or "miss" on pages the cache served or stored, for benchmarks.
CACHE_HEADER = "X-Page-Cache"
# Flash messages (django.contrib.messages' cookie and session storage).
MESSAGES_COOKIE = "messages"
MESSAGES_SESSION_KEY = "_messages"
# Versions live longer than pages; a version the cache dropped is replaced
# by a new one, which only costs a miss.
VERSION_TTL_SECONDS = 7 * 24 * 60 * 60


def message_version_name(message_id: int) -> str:
    return f"message:{message_id}"


def cache_enabled() -> bool:
    return getattr(settings, "ZHITONG_PAGE_CACHE_SECONDS", 0) > 0


# --- Invalidation ------------------------------------------------------------


def _bump_now(names: list[str]) -> None:
    versions = {VERSION_PREFIX + name: secrets.token_hex(6) for name in names}
    cache.set_many(versions, VERSION_TTL_SECONDS)
    # The request that made the change reads its new versions.
    request_memo.remember(versions)


def bump(*names: str) -> None:
    """New versions for these names once the current transaction commits
    (at once outside one)."""
    names = list(names)
    transaction.on_commit(lambda: _bump_now(names))


def inbox_version_names(official_ids=(), department_ids=()) -> list[str]:
    """The versions of the inboxes of these addressees: what an inbox's
    order and counts are kept under (board/selectors/handling.py)."""
    return [f"inbox:official:{pk}" for pk in sorted(official_ids)] + [
        f"inbox:department:{pk}" for pk in sorted(department_ids)
    ]


def message_changed(
    message_id: int | None, *, on_board: bool = True, inboxes: list[str] = ()
) -> None:
    """Something shown about this message changed; ``on_board`` also when it
    is (or was) on the public board, whose lists show it; ``inboxes``: the
    versions of the inboxes it is (or was) in (``inbox_version_names``)."""
    names = [message_version_name(message_id)] if message_id else []
    if on_board:
        names.append(LISTS)
    names.extend(inboxes)
    if names:
        bump(*names)


def reference_changed() -> None:
    bump(REFERENCE, LISTS)


# --- Serving -------------------------------------------------------------------


def is_anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD without an account: it may read from a replica."""
    if request.method not in {"GET", "HEAD"}:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def is_cacheable(request: HttpRequest) -> bool:
    if not cache_enabled() or not is_anonymous_read(request):
        return False
    if MESSAGES_COOKIE in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get(MESSAGES_SESSION_KEY))


def _versions(names: list[str]) -> list[str]:
    keys = [VERSION_PREFIX + name for name in names]
    # The middleware, the view and a fragment each make a key: the versions
    # are read once a request.
    found = request_memo.remembered_many(keys, _read_versions)
    return [found[key] for key in keys]


def _read_versions(keys: list[str], read: dict | None = None) -> dict[str, str]:
    """The versions, from the cache or from what was ``read`` of it already;
    a version the cache lacks is made."""
    if read is None:
        found = cache.get_many(keys)
    else:
        found = {key: read[key] for key in keys if key in read}
    missing = {key: secrets.token_hex(6) for key in keys if key not in found}
    if missing:
        # add(): two first readers must not both set a version.
        for key, value in missing.items():
            if not cache.add(key, value, VERSION_TTL_SECONDS):
                value = cache.get(key, value)
            found[key] = value
    return found


def reference_version() -> str:
    """The current version of the reference data (regions, officials,
    categories, the site notice …), for caches of what they show."""
    return _versions([REFERENCE])[0]


def _slot(request: HttpRequest, *parts: str) -> str:
    """A hash of the path, the query string and ``parts``."""
    raw = "|".join([request.path, request.META.get("QUERY_STRING", ""), *parts])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def page_key(
    request: HttpRequest, names: list[str], extra: str = "", language: str = ""
) -> str:
    """Path, query, language, what the page varies on, and the versions."""
    versions = _versions([*names, REFERENCE])
    return _slot(request, language or get_language() or "", extra, *versions)


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # Browsers keep the page but ask each time; the ETag makes that cheap.
    patch_cache_control(response, no_cache=True)
    return response


@dataclass(frozen=True)
class Copy:
    """Where a page's one copy is kept, and the key it is current under.

    ``slot`` names the URL and what the answer varies on besides its data
    (language, the API's Accept header …); ``key`` adds the versions and the
    variants, and is the ETag. The copy is stored with its key, so that it
    is read in the one round trip that reads the versions (``_read_copy``),
    served while its key is the current one, and made again in place after
    a change rather than beside the old one."""

    slot: str
    key: str


def _read_copy(names: list[str], copy_key: str):
    """The stored copy, read in one round trip with the versions of
    ``names`` and ``reference`` and the keys the variants read, which the
    request keeps (board/request_memo.py) for the page's key and parts."""
    versions = [VERSION_PREFIX + name for name in [*names, REFERENCE]]
    variants = hooks.page_cache_variant_keys
    found = cache.get_many([*request_memo.unread([*versions, *variants]), copy_key])
    request_memo.remembered_many(
        versions, lambda keys: _read_versions(keys, read=found)
    )
    request_memo.remember({key: found[key] for key in variants if key in found})
    return found.get(copy_key)


def _find_copy(
    request: HttpRequest, names: list[str], prefix: str, extra: str, language: str
) -> tuple[Copy, tuple | None]:
    """The page's ``Copy``, and what is stored under it while current (the
    stored tuple without its key), else None."""
    slot = _slot(request, language, extra)
    stored = _read_copy(names, prefix + slot)
    variants = [variant(request) for variant in hooks.page_cache_variants]
    copy = Copy(
        slot,
        page_key(request, names, "|".join([extra, *variants]), language=language),
    )
    if stored is None or stored[0] != copy.key:
        return copy, None
    return copy, stored[1:]


def lookup(
    request: HttpRequest, names: list[str], extra: str = ""
) -> tuple[Copy, HttpResponse | None]:
    """Where the page's copy goes, and the answer when the cache has one:
    304 when the client's copy is current, else the stored page. ``extra``
    is what else the answer varies on (the API: the Accept header)."""
    copy, stored = _find_copy(request, names, PAGE_PREFIX, extra, get_language() or "")
    etag = f'"{copy.key}"'
    if request.headers.get("If-None-Match") == etag:
        return copy, _finish(HttpResponseNotModified(), etag)
    if stored is None:
        return copy, None
    content_type, content = stored
    response = HttpResponse(content, content_type=content_type)
    response[CACHE_HEADER] = "hit"
    return copy, _finish(response, etag)


def store(request: HttpRequest, copy: Copy, response: HttpResponse) -> HttpResponse:
    """Keeps a rendered page that is the same for every anonymous reader: a
    plain 200 that sets no cookie and rendered no CSRF token."""
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        cache.set(
            PAGE_PREFIX + copy.slot,
            (copy.key, response["Content-Type"], response.content),
            settings.ZHITONG_PAGE_CACHE_SECONDS,
        )
        response[CACHE_HEADER] = "miss"
        return _finish(response, f'"{copy.key}"')
    return response


def serve(request: HttpRequest, names: list[str], render) -> HttpResponse:
    copy, cached = lookup(request, names)
    if cached is not None:
        return cached
    with public_reads():
        response = render()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return store(request, copy, response)


def cached_fragment(request: HttpRequest, names: list[str], fragment: str, render):
    """Part of a page that is the same for every reader, kept under the
    page's versions: the board's filters and list under a signed-in reader's
    own header, say. ``render()`` makes its HTML on a miss."""
    if not cache_enabled():
        return render()
    key = FRAGMENT_PREFIX + page_key(request, names, f"fragment:{fragment}")
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, settings.ZHITONG_PAGE_CACHE_SECONDS)
    # What render_to_string gave, escaped by our templates; the cache kept
    # the string, not that it was safe.
    return mark_safe(html)  # noqa: S308


def cached_data(names: list[str], key: str, compute):
    """Plain data (no HTML, nothing personal) kept under versions, for every
    reader: the statistics' figures summed from their summary rows, say.
    ``compute()`` makes it on a miss."""
    if not cache_enabled():
        return compute()
    raw = "|".join([key, *_versions(names)])
    full_key = DATA_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:32]
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.ZHITONG_PAGE_CACHE_SECONDS)
    return value


def rendered_rows(template_name: str, rows: list[dict], **context) -> list[str]:
    """Each row of a long list rendered by ``template_name`` (which reads
    ``row`` and ``context`` only, plain data), kept in the cache under a
    hash of that data and the language: a row whose data is unchanged is
    not rendered again, whoever reads it. A row built from a message that
    changed, a deadline a day nearer or a new label has other data, hence
    another key; nothing needs invalidating."""
    template = get_template(template_name)
    if not cache_enabled():
        return [template.render({**context, "row": row}) for row in rows]
    shared = repr(sorted(context.items()))
    prefix = f"{ROW_PREFIX}{template_name}:{get_language() or ''}:"
    keys = [
        prefix
        + hashlib.sha256(f"{shared}|{sorted(row.items())!r}".encode()).hexdigest()
        for row in rows
    ]
    found = cache.get_many(keys)
    rendered, missing = [], {}
    for key, row in zip(keys, rows, strict=True):
        html = found.get(key)
        if html is None:
            html = missing[key] = template.render({**context, "row": row})
        # Our template's output, escaped there; the cache kept the string.
        rendered.append(mark_safe(html))  # noqa: S308
    if missing:
        # A row's key names its data; the time bounds what a deployment
        # that changes its template or translations leaves behind.
        cache.set_many(missing, settings.ZHITONG_PAGE_CACHE_SECONDS)
    return rendered


def cached_page(names_for):
    """A view decorator: ``names_for(request, **kwargs)`` lists the versions
    the page depends on besides ``reference``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_cacheable(request):
                if is_anonymous_read(request):
                    with public_reads():
                        return view(request, *args, **kwargs)
                return view(request, *args, **kwargs)
            return serve(
                request,
                names_for(request, **kwargs),
                lambda: view(request, *args, **kwargs),
            )

        # PageCacheMiddleware finds the versions of a page through its view.
        wrapped.page_cache_names = names_for
        return wrapped

    return decorator


# --- Before the middleware -----------------------------------------------------

FULL_PREFIX = "pages:full:"
# Headers of the first answer that are not replayed: set per response.
NOT_REPLAYED = frozenset({"Set-Cookie", "Date", "ETag", CACHE_HEADER})


class PageCacheMiddleware:
    """Serves a stored page before the rest of the middleware runs.

    A visitor without a session or flash-message cookie is anonymous with
    nothing personal to show, so a page that ``cached_page`` keeps can be
    answered from the cache before sessions, authentication, CSRF, the
    language and the Content-Security-Policy are worked out: the stored copy
    holds the whole answer those produced the first time (its headers
    included, for the same host, scheme and language), kept as ``Copy``
    says, so that a hit is one cache round trip. Visitors with a session
    still get pages from ``cached_page`` inside the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every part of the request reads the versions, the filter lists'
        # version and the queue's health once (board/request_memo.py).
        with request_memo.request_scope():
            return self.answer(request)

    def answer(self, request):
        found = self.page_of(request)
        if found is None:
            return self.get_response(request)
        names, language, extra = found
        copy, stored = _find_copy(request, names, FULL_PREFIX, extra, language)
        etag = f'"{copy.key}"'
        if request.headers.get("If-None-Match") == etag:
            return _finish(HttpResponseNotModified(), etag)
        if stored is not None:
            headers, content = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[CACHE_HEADER] = "hit"
            response["ETag"] = etag
            return response
        response = self.get_response(request)
        if (
            CACHE_HEADER in response
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name not in NOT_REPLAYED
            ]
            cache.set(
                FULL_PREFIX + copy.slot,
                (copy.key, headers, response.content),
                settings.ZHITONG_PAGE_CACHE_SECONDS,
            )
            response["ETag"] = etag
        return response

    @staticmethod
    def page_of(request) -> tuple[list[str], str, str] | None:
        """The versions a cacheable page depends on, the language it is
        answered in and what else it varies on (scheme and host); None for
        a request the middleware leaves to the view."""
        if request.method not in {"GET", "HEAD"} or not cache_enabled():
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
            return None
        try:
            match = resolve(request.path_info)
            host = request.get_host()
        except (Resolver404, DisallowedHost):
            return None
        names_for = getattr(match.func, "page_cache_names", None)
        if names_for is None:
            return None
        return (
            names_for(request, **match.kwargs),
            translation.get_language_from_request(request),
            f"{request.scheme}|{host}",
        )
