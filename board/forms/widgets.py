"""<select> widgets that render without Django's widget templates.

Django renders a ``Select`` through a template per option: the board's
filter form, with about a thousand options, spent most of a request there.
These write the same HTML, character for character (values, labels, the
selected option, the attributes BoundField adds: ``id``, ``aria-invalid``,
``required`` …), from plain text. ``CachedSelect`` also keeps its list in
the cache (board/filter_choices.py) instead of reading it on every request.
Validation stays the field's: only rendering changes, but for
``KeptModelChoiceField``, which finds the chosen row among the rows the
process keeps of the same list rather than by a query.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from board import filter_choices


def _attributes_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ``False`` leaves an attribute out,
    ``True`` writes its bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A single-choice ``Select`` of a flat list (no option groups), written
    as django/forms/widgets/select.html would write it."""

    def options(self) -> list[filter_choices.Option]:
        return filter_choices.as_options(self.choices)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        lines = []
        has_selected = False
        for option_value, value_html, label_html in self.options():
            # Like ChoiceWidget.optgroups: only the first match is selected.
            is_selected = not has_selected and option_value in chosen
            has_selected |= is_selected
            selected = " selected" if is_selected else ""
            lines.append(
                f'\n  <option value="{value_html}"{selected}>{label_html}</option>\n'
            )
        attributes = _attributes_html(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308  (every part is escaped above)
            f'<select name="{conditional_escape(name)}"{attributes}>'
            + "".join(lines)
            + "\n</select>"
        )


class CachedSelect(PlainSelect):
    """A ``PlainSelect`` whose list is kept in the cache as ``list_name``,
    per language, until a region, department, official or category changes
    (board/filter_choices.py). Only for lists that are the same for every
    reader and read from those models alone."""

    def __init__(self, list_name: str, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.list_name = list_name

    def options(self) -> list[filter_choices.Option]:
        return filter_choices.options(self.list_name, self.choices)


class KeptModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` over reference data shown by a
    ``CachedSelect``: the chosen row comes from the rows this process keeps
    of the field's queryset under the select's list name
    (``filter_choices.rows``), not from a query on every request. Where
    nothing is kept (the tests), it looks the row up as Django does."""

    def to_python(self, value):
        if (
            value in self.empty_values
            or isinstance(value, self.queryset.model)
            or not filter_choices.is_keeping()
        ):
            return super().to_python(value)
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        row = filter_choices.rows(self.widget.list_name, self.queryset).get(pk)
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row
