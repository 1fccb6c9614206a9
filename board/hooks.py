"""Where an app built on board plugs into board's flows.

``moderation`` builds on ``board``, so board never imports it. Where a board
flow needs a moderation concern, moderation registers a function here in its
``AppConfig.ready``: the pre-screen of a submission, and its part of the
public message page (the report form, the outcome owed to the author,
duplicate links), and what its cached pages vary on (the site notice).
Board alone runs without them: nothing is screened and the
page has no moderation part.
"""

from collections.abc import Callable

# Called with (message, author) before a submitted or edited message is
# saved; sets the hold and the pre-screen findings on it.
submission_screeners: list[Callable] = []

# Called with (request, message, bound_forms); each returns context for
# board/message_detail.html. ``bound_forms`` holds a refused form by name.
message_page_parts: list[Callable[..., dict]] = []

# Called with (request); each returns a short text that a cached anonymous
# page varies on besides its data (board/page_cache.py): moderation's site
# notice, shown while reviews are late.
page_cache_variants: list[Callable[..., str]] = []

# The cache keys those variants read once a request (board/request_memo.py,
# under the same key): read with the stored page, in its one round trip.
page_cache_variant_keys: list[str] = []


def register(hook: list, entry: Callable | str) -> None:
    """Add a function (or, to ``page_cache_variant_keys``, a key) to a hook
    once, however often ``ready`` runs."""
    if entry not in hook:
        hook.append(entry)


def screen_submission(message, author) -> None:
    for screen in submission_screeners:
        screen(message, author)
