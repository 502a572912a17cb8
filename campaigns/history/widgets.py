"""Filter fields whose choices are ids, rendered and validated without Django's per-option
machinery.

Django's Select renders every option through a template and ChoiceField normalises its whole
choice list on every form: with the History's job filter (a thousand jobs) the two took
most of the page's time. The HTML is the same as Django's Select.
"""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def _html(label) -> str:
    return str(label) if hasattr(label, "__html__") else escape(str(label))


class FastSelect(forms.Widget):
    """A <select> of ``options``: (value, label) pairs; labels may be escaped SafeStrings."""

    def __init__(self, attrs=None, options=()):
        super().__init__(attrs)
        self.options = list(options)

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = "" if value is None else str(value)
        html = "".join(
            f'<option value="{escape(str(key))}"'
            f"{' selected' if str(key) == selected else ''}>{_html(label)}</option>"
            for key, label in self.options
        )
        return mark_safe(f"<select{flatatt(final)}>{html}</select>")  # noqa: S308 -- escaped


class IdChoiceField(forms.IntegerField):
    """An optional id that must be one of ``options`` (shown as a FastSelect)."""

    widget = FastSelect
    default_error_messages = {
        "invalid_choice": _("Select a valid choice. That choice is not one of the available ones.")
    }

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(required=False, **kwargs)
        self.empty_label = empty_label
        self.valid_ids: frozenset[int] = frozenset()

    def set_options(self, options: list[tuple[int, str]]) -> None:
        self.valid_ids = frozenset(key for key, _label in options)
        self.widget.options = [("", self.empty_label), *options]

    def validate(self, value):
        super().validate(value)
        if value is not None and value not in self.valid_ids:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def widget_attrs(self, widget):
        return {}  # no min/max/step attributes on a <select>
