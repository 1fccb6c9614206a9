"""Pages that administrators write: the posting guidelines (留言须知)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from board.languages import in_reader_language


class PostingGuidelines(models.Model):
    """留言须知: what a citizen agrees to before posting. The newest
    version is the one shown; older ones stay as the record of what
    citizens agreed to when."""

    text = models.TextField(_("guidelines (Chinese)"))
    text_en = models.TextField(_("guidelines (English)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("posting guidelines")
        verbose_name_plural = _("posting guidelines")
        ordering = ["-updated_at", "-pk"]
        get_latest_by = ["updated_at", "pk"]

    def __str__(self):
        return self.text[:40]

    @property
    def display_text(self) -> str:
        return in_reader_language(self.text, self.text_en)
