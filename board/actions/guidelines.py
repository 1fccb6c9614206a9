"""留言须知: administrators publish the posting guidelines."""

from django.db import transaction

from board import page_cache
from board.models import PostingGuidelines
from board.selectors.guidelines import GUIDELINES_VERSION


@transaction.atomic
def posting_guidelines_publish(*, text: str, text_en: str) -> PostingGuidelines:
    """New guidelines in force from now. Earlier versions are kept as the
    record of what citizens agreed to when; the newest is shown."""
    guidelines = PostingGuidelines.objects.create(
        text=text.strip(), text_en=text_en.strip()
    )
    # Pages that show them (cached for anonymous readers) render afresh
    # after commit.
    page_cache.bump(GUIDELINES_VERSION)
    return guidelines
