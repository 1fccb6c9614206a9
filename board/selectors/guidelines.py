"""留言须知: the posting guidelines the compose page and /guidelines/ show."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt

from board import page_cache
from board.models import PostingGuidelines

# The page cache's version of the guidelines (board/page_cache.py), bumped
# when an administrator publishes new ones (board/actions/guidelines.py).
GUIDELINES_VERSION = "guidelines"


@dataclass(frozen=True)
class GuidelinesShown:
    html: SafeString
    updated_at: datetime | None


@cache
def _markdown() -> MarkdownIt:
    # Administrators write headings and lists; raw HTML is escaped and
    # unsafe link schemes refused (markdown-it's validateLink).
    return MarkdownIt("commonmark", {"html": False})


def posting_guidelines_current() -> PostingGuidelines | None:
    """The newest version is the one in force."""
    return PostingGuidelines.objects.order_by("-updated_at", "-pk").first()


def posting_guidelines_shown() -> GuidelinesShown | None:
    """The guidelines in force, rendered in the reader's language; kept in
    the cache until new ones are published."""

    def render():
        guidelines = posting_guidelines_current()
        if guidelines is None:
            return None
        return (_markdown().render(guidelines.display_text), guidelines.updated_at)

    rendered = page_cache.cached_data(
        [GUIDELINES_VERSION], f"guidelines:{get_language() or ''}", render
    )
    if rendered is None:
        return None
    html, updated_at = rendered
    # markdown-it's output with raw HTML escaped (see _markdown).
    return GuidelinesShown(html=mark_safe(html), updated_at=updated_at)  # noqa: S308
