"""Small display helpers for campaign pages: status badges, attribution counts, and provider
data shown in people's words (taxonomy names in the current language, field labels instead
of the provider's keys)."""

from django import template
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext as _

from campaigns.job_fields import TAXONOMY_FIELDS
from campaigns.wizard.facets import parse_facets
from campaigns.wizard.forms import TargetGroupForm
from contracts.models import Contract
from distribution.models import TaxonomyTerm

register = template.Library()

STATUS_CLASSES = {
    "submitted": "text-bg-secondary",
    "in_progress": "text-bg-info",
    "online": "text-bg-success",
    "offline": "text-bg-dark",
    "failed": "text-bg-danger",
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


@register.simple_tag
def target_audience_names(target_group: dict) -> list[str]:
    """An order's target group ({field: {vonq_id, description}}) as the terms' names in the
    current language (one query); the provider's description when a term is unknown here."""
    refs = [(TAXONOMY_FIELDS[name], ref) for name, ref in (target_group or {}).items()
            if name in TAXONOMY_FIELDS and isinstance(ref, dict)]  # fmt: skip
    wanted = Q(pk__in=[])
    for kind, ref in refs:
        wanted |= Q(kind=kind, provider_id=ref.get("vonq_id"))
    terms = {(t.kind, t.provider_id): t.name for t in TaxonomyTerm.objects.filter(wanted)}
    return [
        terms.get((kind, ref.get("vonq_id"))) or ref.get("description", "") for kind, ref in refs
    ]


@register.simple_tag
def order_error_lines(order_errors: dict, document: dict) -> list[str]:
    """A refused order's field errors ({"fields", "requirements", "general"}) as sentences
    that name each field by its label: "Weekly hours to: …", "LinkedIn · Company page: …"."""
    order_errors = order_errors or {}

    def line(label, message):
        return _("%(field)s: %(message)s") % {"field": label, "message": message}

    lines = []
    for name, messages in (order_errors.get("fields") or {}).items():
        field = TargetGroupForm.base_fields.get(name)
        label = field.label if field is not None else name
        lines += [line(label, message) for message in messages]
    board_errors = order_errors.get("requirements") or {}
    boards = {str(p.get("contract")): p.get("board", "") for p in document.get("products", [])}
    contracts = Contract.objects.filter(pk__in=[pk for pk in board_errors if pk.isdigit()])
    labels = {
        str(contract.pk): {f.name: f.label for f in parse_facets(contract.posting_requirements)}
        for contract in contracts
    }
    for contract_id, facets in board_errors.items():
        board = boards.get(contract_id, "")
        for name, messages in facets.items():
            label = labels.get(contract_id, {}).get(name, name)
            prefix = " · ".join(part for part in (board, label) if part)
            lines += [line(prefix, message) if prefix else message for message in messages]
    return lines + list(order_errors.get("general") or [])
