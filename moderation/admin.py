"""Admin for moderation: reasons, rules and notices are edited here; the rest is
read-only, because blocks, reports and decisions go through the audited
moderation actions, and the audit trail itself is append-only.
"""

import re

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    BlockedEmailDomain,
    ModerationReason,
    ModeratorNote,
    OriginalContent,
    Report,
    ScreeningRule,
    SiteNotice,
    UserBlock,
)


@admin.register(ModerationReason)
class ModerationReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "title_en", "requires_note", "sort_order")
    list_editable = ("sort_order",)
    list_filter = ("is_active", "requires_note")
    search_fields = ("code", "title", "title_en")

    def get_readonly_fields(self, request, obj=None):
        # The codes are part of the API and stored on decided messages.
        if obj is not None:
            return ("code",)
        return ()


class ScreeningRuleForm(forms.ModelForm):
    class Meta:
        model = ScreeningRule
        fields = ("pattern", "is_regex", "label", "needs_second_approval", "is_active")

    def clean(self):
        cleaned_data = super().clean()
        pattern = cleaned_data.get("pattern")
        if pattern and cleaned_data.get("is_regex"):
            try:
                # The pre-screen searches with IGNORECASE; compile it the same way.
                re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                self.add_error(
                    "pattern",
                    _("This is not a valid regular expression: %(error)s")
                    % {"error": error},
                )
        return cleaned_data


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(admin.ModelAdmin):
    form = ScreeningRuleForm
    list_display = (
        "label",
        "pattern",
        "is_regex",
        "needs_second_approval",
        "is_active",
    )
    list_filter = ("is_active", "is_regex", "needs_second_approval")
    search_fields = ("label", "pattern")


@admin.register(SiteNotice)
class SiteNoticeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "is_active", "updated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browsable only: these rows change through the moderation actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(UserBlock)
class UserBlockAdmin(ReadOnlyAdmin):
    list_display = ("user", "reason", "created_by", "created_at", "lifted_at")
    list_filter = ("lifted_at",)
    search_fields = ("user__username", "reason")
    list_select_related = ("user", "created_by")


@admin.register(BlockedEmailDomain)
class BlockedEmailDomainAdmin(ReadOnlyAdmin):
    list_display = ("domain", "reason", "created_by", "created_at")
    search_fields = ("domain", "reason")
    list_select_related = ("created_by",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("message", "reporter", "created_at", "resolved_at", "resolution")
    list_filter = ("resolution",)
    search_fields = ("message__reference", "reason")
    list_select_related = ("message", "reporter")


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ("message", "author", "__str__", "created_at")
    search_fields = ("message__reference", "body")
    list_select_related = ("message", "author")


@admin.register(OriginalContent)
class OriginalContentAdmin(ReadOnlyAdmin):
    list_display = ("message", "title", "created_at")
    search_fields = ("message__reference", "title")
    list_select_related = ("message",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The append-only audit trail: admins browse and filter it, nothing more."""

    list_display = (
        "created_at",
        "actor",
        "verb",
        "message",
        "target_type",
        "target_id",
        "reason",
    )
    list_filter = ("verb", ("actor", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "created_at"
    search_fields = ("message__reference", "target_id", "reason")
    list_select_related = ("actor", "message")
    show_full_result_count = False
