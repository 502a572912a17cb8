"""Form plumbing shared by every app."""

from django.core.exceptions import ValidationError
from django.forms import Form


def form_add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
