"""Board's admin: users, regions, departments (with their own response
deadlines), officials, categories, the working calendar (holidays and
make-up working days), the posting guidelines (留言须知), and messages
(read-only timeline and attachments)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from .actions.guidelines import posting_guidelines_publish
from .models import (
    Category,
    Department,
    DepartmentDeadline,
    Holiday,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageKind,
    Official,
    PostingGuidelines,
    Region,
    User,
)
from .selectors.guidelines import posting_guidelines_current


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ("display_name", "language")}),
    )
    list_display = ("username", "email", "display_name", "is_active", "is_staff")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "name_en", "code")
    autocomplete_fields = ("parent",)


class DepartmentDeadlineForm(forms.ModelForm):
    # The kinds a message has, not free text.
    kind = forms.ChoiceField(label=_("kind"), choices=MessageKind.choices)

    class Meta:
        model = DepartmentDeadline
        fields = ["kind", "working_days"]


class DepartmentDeadlineInline(admin.TabularInline):
    """A department's own response deadline per kind of message; without
    one, ZHITONG_DEADLINE_WORKING_DAYS applies."""

    model = DepartmentDeadline
    extra = 0
    form = DepartmentDeadlineForm


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "region")
    list_filter = ("region__level",)
    search_fields = ("name", "name_en", "routing_keywords")
    autocomplete_fields = ("region",)
    inlines = [DepartmentDeadlineInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working calendar deadlines and statistics count in."""

    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "region", "department", "user", "is_active")
    list_filter = ("is_active", "region__level")
    search_fields = ("name", "title", "user__username")
    autocomplete_fields = ("region", "department", "user")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "name_en", "routing_keywords")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(PostingGuidelines)
class PostingGuidelinesAdmin(admin.ModelAdmin):
    """留言须知. Saving publishes a new version, in force at once; earlier
    versions stay, read-only, as the record of what citizens agreed to."""

    list_display = ("__str__", "updated_at")
    fields = ("text", "text_en", "updated_at")
    readonly_fields = ("updated_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in ("text", "text_en"):
            form.base_fields[name].help_text = _(
                "Paragraphs separated by blank lines; “## ” starts a heading "
                "and “- ” a list item."
            )
        return form

    def save_model(self, request, obj, form, change):
        published = posting_guidelines_publish(text=obj.text, text_en=obj.text_en)
        # The admin goes on (its log, its redirect) with the new version.
        obj.pk = published.pk
        obj.updated_at = published.updated_at
        obj._state.adding = False

    def has_change_permission(self, request, obj=None):
        # Only the version in force is edited (into a newer one).
        if obj is not None and obj != posting_guidelines_current():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyInline):
    model = MessageAttachment
    fields = ("image", "content_type", "width", "height", "size")


class EventInline(ReadOnlyInline):
    model = MessageEvent
    fields = ("created_at", "verb", "actor", "from_status", "to_status", "note")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages change only through the site's actions."""

    list_display = ("reference", "title", "status", "kind", "region", "created_at")
    list_filter = ("status", "kind", "category")
    search_fields = ("reference", "title")
    inlines = [AttachmentInline, EventInline]
    show_full_result_count = False
    list_select_related = ("region",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- API tokens -------------------------------------------------------------------
# knox's own admin lists each token's digest and key prefix, and shows a new
# token in a message when one is added here. Staff see who holds tokens and
# until when, and may revoke them (delete); never any part of a token.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "created", "expiry")
    readonly_fields = ("user", "created", "expiry")
    ordering = ("-created",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
