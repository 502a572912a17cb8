"""Small display helpers for campaign pages."""

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "submitted": "text-bg-secondary",
    "in_progress": "text-bg-info",
    "online": "text-bg-success",
    "offline": "text-bg-dark",
    "failed": "text-bg-danger",
    "take_down_requested": "text-bg-warning",
}


@register.simple_tag
def status_badge(status: str, label: str):
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        STATUS_CLASSES.get(status, "text-bg-secondary"),
        status,
        label,
    )


@register.simple_tag
def attribution_cell(attribution: dict, posting) -> int:
    """Applications that came through this posting's ad."""
    return attribution.get(posting.pk, (0, 0))[1]


@register.simple_tag
def attribution_views(attribution: dict, posting) -> int:
    return attribution.get(posting.pk, (0, 0))[0]
