"""Display helpers for My Own Contracts pages: the provider's setup instructions as safe
HTML, channel types and audit details in people's words (labels, never keys)."""

import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from contracts.health import ContractHealth, contract_health
from contracts.models import ContractAction

register = template.Library()

_ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "a", "code", "pre",
    "h3", "h4", "h5", "blockquote", "span",
}  # fmt: skip

# The kinds of channel the provider's catalogue uses (``Channel.type``).
CHANNEL_TYPES = {
    "job board": _("Job board"),
    "social media": _("Social media"),
    "community": _("Community"),
    "aggregator": _("Aggregator"),
}


@register.filter
def sanitized(html: str) -> str:
    """The provider's setup instructions as safe HTML: no scripts, no event handlers, no
    styles; links open safely."""
    return mark_safe(  # noqa: S308 - nh3 output is sanitised
        nh3.clean(
            html or "",
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


@register.filter
def channel_type(value: str) -> str:
    """The provider's channel type in the current language ("job board/social media" reads
    "Job board / Social media"); a type we do not know is shown as the provider wrote it."""
    parts = [part.strip() for part in (value or "").split("/") if part.strip()]
    return " / ".join(str(CHANNEL_TYPES.get(part.lower(), part)) for part in parts)


@register.simple_tag
def audit_detail(event, details=None) -> str:
    """What an audit event's detail says, in the reader's language. A change lists the
    fields it touched (stored as "changed: alias, password" in the writer's language) by
    their labels: the credential's label from the board's details, "Alias" for the alias."""
    if event.action == ContractAction.DEFAULTS and event.detail:
        # The requirement names whose default changed, by the board's labels.
        labels = {f.name: f.label for f in getattr(details, "posting_requirements", None) or []}
        return ", ".join(
            str(labels.get(name.strip(), name.strip()))
            for name in event.detail.split(",")
            if name.strip()
        )
    if event.action != ContractAction.CHANGED or not event.detail:
        return event.detail
    names = event.detail.split(":", 1)[-1]
    labels = {"alias": _("Alias")}
    for definition in getattr(details, "credentials", None) or []:
        labels[definition.name] = definition.label
    return ", ".join(
        str(labels.get(name.strip(), name.strip())) for name in names.split(",") if name.strip()
    )


@register.filter
def health(contract) -> ContractHealth:
    """The contract's one state (``contracts.health``), for its badge and its reason."""
    return contract_health(contract)
