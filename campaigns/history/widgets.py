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


# Rendered <option>s of long choice lists, by the identity of the list (kept alive here, so
# that an id is never reused while its entry exists). The History's cached filter choices are
# the same list objects from one request to the next, so a thousand options are escaped and
# formatted once, not on every page.
_RENDERED: dict[int, tuple[list, str]] = {}
_RENDERED_SIZE = 256
MEMO_MIN_OPTIONS = 50


def _options_html(options: list) -> str:
    entry = _RENDERED.get(id(options))
    if entry is not None and entry[0] is options:
        return entry[1]
    html = "".join(
        f'<option value="{escape(str(key))}">{_html(label)}</option>' for key, label in options
    )
    if len(options) >= MEMO_MIN_OPTIONS:
        if len(_RENDERED) >= _RENDERED_SIZE:
            _RENDERED.clear()
        _RENDERED[id(options)] = (options, html)
    return html


class FastSelect(forms.Widget):
    """A <select>: an empty choice, then ``options``, (value, label) pairs whose labels may
    be escaped SafeStrings."""

    def __init__(self, attrs=None, empty_label=""):
        super().__init__(attrs)
        self.empty_label = empty_label
        self.options: list = []

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        html = f'<option value="">{_html(self.empty_label)}</option>' + _options_html(self.options)
        if value not in (None, ""):
            # Values are escaped and unique, so this marks exactly the chosen option.
            chosen = f'<option value="{escape(str(value))}">'
            html = html.replace(chosen, chosen[:-1] + " selected>", 1)
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
        self.widget.empty_label = self.empty_label
        self.widget.options = options

    def validate(self, value):
        super().validate(value)
        if value is not None and value not in self.valid_ids:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def widget_attrs(self, widget):
        return {}  # no min/max/step attributes on a <select>
