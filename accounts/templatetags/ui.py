"""Template helpers shared by every page: Bootstrap classes and ARIA links on form widgets."""

from django import template

register = template.Library()

_CHECK_WIDGETS = {"checkbox"}
_SELECT_WIDGETS = {"select", "nullbooleanselect"}


@register.filter
def styled(bound_field):
    """Render a field's widget with Bootstrap classes, and tie help and errors to it for
    screen readers (aria-describedby, aria-invalid)."""
    widget_type = bound_field.widget_type
    if widget_type in _CHECK_WIDGETS:
        css = "form-check-input"
    elif widget_type in _SELECT_WIDGETS or widget_type.endswith("select"):
        css = "form-select"
    elif widget_type in {"checkboxselectmultiple", "radioselect"}:
        css = ""
    else:
        css = "form-control"
    attrs = {}
    existing = bound_field.field.widget.attrs.get("class", "")
    classes = " ".join(part for part in (css, existing) if part)
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        classes += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{bound_field.auto_id}_error")
    if classes:
        attrs["class"] = classes
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
