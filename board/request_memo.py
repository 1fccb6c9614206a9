"""Values one request reads from the cache once, however many parts ask.

An anonymous page that misses the page cache asks for the same few values
several times: the page's versions (for the middleware's key, the view's,
a fragment's), the filter lists' version, whether the review queue is
behind (a page variant, then the context processor). Each ask was a Redis
round trip; a board page rendered afresh made 23.

``PageCacheMiddleware`` opens a scope for each request (``request_scope``);
inside it, ``remembered`` and ``remembered_many`` read a key once and keep
it for the rest of the request. A value the request changes itself (a
version it bumps once its transaction commits) is written into the scope
too (``remember``), so the request reads its own change. Outside a scope
(consumers, tasks, the shell, tests that call a function directly) every
ask reads, as before. A request is short and reads a snapshot; another
process's change shows from the next request on, as it did.

Written here rather than taken from a package: what it needs is a dict in a
``ContextVar`` for the length of a request (the few request-cache packages
for Django keep a cache per request object, which the selectors that ask
do not have).
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar

_scope: ContextVar[dict | None] = ContextVar("request_memo", default=None)


@contextmanager
def request_scope():
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def remembered(key: str, read: Callable[[], object]):
    """``read()``'s value, read once in this request."""
    memo = _scope.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def remembered_many(
    keys: Iterable[str], read_many: Callable[[list[str]], dict]
) -> dict:
    """``{key: value}`` for ``keys``; ``read_many(missing)`` reads, once in
    this request, those not read yet, and answers for each of them."""
    keys = list(keys)
    memo = _scope.get()
    if memo is None:
        return read_many(keys)
    missing = [key for key in keys if key not in memo]
    if missing:
        memo.update(read_many(missing))
    return {key: memo[key] for key in keys}


def unread(keys: Iterable[str]) -> list[str]:
    """Those of ``keys`` this request has not read yet (all, outside a
    scope): what a read made together with something else should ask."""
    memo = _scope.get()
    if memo is None:
        return list(keys)
    return [key for key in keys if key not in memo]


def remember(values: dict) -> None:
    """Values this request has just written, or read with something else
    (the page cache reads a stored page with its versions): what it reads
    from now on."""
    memo = _scope.get()
    if memo is not None:
        memo.update(values)
