"""A provider failure as a sentence the person who asked can act on.

Contracts, groups, the take-down of campaigns and the admin pages all word the provider's
refusals the same way: what happened, that nothing was changed, and what to do. The client's
errors never carry a credential or a request body (``distribution.errors``), and neither do
these sentences.
"""

import math

from django.utils.translation import gettext as _

from distribution.errors import (
    ProviderAuthenticationError,
    ProviderError,
    ProviderForbidden,
    ProviderNotFound,
    ProviderProtocolError,
    ProviderRateLimited,
    ProviderUnavailable,
)


def provider_refusal_message(error: ProviderError) -> str:
    if isinstance(error, ProviderRateLimited):
        return _(
            "The job-distribution provider is busy right now. Nothing was changed; "
            "try again in %(seconds)s seconds."
        ) % {"seconds": max(1, math.ceil(error.retry_after))}
    if isinstance(error, ProviderUnavailable | ProviderProtocolError):
        return _(
            "The job-distribution provider did not answer. Nothing was changed; "
            "try again in a moment."
        )
    if isinstance(error, ProviderAuthenticationError | ProviderForbidden):
        return _(
            "The job-distribution provider refused our connection. Nothing was changed; "
            "please contact support."
        )
    if isinstance(error, ProviderNotFound):
        return _("The job-distribution provider no longer knows this item.")
    return _("The job-distribution provider refused the request: %(reason)s") % {
        "reason": error.message
    }


def provider_messages(value) -> list[str]:
    """The provider's error value for one field (a string, a list, nested dicts) as
    sentences."""
    if isinstance(value, list | tuple):
        return [str(item) for item in value if not isinstance(item, dict | list)] or [str(value)]
    if isinstance(value, dict):
        return [f"{key}: {' '.join(provider_messages(inner))}" for key, inner in value.items()]
    return [str(value)]
