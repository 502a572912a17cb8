"""Boards ticked in several contract groups: one draft per group (the provider does not mix
groups), linked by a batch key, filled in once and ordered together.

``batch_order`` places every draft of a batch in one transaction: each campaign exactly once
(the draft's key is its campaign's ``order_key``; a resubmitted or retried order finds the
campaigns already placed), and none at all when one draft is refused.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from campaigns.models import Campaign, CampaignDraft
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import campaign_place, draft_contracts, draft_save
from contracts.models import Contract


class DraftRefused(OrderRefused):
    """One draft of a batch cannot be ordered: the whole batch is refused, and the draft
    says which group's campaign is at fault."""

    def __init__(self, message: str, *, draft_id: int, field_errors=None):
        super().__init__(message, field_errors=field_errors)
        self.draft_id = draft_id


def batch_drafts(draft: CampaignDraft) -> list[CampaignDraft]:
    """The live drafts filled in and ordered together with ``draft`` (itself alone when it
    belongs to no batch), the oldest first."""
    if draft.batch_key is None:
        return [draft]
    return list(
        CampaignDraft.objects.select_related("job", "organization", "user")
        .filter(
            organization_id=draft.organization_id,
            batch_key=draft.batch_key,
            expires_at__gt=timezone.now(),
        )
        .order_by("pk")
    ) or [draft]


def batch_contracts(drafts: list[CampaignDraft]) -> list[Contract]:
    """Every contract of the batch, draft after draft, in the order chosen."""
    return [contract for draft in drafts for contract in draft_contracts(draft)]


def draft_group_name(draft: CampaignDraft) -> str:
    contracts = draft_contracts(draft)
    return contracts[0].group.display_name if contracts else ""


@transaction.atomic
def batch_save(
    *,
    drafts: list[CampaignDraft],
    values: dict,
    requirements: dict[str, dict],
    complete: bool,
) -> list[CampaignDraft]:
    """The Target group step of a batch: the same target group and job details on every
    draft, each board's requirements on the draft that holds its contract."""
    saved = []
    for draft in drafts:
        own = {str(i) for i in draft.data.get("contract_ids", [])}
        saved.append(
            draft_save(
                draft=draft,
                values=values,
                requirements={k: v for k, v in requirements.items() if k in own},
                complete=complete,
            )
        )
    return saved


def batch_order(*, org: Organization, by: User, batch_key: uuid.UUID) -> list[Campaign]:
    """Place every draft of the batch; placing it again returns the same campaigns.

    Raises DraftRefused (naming the group and the reason) when one draft cannot be ordered:
    nothing is placed and every draft is kept, so nothing typed is lost.
    """
    try:
        return _batch_order(org=org, by=by, batch_key=batch_key)
    except IntegrityError:
        # A concurrent request placed this very batch first (same order keys).
        placed = batch_placed(org=org, batch_key=batch_key)
        if not placed:
            raise
        return placed


def batch_placed(*, org: Organization, batch_key: uuid.UUID) -> list[Campaign]:
    return list(
        Campaign.objects.for_org(org)
        .filter(batch_key=batch_key)
        .select_related("contract_group")
        .prefetch_related("postings")
        .order_by("pk")
    )


@transaction.atomic
def _batch_order(*, org: Organization, by: User, batch_key: uuid.UUID) -> list[Campaign]:
    # Locking every draft first makes a second submit wait, then find them consumed.
    drafts = list(
        CampaignDraft.objects.select_for_update(no_key=True)
        .filter(organization=org, batch_key=batch_key)
        .order_by("pk")
    )
    for draft in drafts:
        try:
            campaign_place(org=org, by=by, draft_id=draft.pk)
        except OrderRefused as refusal:
            group = draft_group_name(draft)
            raise DraftRefused(
                f"{group}: {refusal.message}" if group else refusal.message,
                draft_id=draft.pk,
                field_errors=refusal.field_errors,
            ) from refusal
    placed = batch_placed(org=org, batch_key=batch_key)
    if not placed:
        raise OrderRefused(_("This campaign draft no longer exists: start again from Job boards."))
    return placed
