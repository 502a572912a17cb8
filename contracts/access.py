"""Whether an organisation may use My Own Contracts, and if not, why (in precedence order).

The Job boards card, the Sourcing tab and the ordering service all ask this one function,
so a page bypassed with a direct POST is refused for exactly the same reason the UI shows.
"""

from enum import StrEnum, nonmember

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Organization


class AccessState(StrEnum):
    TRIAL = "trial"  # subscribers only
    UNVERIFIED = "unverified"  # verification needed first
    CAREER_PAGE_DISABLED = "career_page_disabled"
    NOT_ENABLED = "not_enabled"  # must contact support for access
    ENABLED = "enabled"

    # Templates compare with the members (``state == states.TRIAL``), as with Django's choices.
    do_not_call_in_templates = nonmember(True)


def my_own_contracts_missing(org: Organization) -> list[AccessState]:
    """Every condition the organisation does not meet yet, in precedence order (the Sourcing
    tab names them all, so nobody fixes one only to meet the next)."""
    conditions = [
        (AccessState.TRIAL, org.is_subscriber),
        (AccessState.UNVERIFIED, org.is_verified),
        (AccessState.CAREER_PAGE_DISABLED, org.career_page_enabled),
        (AccessState.NOT_ENABLED, org.my_own_contracts_enabled),
    ]
    return [state for state, met in conditions if not met]


def my_own_contracts_state(org: Organization) -> AccessState:
    """The first condition not met, or ENABLED."""
    missing = my_own_contracts_missing(org)
    return missing[0] if missing else AccessState.ENABLED


def my_own_contracts_require(org: Organization) -> None:
    """Refuse a write of My Own Contracts unless the organisation may use it."""
    if my_own_contracts_state(org) != AccessState.ENABLED:
        raise ValidationError(
            _("My Own Contracts is not enabled for your organisation."), code="not_enabled"
        )
