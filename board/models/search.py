"""The search index's documents: a message's public text as search terms.

One row per message, written by board/search_index.py from what the public
sees of it (board/text_terms.py cuts the text into terms). The database
matches and ranks the terms with what migration 0014 adds outside Django's
knowledge: on PostgreSQL a stored ``vector`` tsvector column with a GIN
index, on SQLite an FTS5 table kept in step by triggers. Who may see which
message is not stored here: every search intersects a queryset the caller
built for the reader.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import Message


class SearchDocument(models.Model):
    message = models.OneToOneField(
        Message,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    # Space-separated terms (board.text_terms.index_terms).
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # The message's published replies, as the public reads them.
    reply_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"{self.message_id}"
