"""The author's forms on an answered message: the rating and the follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from board.models import FollowUp, Rating


class RatingForm(forms.Form):
    SCORES = [(score, str(score)) for score in range(1, 6)]

    attitude = forms.TypedChoiceField(
        label=_("Attitude"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = very poor, 5 = very good"),
    )
    speed = forms.TypedChoiceField(
        label=_("Speed"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    resolved = forms.TypedChoiceField(
        label=_("Problem resolved"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all, 5 = completely"),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=Rating.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with your rating on the public page."),
    )


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("Your follow-up question"),
        max_length=FollowUp.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A moderator reviews it, then it goes back to the same addressee "
            "with a new deadline."
        ),
    )
