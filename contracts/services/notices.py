"""The admins hear once per change when a contract's health calls for it (issue 15): 14 and
3 days before its expiry, on expiry, out of credits, needs attention. The email's key is the
contract, the notice and the number of changes, so a notice is sent once per change, and
again only if the contract recovered and fell back. Called after a contract is created,
changed or read back from the provider, and daily (dates move)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.selectors import organization_active_admins
from contracts.health import contract_health, health_notice
from contracts.models import Contract
from notifications.services import notification_queue


@transaction.atomic
def contract_health_observe(*, contract: Contract, today: datetime.date | None = None) -> bool:
    """Email the admins when the contract's health notice changed (once per change).
    Returns whether a new notice was written."""
    locked = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("channel", "organization")
        .get(pk=contract.pk)
    )
    health = contract_health(locked, today=today)
    notice = health_notice(health)
    if notice == locked.health_notice:
        return False
    locked.health_notice = notice
    locked.health_changes += 1
    locked.save(update_fields=["health_notice", "health_changes"])
    contract.health_notice, contract.health_changes = notice, locked.health_changes
    if not notice:
        return False  # back to ready: nothing to announce, a later problem is a new change
    org = locked.organization
    notification_queue(
        org=org,
        key=f"contract-health:{locked.pk}:{notice}:{locked.health_changes}",
        recipients=organization_active_admins(org=org),
        template="contracts/email/contract_health",
        context={
            "contract": locked,
            "health": health,
            "contract_url": settings.SITE_URL
            + reverse("contract_detail", kwargs={"contract_id": locked.pk}),
        },
    )
    return True
