"""Forms of the officials' inbox and of the author's rating and follow-up.

Each form validates input for exactly one action in ``board.actions.handling``; the
rules of the domain (limits, who may act, what the lifecycle allows) stay in
the actions, whose ``BoardError`` the views turn into form errors.
"""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from board.forms.messages import (
    AddresseeChoiceField,
    MultipleImageField,
    RegionChoiceField,
    attachments_help_text,
)
from board.forms.widgets import CachedSelect, PlainSelect
from board.ids import parse_id
from board.lifecycle import ROUTED_STATUSES, MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    Official,
    Region,
    Reply,
    Transfer,
)
from board.selectors import INBOX_DUE_FILTERS, SEARCH_MAX_LENGTH


class InboxFilterForm(forms.Form):
    """The inbox's filters; invalid values are ignored, not errors."""

    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All statuses")),
            *[(s.value, s.label) for s in MessageStatus if s in ROUTED_STATUSES],
        ],
        required=False,
        widget=PlainSelect,
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        choices=[
            ("", _("Any deadline")),
            ("overdue", _("Overdue")),
            ("near", _("Near the deadline")),
        ],
        required=False,
        widget=PlainSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=CachedSelect("inbox-filter:category"),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        widget=CachedSelect("inbox-filter:region"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``inbox_messages``."""
        if not self.is_bound:
            return {}
        values = {}
        for name in self.fields:
            field_errors = self.errors.get(name)
            value = self.cleaned_data.get(name) if not field_errors else None
            if value:
                values[name] = value
        if values.get("due") not in INBOX_DUE_FILTERS:
            values.pop("due", None)
        return values


class TransferForm(forms.Form):
    target = AddresseeChoiceField(
        label=_("Transfer to"),
        help_text=_("Another official or department that is responsible."),
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=Transfer.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public timeline."),
    )

    def __init__(self, *args, message: Message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].populate(
            Official.objects.filter(is_active=True)
            .exclude(pk=message.addressee_official_id)
            .select_related("region"),
            Department.objects.exclude(
                pk=message.addressee_department_id
            ).select_related("region"),
        )
        choices = self.fields["target"].choices
        self.fields["target"].choices = [
            ("", _("Choose the new addressee")),
            *choices[1:],
        ]

    def clean_target(self):
        prefix, _separator, pk = self.cleaned_data["target"].partition(":")
        model = Official if prefix == "o" else Department
        number = parse_id(pk)
        target = model.objects.filter(pk=number).first() if number else None
        if target is None:
            raise forms.ValidationError(_("Choose an official or a department."))
        return target

    def action_kwargs(self) -> dict:
        target = self.cleaned_data["target"]
        return {
            "to_official": target if isinstance(target, Official) else None,
            "to_department": target if isinstance(target, Department) else None,
            "reason": self.cleaned_data["reason"],
        }


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=_("Extend by (working days)"), min_value=1)
    reason = forms.CharField(
        label=_("Public reason for the extension"),
        max_length=Message.EXTENSION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author and the public see it. A deadline is extended once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS
        field = self.fields["working_days"]
        field.widget.attrs.update({"min": 1, "max": limit})
        field.help_text = _("1 to %(limit)d working days.") % {"limit": limit}

    def clean_working_days(self):
        value = self.cleaned_data["working_days"]
        limit = settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS
        if value > limit:
            raise forms.ValidationError(
                _("Extend by 1 to %(limit)d working days.") % {"limit": limit}
            )
        return value


class ReplyKind:
    INTERIM = "interim"
    FINAL = "final"


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of reply"),
        choices=[
            (
                ReplyKind.INTERIM,
                pgettext_lazy("reply kind", "Interim reply: a progress note"),
            ),
            (
                ReplyKind.FINAL,
                pgettext_lazy("reply kind", "Final reply: ends the handling"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=pgettext_lazy("reply form", "Reply"),
        max_length=Reply.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Published under your office's name and never edited afterwards; "
            "a mistake is fixed with a correction."
        ),
    )
    attachments = MultipleImageField(
        label=_("Photos or scans"),
        required=False,
        help_text=attachments_help_text(),
    )

    @property
    def is_final(self) -> bool:
        return self.cleaned_data["kind"] == ReplyKind.FINAL


class CorrectionForm(forms.Form):
    corrects = forms.ModelChoiceField(
        label=_("Reply to correct"),
        queryset=Reply.objects.none(),
        empty_label=_("Choose a published reply"),
    )
    body = forms.CharField(
        label=_("Correction"),
        max_length=Reply.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Published as a new reply linked to the one it corrects; "
            "the original stays on the record."
        ),
    )

    def __init__(self, *args, message: Message, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["corrects"]
        field.queryset = message.replies.published().order_by("published_at", "pk")
        field.label_from_instance = lambda reply: (
            _("%(date)s · %(office)s · %(start)s…")
            % {
                # In the reader's time zone, as every other time is shown.
                "date": f"{timezone.localtime(reply.published_at):%Y-%m-%d %H:%M}",
                "office": reply.display_office,
                "start": reply.body[:30],
            }
        )
