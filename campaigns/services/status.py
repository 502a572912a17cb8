"""The posting state machine: the one write path for a posting's status.

Submitted → In progress → Online → Offline, or Failed (from Submitted or In progress).
Submitted → Checking with the provider when the delivery gave up while its outcome was
unknown; from there the order is adopted (In progress, Online, Offline) or Failed.
Updates come from several places (delivery, webhook, poll, take-down) in any order and more
than once; ``posting_apply_status`` makes them commute:

- an update observed (provider time) before the last one applied is stale and ignored;
- a status that would move a posting backwards, or out of a final status, is ignored;
- an update that changes nothing records nothing.

Only provider times advance ``status_observed_at``: updates made on our clock (delivery,
take-down) pass ``observed_at=None`` so a fast provider is never mistaken for a stale one.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaigns.history.page_cache import history_changed
from campaigns.models import (
    FINAL_POSTING_STATUSES,
    Campaign,
    CampaignStatus,
    EventSource,
    Posting,
    PostingEvent,
    PostingStatus,
)
from campaigns.services.board_posting_figures import (
    board_posting_figures_change,
    posting_contribution,
)
from campaigns.services.notifications import NOTIFIED_STATUSES, posting_status_notify

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    PostingStatus.SUBMITTED: frozenset(
        {
            PostingStatus.CHECKING,
            PostingStatus.IN_PROGRESS,
            PostingStatus.ONLINE,
            PostingStatus.OFFLINE,
            PostingStatus.FAILED,
        }
    ),
    PostingStatus.CHECKING: frozenset(
        {
            PostingStatus.IN_PROGRESS,
            PostingStatus.ONLINE,
            PostingStatus.OFFLINE,
            PostingStatus.FAILED,
        }
    ),
    PostingStatus.IN_PROGRESS: frozenset(
        {PostingStatus.ONLINE, PostingStatus.OFFLINE, PostingStatus.FAILED}
    ),
    PostingStatus.ONLINE: frozenset({PostingStatus.OFFLINE}),
    PostingStatus.OFFLINE: frozenset(),
    PostingStatus.FAILED: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS[current]


def campaign_status_from_postings(statuses: list[str]) -> str:
    """A campaign is Online when any board is; live while any board is on its way; otherwise
    Offline (or Failed when every board failed)."""
    present = set(statuses)
    if not present:
        return CampaignStatus.SUBMITTED
    if PostingStatus.ONLINE in present:
        return CampaignStatus.ONLINE
    if PostingStatus.IN_PROGRESS in present:
        return CampaignStatus.IN_PROGRESS
    if PostingStatus.SUBMITTED in present:
        return CampaignStatus.SUBMITTED
    if PostingStatus.CHECKING in present:
        return CampaignStatus.CHECKING
    if present == {PostingStatus.FAILED}:
        return CampaignStatus.FAILED
    return CampaignStatus.OFFLINE


def campaign_refresh_status(*, campaign: Campaign) -> str:
    """Derive and store the campaign's status from its postings."""
    statuses = list(campaign.postings.values_list("status", flat=True))
    status = campaign_status_from_postings(statuses)
    if status != campaign.status:
        Campaign.objects.filter(pk=campaign.pk).update(status=status, modified_at=timezone.now())
        campaign.status = status
    return status


@transaction.atomic
def posting_apply_status(
    *,
    posting: Posting,
    status: str,
    source: str,
    observed_at: datetime | None = None,
    description: str = "",
    solution: str = "",
    job_board_link: str = "",
    delivered_on: datetime | None = None,
    clicks: int | None = None,
    by: User | None = None,
    texts_fr: dict | None = None,
) -> bool:
    """Apply one status update to ``posting``; return whether anything changed.

    Records a PostingEvent for a change of status or of the job ad URL, derives the
    campaign's status, and emails the ordering recruiter when a board goes online or fails.
    ``texts_fr``: the provider's French ``description`` and ``solution``, kept with them.
    """
    texts_fr = {k: v for k, v in (texts_fr or {}).items() if v} if description or solution else {}
    if status not in PostingStatus.values:
        raise ValueError(f"Unknown posting status {status!r}")
    locked = Posting.objects.select_for_update().get(pk=posting.pk)
    if (
        observed_at is not None
        and locked.status_observed_at is not None
        and observed_at < locked.status_observed_at
    ):
        _copy(locked, posting)
        return False

    previous = locked.status
    # What the posting added to the Performance page's roll-up until now.
    contribution_before = posting_contribution(locked)
    status_changes = status != previous and can_transition(previous, status)
    changed_fields: set[str] = set()

    if status_changes:
        locked.status = status
        changed_fields.add("status")
        if PostingStatus.CHECKING in (status, previous) or status == PostingStatus.FAILED:
            # What Checking with the provider, or Failed, means and what to do (cleared once
            # an order being checked is adopted).
            locked.status_description = description
            locked.status_solution = solution
            locked.status_texts_fr = texts_fr
            changed_fields |= {"status_description", "status_solution", "status_texts_fr"}
        if status == PostingStatus.OFFLINE and locked.offline_at is None:
            locked.offline_at = observed_at or timezone.now()
            changed_fields.add("offline_at")
    elif (
        status == previous == PostingStatus.FAILED
        and (description or solution)
        and (description, solution) != (locked.status_description, locked.status_solution)
    ):
        locked.status_description = description
        locked.status_solution = solution
        locked.status_texts_fr = texts_fr
        changed_fields |= {"status_description", "status_solution", "status_texts_fr"}
    elif status == previous == PostingStatus.FAILED and texts_fr and not locked.status_texts_fr:
        locked.status_texts_fr = texts_fr  # the French words arrive after the English ones
        changed_fields.add("status_texts_fr")

    # Details only ever fill in or grow; a final posting keeps what it had.
    link_changed = False
    if (
        job_board_link
        and job_board_link != locked.job_board_link
        and (locked.status not in FINAL_POSTING_STATUSES or not locked.job_board_link)
    ):
        locked.job_board_link = job_board_link
        changed_fields.add("job_board_link")
        link_changed = True
    if delivered_on is not None and locked.published_at is None:
        locked.published_at = delivered_on
        changed_fields.add("published_at")
    if locked.status == PostingStatus.ONLINE and locked.published_at is None and status_changes:
        locked.published_at = observed_at or timezone.now()
        changed_fields.add("published_at")
    if locked.published_at is not None and locked.due_offline_at is None:
        locked.due_offline_at = locked.published_at + timedelta(days=_duration_days(locked))
        changed_fields.add("due_offline_at")
    if clicks is not None and clicks > locked.clicks:
        locked.clicks = clicks
        changed_fields.add("clicks")

    if not changed_fields:
        _copy(locked, posting)
        return False

    if observed_at is not None and (
        locked.status_observed_at is None or observed_at > locked.status_observed_at
    ):
        locked.status_observed_at = observed_at
        changed_fields.add("status_observed_at")
    changed_fields.add("modified_at")
    locked.save(update_fields=sorted(changed_fields))
    board_posting_figures_change(
        org_id=locked.organization_id,
        before=contribution_before,
        after=posting_contribution(locked),
    )
    history_changed(org_id=locked.organization_id)

    if status_changes or link_changed:
        PostingEvent.objects.create(
            organization_id=locked.organization_id,
            posting=locked,
            from_status=previous,
            to_status=locked.status,
            source=source,
            description=locked.status_description if status_changes else "",
            solution=locked.status_solution if status_changes else "",
            texts_fr=locked.status_texts_fr if status_changes else {},
            job_board_link=locked.job_board_link if link_changed else "",
            observed_at=observed_at or timezone.now(),
            by=by,
        )
    if status_changes:
        campaign_refresh_status(campaign=locked.campaign)
        if status in NOTIFIED_STATUSES and source != EventSource.DEMO:
            posting_status_notify(posting=locked, status=status)
    _copy(locked, posting)
    return True


def posting_record_created(*, posting: Posting, by: User | None) -> PostingEvent:
    """The first event of a posting's timeline: the order was placed."""
    return PostingEvent.objects.create(
        organization_id=posting.organization_id,
        posting=posting,
        from_status="",
        to_status=posting.status,
        source=EventSource.ORDER,
        observed_at=timezone.now(),
        by=by,
    )


def _duration_days(posting: Posting) -> int:
    """The posting duration ordered for this board, or the boards' usual default."""
    for product in posting.campaign.payload.get("products", []):
        if product.get("contract") == posting.contract_id and product.get("posting_duration_days"):
            return int(product["posting_duration_days"])
    return settings.CAMPAIGNS_DEFAULT_POSTING_DAYS


def _copy(source: Posting, target: Posting) -> None:
    if source is target:
        return
    for field in Posting._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
