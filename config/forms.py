"""How every form of the project is rendered, and how a service's refusal reaches a form.

``FormRenderer`` (settings.FORM_RENDERER) makes ``{{ form }}`` and ``{{ field.as_field_group }}``
use the project's one form template and one field template (``templates/forms/``): a label
with the required mark, the widget with Bootstrap classes, help and errors tied to the input
for screen readers.
"""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def form_add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
