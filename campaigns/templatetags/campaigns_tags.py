"""Small display helpers for campaign pages: status badges, attribution counts, and provider
data shown in people's words (taxonomy names in the current language, field labels instead
of the provider's keys)."""

from django import template
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.models import (
    TAKE_DOWN_REQUESTED,
    TAKE_DOWN_REQUESTED_LABEL,
    CampaignStatus,
    PostingStatus,
)
from campaigns.services.requirements import board_facets
from campaigns.wizard.forms import TargetGroupForm
from contracts.models import Contract
from distribution.models import TaxonomyTerm
from jobs.fields import TAXONOMY_FIELDS

register = template.Library()

# The one colour of each status, on every page that shows one (History, a campaign's page,
# the job's Sourcing tab). A campaign's status takes the values of its postings' statuses
# (campaigns.services.status.campaign_status_from_postings), so both enums share the map; a
# posting whose take-down waits for the provider shows that instead (Posting.shown_status).
STATUS_BADGE_CLASSES: dict[str, str] = {
    PostingStatus.SUBMITTED: "text-bg-secondary",
    PostingStatus.CHECKING: "text-bg-warning",
    PostingStatus.IN_PROGRESS: "text-bg-info",
    PostingStatus.ONLINE: "text-bg-success",
    PostingStatus.OFFLINE: "text-bg-dark",
    PostingStatus.FAILED: "text-bg-danger",
    TAKE_DOWN_REQUESTED: "text-bg-warning",
}
STATUS_LABELS = (
    dict(PostingStatus.choices)
    | dict(CampaignStatus.choices)
    | {TAKE_DOWN_REQUESTED: TAKE_DOWN_REQUESTED_LABEL}
)


@register.inclusion_tag("campaigns/includes/status_badge.html")
def status_badge(status: str) -> dict:
    """A posting's or a campaign's status (its stored value) as a coloured, labelled badge."""
    return {
        "status": status,
        "label": STATUS_LABELS.get(status, status),
        "css": STATUS_BADGE_CLASSES.get(status, "text-bg-secondary"),
    }


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
    contracts = Contract.objects.filter(
        pk__in=[pk for pk in board_errors if pk.isdigit()]
    ).select_related("channel")
    # The board's labels in the person's language, as its fields showed them.
    language = get_language()
    labels = {
        str(contract.pk): {
            f.name: f.label for f in board_facets(contract, language=language).facets
        }
        for contract in contracts
    }
    for contract_id, facets in board_errors.items():
        board = boards.get(contract_id, "")
        for name, messages in facets.items():
            label = labels.get(contract_id, {}).get(name, name)
            prefix = " · ".join(part for part in (board, label) if part)
            lines += [line(prefix, message) if prefix else message for message in messages]
    return lines + list(order_errors.get("general") or [])
