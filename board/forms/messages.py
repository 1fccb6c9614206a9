"""Forms of a citizen's message: writing and editing it (with the addressee
and region pickers, image uploads, how the author is shown, and on a new
message the 留言须知 checkbox and the preview), filtering the board,
withdrawing."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from board import sanitizer
from board.actions import MessageDraft, validate_draft
from board.errors import ValidationFailed
from board.forms.widgets import CachedSelect, KeptModelChoiceField, PlainSelect
from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import (
    AuthorShownAs,
    Category,
    Department,
    Message,
    MessageKind,
    Official,
    Region,
    User,
)
from board.selectors import SEARCH_MAX_LENGTH


def _attachments_help_text(*, mentions_location: bool = False) -> str:
    count = settings.ZHITONG_MAX_ATTACHMENTS
    values = {
        "count": count,
        "size": filesizeformat(settings.ZHITONG_MAX_ATTACHMENT_BYTES),
    }
    if mentions_location:
        return (
            ngettext(
                "Up to %(count)d JPEG, PNG or WebP image, %(size)s each. "
                "Location data is removed.",
                "Up to %(count)d JPEG, PNG or WebP images, %(size)s each. "
                "Location data is removed.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "Up to %(count)d JPEG, PNG or WebP image, %(size)s each.",
            "Up to %(count)d JPEG, PNG or WebP images, %(size)s each.",
            count,
        )
        % values
    )


# Lazy, so the text follows the settings and the reader's language when the
# form is shown rather than when this module is imported.
attachments_help_text = lazy(_attachments_help_text, str)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleImageInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [
                super(MultipleImageField, self).clean(item, initial) for item in data
            ]
        return [super().clean(data, initial)] if data else []


class TextareaField(forms.CharField):
    """Line breaks as one character each, as the browser's maxlength and the
    page's counter count them (a browser sends "\\r\\n")."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class AddresseeChoiceField(forms.ChoiceField):
    """One list for officials and departments: values are ``o:<id>``/``d:<id>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.official_regions: dict[str, int] = {}

    def populate(self, officials, departments):
        self.choices = [
            ("", pgettext_lazy("compose", "Choose whom to write to")),
            (
                _("Officials"),
                [(f"o:{official.pk}", str(official)) for official in officials],
            ),
            (
                _("Departments"),
                [(f"d:{department.pk}", str(department)) for department in departments],
            ),
        ]
        self.official_regions = {
            **{f"o:{official.pk}": official.region_id for official in officials},
            **{
                f"d:{department.pk}": department.region_id for department in departments
            },
        }


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by level, so the province → city → county tree shows."""

    def label_from_instance(self, obj):
        return "\u3000" * (obj.level - 1) + obj.display_name


class KeptRegionChoiceField(KeptModelChoiceField, RegionChoiceField):
    """The regions' tree, the chosen one found among the kept rows."""


class MessageForm(forms.Form):
    """What a citizen writes; used for new messages and for edits."""

    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        empty_label=pgettext_lazy("compose", "Choose the region concerned"),
        help_text=_("Where the matter you write about is."),
    )
    addressee = AddresseeChoiceField(
        label=_("Write to"),
        help_text=_("An official or a department serving that region."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=pgettext_lazy("compose", "Choose a category"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MessageKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=Message.TITLE_MAX_LENGTH)
    body = TextareaField(
        label=_("Your message"),
        max_length=Message.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text. Blank lines separate paragraphs; *emphasis*, lists "
            "starting with “- ” and links are kept."
        ),
    )
    is_public = forms.TypedChoiceField(
        label=_("Who may read it"),
        choices=[
            ("1", _("Public: everyone can read it once it is approved")),
            ("0", _("Private: only you, the moderators and the addressee")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    # Optional in the POST (the default is masked): older clients and the
    # no-JavaScript "check" round trip may not send it.
    author_shown_as = forms.ChoiceField(
        label=_("Show my name as"),
        choices=AuthorShownAs.choices,
        initial=AuthorShownAs.MASKED,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Your full name is never shown to the public."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone (optional)"),
        required=False,
        max_length=Message.CONTACT_PHONE_MAX_LENGTH,
        help_text=_("Never shown publicly; the addressee may call you."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    attachments = MultipleImageField(
        label=_("Photos (optional)"),
        required=False,
        help_text=attachments_help_text(mentions_location=True),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.select_related(
            "parent"
        ).order_by("code")
        self.fields["addressee"].populate(
            Official.objects.filter(is_active=True).select_related("region"),
            Department.objects.select_related("region"),
        )

    @classmethod
    def initial_for(cls, message: Message) -> dict:
        addressee = (
            f"o:{message.addressee_official_id}"
            if message.addressee_official_id
            else f"d:{message.addressee_department_id}"
        )
        return {
            "region": message.region_id,
            "addressee": addressee,
            "category": message.category_id,
            "kind": message.kind,
            "title": message.title,
            "body": message.body,
            "is_public": "1" if message.is_public else "0",
            "author_shown_as": message.author_shown_as,
            "contact_phone": message.contact_phone,
        }

    def clean_author_shown_as(self):
        return self.cleaned_data["author_shown_as"] or AuthorShownAs.MASKED

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.draft = self._build_draft(cleaned)
            validate_draft(self.draft)
        except ValidationFailed as error:
            field = error.field if error.field in self.fields else None
            if error.field in {"addressee_official", "addressee_department"}:
                field = "addressee"
            self.add_error(field, error.message)
        return cleaned

    def _build_draft(self, cleaned) -> MessageDraft:
        kind_prefix, _separator, addressee_id = cleaned["addressee"].partition(":")
        official = department = None
        if kind_prefix == "o":
            official = Official.objects.filter(pk=addressee_id).first()
        else:
            department = Department.objects.filter(pk=addressee_id).first()
        if official is None and department is None:
            raise ValidationFailed(_("Choose whom to write to."), field="addressee")
        return MessageDraft(
            region=cleaned["region"],
            category=cleaned["category"],
            kind=cleaned["kind"],
            title=cleaned["title"],
            body=cleaned["body"],
            addressee_official=official,
            addressee_department=department,
            is_public=cleaned["is_public"],
            contact_phone=cleaned.get("contact_phone", ""),
            author_shown_as=cleaned["author_shown_as"],
        )


class ComposeForm(MessageForm):
    """A new message: the citizen also confirms having read the 留言须知.

    ``is_preview``: the draft is only shown back (nothing is saved), so the
    checkbox may still be unticked."""

    # Checked in clean(), after the draft: the citizen sees every error at
    # once, not this one first and the draft's after ticking it.
    accepts_guidelines = forms.BooleanField(
        label=_("I have read the posting guidelines (留言须知)"),
        required=False,
    )

    def __init__(self, *args, is_preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_preview = is_preview

    def clean(self):
        cleaned = super().clean()
        if not self.is_preview and not cleaned.get("accepts_guidelines"):
            self.add_error(
                "accepts_guidelines",
                _("Please read the posting guidelines and tick this box to submit."),
            )
        return cleaned

    def preview(self, author: User) -> Message:
        """The message as it will look once public; never saved."""
        draft = self.draft
        body = draft.body.strip()
        return Message(
            author=author,
            author_shown_as=draft.author_shown_as,
            region=draft.region,
            category=draft.category,
            kind=draft.kind,
            addressee_official=draft.addressee_official,
            addressee_department=draft.addressee_department,
            title=draft.title.strip(),
            body=body,
            # The same sanitizer the message is saved with.
            body_html=sanitizer.render_markdown(body),
            is_public=draft.is_public,
        )


class BoardFilterForm(forms.Form):
    """The public board's filters; invalid values are ignored, not errors.

    The selects render without the widget templates, the long lists from
    the cache (board/forms/widgets.py)."""

    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words in a title or reply")}
        ),
    )
    region = KeptRegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        widget=CachedSelect("board-filter:region"),
    )
    official = KeptModelChoiceField(
        label=_("Official"),
        queryset=Official.objects.filter(is_active=True),
        required=False,
        empty_label=_("All officials"),
        widget=CachedSelect("board-filter:official"),
    )
    department = KeptModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
        widget=CachedSelect("board-filter:department"),
    )
    category = KeptModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=CachedSelect("board-filter:category"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *MessageKind.choices],
        required=False,
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All statuses")),
            *[(s.value, s.label) for s in MessageStatus if s in PUBLIC_STATUSES],
        ],
        required=False,
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("", _("Newest first (best match when searching)")),
            ("newest", _("Newest first")),
            ("relevance", _("Best match first")),
            ("support", _("Most “me too” first")),
        ],
        required=False,
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["official"].queryset = Official.objects.filter(
            is_active=True
        ).select_related("region")
        self.fields["department"].queryset = Department.objects.select_related("region")


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=Message.WITHDRAW_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
