"""Forms of the moderation pages; each one feeds exactly one action."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from board.forms import (
    AddresseeChoiceField,
    CachedSelect,
    MessageForm,
    PlainSelect,
    RegionChoiceField,
)
from board.models import (
    Category,
    Department,
    IntakeChannel,
    Message,
    MessageAttachment,
    MessageKind,
    Official,
    Region,
    User,
)
from board.selectors import SEARCH_MAX_LENGTH, region_ancestor_ids

from .models import ModerationReason, ModeratorNote, Report, Resolution
from .screening import mask_personal_data


class ReasonChoiceField(forms.ModelChoiceField):
    """The active rejection and hiding reasons, chosen by their code."""

    # Rendered on every page of the queue: kept, and without the widget
    # templates. An edit of a reason moves the lists' version
    # (moderation/signals.py).
    widget = CachedSelect("moderation:reasons")

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("empty_label", pgettext_lazy("moderation", "Choose a reason"))
        super().__init__(
            queryset=ModerationReason.objects.filter(is_active=True),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.display_title


def note_field(label=None, *, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label or pgettext_lazy("moderation form", "Note"),
        required=required,
        max_length=ModeratorNote.BODY_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _require_note_for(form, reason: ModerationReason | None, note: str) -> None:
    if reason is not None and reason.is_note_missing(note):
        form.add_error(
            "note",
            _("The reason “%(reason)s” needs a note explaining it.")
            % {"reason": reason.display_title},
        )


# --- The queue ---


class QueueFilterForm(forms.Form):
    """The queue's filters; invalid values are ignored, not errors."""

    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        widget=CachedSelect("queue-filter:region"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=CachedSelect("queue-filter:category"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *MessageKind.choices],
        required=False,
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("oldest", _("Oldest first")),
            ("risk", _("Pre-screen findings first")),
        ],
        required=False,
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")


class BulkDecisionForm(forms.Form):
    messages = forms.ModelMultipleChoiceField(
        queryset=Message.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one item.")},
    )
    decision = forms.ChoiceField(
        choices=[
            ("approve", pgettext_lazy("moderation button", "Approve")),
            ("reject", pgettext_lazy("moderation button", "Reject")),
        ]
    )
    reason = ReasonChoiceField(required=False)
    note = note_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject":
            reason = cleaned.get("reason")
            if reason is None:
                self.add_error("reason", _("Choose the reason for rejecting them."))
            _require_note_for(self, reason, cleaned.get("note", ""))
        return cleaned


# --- One item ---


class ItemForm(forms.Form):
    """A form on a moderation item's page; it knows the message it acts on."""

    def __init__(self, *args, message: Message, **kwargs):
        self.message = message
        super().__init__(*args, **kwargs)


class DecisionForm(ItemForm):
    """Carries the version of the item the moderator saw, so a form loaded
    before someone else's change is refused rather than applied."""

    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput)


class ApproveForm(DecisionForm):
    addressee = AddresseeChoiceField(
        label=_("Route to"),
        help_text=_("Officials and departments serving the message's region."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=None,
    )

    def __init__(self, *args, message: Message, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "addressee": (
                    f"o:{message.addressee_official_id}"
                    if message.addressee_official_id
                    else f"d:{message.addressee_department_id}"
                ),
                "category": message.category_id,
            },
        )
        super().__init__(*args, message=message, **kwargs)
        regions = region_ancestor_ids(message.region)
        self.fields["addressee"].populate(
            Official.objects.filter(is_active=True, region_id__in=regions)
            .select_related("region")
            .order_by("region__level", "name"),
            Department.objects.filter(region_id__in=regions)
            .select_related("region")
            .order_by("region__level", "name"),
        )

    def clean_addressee(self):
        prefix, _separator, pk = self.cleaned_data["addressee"].partition(":")
        model = Official if prefix == "o" else Department
        addressee = model.objects.filter(pk=pk).first()
        if addressee is None:
            raise forms.ValidationError(_("Choose whom to route it to."))
        return addressee

    @property
    def addressee_official(self):
        addressee = self.cleaned_data["addressee"]
        return addressee if isinstance(addressee, Official) else None

    @property
    def addressee_department(self):
        addressee = self.cleaned_data["addressee"]
        return addressee if isinstance(addressee, Department) else None


class RejectForm(DecisionForm):
    reason = ReasonChoiceField()
    note = note_field(
        help_text=_(
            "The author sees this note with the reason's explanation. "
            "Some reasons, such as “Other”, need one."
        )
    )

    def clean(self):
        cleaned = super().clean()
        _require_note_for(self, cleaned.get("reason"), cleaned.get("note", ""))
        return cleaned


class RequestChangesForm(DecisionForm):
    note = note_field(
        _("What should the author change?"),
        required=True,
        help_text=_("The author sees this note; their edit returns to the queue."),
    )


class RedactForm(DecisionForm):
    title = forms.CharField(
        label=_("Public title"), max_length=Message.TITLE_MAX_LENGTH
    )
    body = forms.CharField(
        label=_("Public text"),
        max_length=Message.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Prefilled with mobile numbers, ID numbers and email addresses "
            "masked. The addressee still sees the original."
        ),
    )
    note = note_field(_("Note for the record"))
    hidden_attachments = forms.ModelMultipleChoiceField(
        label=_("Photos to hide from the public"),
        queryset=MessageAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A hidden photo is kept; the author, the addressee and moderators "
            "still see it."
        ),
    )

    def __init__(self, *args, message: Message, **kwargs):
        photos = list(message.attachments.filter(reply__isnull=True))
        kwargs.setdefault(
            "initial",
            {
                "title": mask_personal_data(message.shown_title),
                "body": mask_personal_data(message.shown_body),
                "hidden_attachments": [
                    photo.pk for photo in photos if photo.is_hidden_from_public
                ],
            },
        )
        super().__init__(*args, message=message, **kwargs)
        if not photos:
            del self.fields["hidden_attachments"]
            return
        field = self.fields["hidden_attachments"]
        field.queryset = message.attachments.filter(reply__isnull=True)
        numbers = {photo.pk: number for number, photo in enumerate(photos, 1)}
        field.label_from_instance = lambda photo: (
            _("Photo %(number)s") % {"number": numbers.get(photo.pk, "")}
        )

    @property
    def hidden_attachment_ids(self) -> list[int] | None:
        """The photos to hide, or None where the message has none."""
        if "hidden_attachments" not in self.fields:
            return None
        return [photo.pk for photo in self.cleaned_data["hidden_attachments"]]


class DuplicateForm(DecisionForm):
    of = forms.CharField(
        label=_("Reference of the original message"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "ZT-2026-000123"}),
    )
    note = note_field()

    def clean_of(self):
        reference = self.cleaned_data["of"].strip().upper()
        original = Message.objects.filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(
                _("There is no message with the reference %(reference)s.")
                % {"reference": reference}
            )
        if original.pk == self.message.pk:
            raise forms.ValidationError(_("A message cannot be a duplicate of itself."))
        return original


class HideForm(DecisionForm):
    reason = ReasonChoiceField()
    note = note_field()

    def clean(self):
        cleaned = super().clean()
        _require_note_for(self, cleaned.get("reason"), cleaned.get("note", ""))
        return cleaned


class RestoreForm(DecisionForm):
    note = note_field()


class ResolveReportsForm(DecisionForm):
    resolution = forms.ChoiceField(
        label=_("Decision"),
        choices=Resolution.choices,
        widget=forms.RadioSelect,
    )
    reason = ReasonChoiceField(
        required=False, help_text=_("Needed when hiding the message.")
    )
    note = note_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolution") == Resolution.HIDE:
            reason = cleaned.get("reason")
            if reason is None:
                self.add_error("reason", _("Choose the reason for hiding it."))
            _require_note_for(self, reason, cleaned.get("note", ""))
        return cleaned


class ModeratorNoteForm(ItemForm):
    body = note_field(
        _("Note for other moderators"),
        required=True,
        help_text=_("Only moderators see these notes."),
    )


class ClaimForm(ItemForm):
    """Take over or release a claim: the button is the whole form."""


# --- Blocks ---


class UsernameField(forms.CharField):
    def clean(self, value):
        username = super().clean(value).strip()
        if not username:
            return None
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(
                _("There is no account with the username %(username)s.")
                % {"username": username}
            )
        return user


class UserBlockForm(forms.Form):
    user = UsernameField(label=_("Username"), max_length=150)
    reason = forms.CharField(label=_("Reason the user will see"), max_length=200)


class UserUnblockForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.all(), widget=forms.HiddenInput)


class EmailDomainBlockForm(forms.Form):
    domain = forms.CharField(
        label=_("Email domain"),
        max_length=253,
        widget=forms.TextInput(attrs={"placeholder": "spam.example"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EmailDomainUnblockForm(forms.Form):
    domain = forms.CharField(max_length=253, widget=forms.HiddenInput)


# --- Staff intake ---


class IntakeForm(MessageForm):
    """A message received by phone, letter or visit, entered by a moderator."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (value, label)
            for value, label in IntakeChannel.choices
            if value != IntakeChannel.WEB
        ],
        widget=forms.RadioSelect,
    )
    citizen = UsernameField(
        label=_("The citizen's username (optional)"),
        required=False,
        max_length=150,
        help_text=_(
            "Where the citizen has an account, the message becomes theirs; "
            "otherwise you are recorded as its author."
        ),
    )
    note = note_field(
        _("Intake note (optional)"),
        help_text=_("How and when it was received; shown on the timeline to staff."),
    )

    field_order = ["channel", "citizen", "note"]


# --- Reports from the public ---


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=Report.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Moderators read every report. Each person can report once."),
    )


class FollowUpApproveForm(DecisionForm):
    """Send the author's follow-up back to the addressee with a new deadline."""


class FollowUpRejectForm(DecisionForm):
    reason = ReasonChoiceField()
    note = note_field(help_text=_("The author sees this note with the reason."))

    def clean(self):
        cleaned = super().clean()
        _require_note_for(self, cleaned.get("reason"), cleaned.get("note", ""))
        return cleaned


class TransferDecisionForm(ApproveForm):
    """Past the transfer limit: where the message belongs, decided once."""

    note = note_field(help_text=_("Shown on the public timeline as the reason."))

    def __init__(self, *args, message: Message, **kwargs):
        super().__init__(*args, message=message, **kwargs)
        del self.fields["category"]
