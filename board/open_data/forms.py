"""The open data question: ``from``, ``to``, ``region``, ``category``.

One form for the page (which shows it) and the exports (which check it and
answer a 400 naming the field at fault).
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from board.forms.messages import RegionChoiceField
from board.forms.widgets import CachedSelect
from board.models import Category, Region

from .exports import ExportFilters

# Days outside these make no sense for the record and would overflow the
# conversion to instants at the extremes of ``date``.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
DATE_FORMATS = ["%Y-%m-%d"]


class ExportFilterForm(forms.Form):
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        help_text=_("The regions below it are included."),
        widget=CachedSelect("board-filter:region"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=CachedSelect("board-filter:category"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
        # "from" is a Python keyword: the date fields are named here, first.
        dates = {
            "from": forms.DateField(
                label=pgettext_lazy("period", "From"),
                required=False,
                input_formats=DATE_FORMATS,
                help_text=_("First day of publication, YYYY-MM-DD (included)."),
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
            "to": forms.DateField(
                label=pgettext_lazy("period", "To"),
                required=False,
                input_formats=DATE_FORMATS,
                help_text=_("Last day of publication, YYYY-MM-DD (included)."),
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
        }
        self.fields = {**dates, **self.fields}

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Give a day from %(earliest)s to %(latest)s.")
                    % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                )
        start, end = data.get("from"), data.get("to")
        if start and end and start > end and not self.has_error("to"):
            self.add_error("to", _("The last day comes before the first."))
        return data

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        region, category = data.get("region"), data.get("category")
        return ExportFilters(
            start=data.get("from"),
            end=data.get("to"),
            region_id=region.pk if region else None,
            category_id=category.pk if category else None,
        )
