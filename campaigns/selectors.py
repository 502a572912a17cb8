"""Reads of the campaigns app. Every function takes the organisation; a row of another
organisation is a 404 (``get_for_org_or_404``)."""

import hashlib
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from campaigns.models import (
    LIVE_POSTING_STATUSES,
    Campaign,
    CampaignDraft,
    CampaignStatus,
    Posting,
    PostingEvent,
)
from contracts.access import AccessState, my_own_contracts_missing
from contracts.health import contract_health
from contracts.models import Contract, ContractGroup
from distribution.health import ProviderOutage
from jobs.models import Job
from jobs.selectors import ApplicationSource, attribution_by_utm_content

LIVE_CAMPAIGN_STATUSES = (
    CampaignStatus.SUBMITTED,
    CampaignStatus.CHECKING,
    CampaignStatus.IN_PROGRESS,
    CampaignStatus.ONLINE,
)


@dataclass(frozen=True)
class Blocker:
    """Why no order can be placed, and what to do about it."""

    code: str
    message: str
    action: str


_ACCESS_BLOCKERS = {
    AccessState.TRIAL: (
        _("Your organisation is on a trial plan: only subscribers may publish on job boards."),
        _("Ask an admin to subscribe to a paid plan."),
    ),
    AccessState.UNVERIFIED: (
        _("Your organisation has not been verified yet."),
        _("Support verifies organisations; contact support if it takes more than a day."),
    ),
    AccessState.CAREER_PAGE_DISABLED: (
        _("Your organisation's career page is disabled: job ads point candidates to it."),
        _("Ask an admin to enable the career page in Administration."),
    ),
    AccessState.NOT_ENABLED: (
        _("My Own Contracts is not enabled for your organisation."),
        _("Ask an admin to request access: Administration → Job boards → Contact us for access."),
    ),
}


def sourcing_blockers(*, org: Organization, job: Job) -> list[Blocker]:
    """Everything that stops this organisation ordering a campaign for this job. The tab
    shows these and ``campaign_order`` refuses with the same messages."""
    blockers = [
        Blocker(str(state), *_ACCESS_BLOCKERS[state]) for state in my_own_contracts_missing(org)
    ]
    if not job.is_open:
        blockers.append(
            Blocker(
                "job_closed",
                _("This job is closed."),
                _("Reopen the job to publish it on job boards."),
            )
        )
    if not job.show_on_career_page:
        blockers.append(
            Blocker(
                "job_hidden",
                _("This job is not shown on the career page, where job ads send candidates."),
                _("Edit the job and tick “Show on career page”."),
            )
        )
    return blockers


def job_get(*, org: Organization, job_id: int) -> Job:
    return Job.objects.get_for_org_or_404(org, pk=job_id)


def sourcing_contract_groups(*, org: Organization) -> list[ContractGroup]:
    """The organisation's groups, each with its contracts (``group.sourcing_contracts``)."""
    contracts = Contract.objects.for_org(org).select_related("channel").order_by("channel__name")
    return list(
        ContractGroup.objects.for_org(org)
        .prefetch_related(Prefetch("contracts", queryset=contracts, to_attr="sourcing_contracts"))
        .order_by("-is_default", "name")
    )


def contract_is_orderable(contract: Contract) -> bool:
    """Not refused by the board, not expired, not out of credits (``contracts.health``)."""
    return contract_health(contract).orderable


def campaigns_for_job(*, org: Organization, job: Job) -> QuerySet[Campaign]:
    return (
        Campaign.objects.for_org(org)
        .filter(job=job)
        .select_related("ordered_by")
        .prefetch_related(Prefetch("postings", queryset=Posting.objects.select_related("channel")))
        .order_by("-created_at")
    )


def campaign_get(*, org: Organization, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("job", "ordered_by", "outbox").get_for_org_or_404(
        org, pk=campaign_id
    )
    return campaign


def campaign_postings(*, org: Organization, campaign: Campaign) -> list[Posting]:
    events = PostingEvent.objects.for_org(org).select_related("by").order_by("recorded_at", "id")
    return list(
        Posting.objects.for_org(org)
        .filter(campaign=campaign)
        .select_related("channel")
        .prefetch_related(Prefetch("events", queryset=events))
    )


def campaigns_in_flight(*, campaigns: list[Campaign], postings: list[Posting]) -> bool:
    """A page showing these keeps refreshing itself while this holds: an order is still
    being delivered, or a board is on its way online or offline."""
    undelivered = any(not c.provider_campaign_id and c.is_live for c in campaigns)
    return undelivered or any(posting.is_in_flight for posting in postings)


# Everything a live page (``_campaign_live.html``, the Sourcing tab's ``campaign_table.html``)
# shows of a campaign and of each of its postings: ``campaigns_live_version`` digests exactly
# these, so a field those pages start showing is added here and nowhere else. ``status`` and
# ``take_down_requested_at`` make ``shown_status``; ``payload`` names the boards of a refused
# order's errors; the timeline only grows with a change of status or of the job ad, or a
# take-down request. Fixed ones (``name``, ``board_name``) cost nothing and keep the rule simple.
LIVE_CAMPAIGN_FIELDS = (
    "pk",
    "name",
    "created_at",
    "status",
    "provider_campaign_id",
    "order_error_message",
    "order_errors",
    "payload",
)
LIVE_POSTING_FIELDS = (
    "pk",
    "board_name",
    "status",
    "take_down_requested_at",
    "status_description",
    "status_solution",
    "status_texts_fr",
    "job_board_link",
    "published_at",
    "offline_at",
    "clicks",
)


def campaigns_live_version(
    *,
    campaigns: list[Campaign],
    postings: list[Posting],
    provider_outage: ProviderOutage | None = None,
) -> str:
    """A digest of what a live page shows, which the provider changes: the page's refresh
    sends it back, and an unchanged one is answered with nothing to swap (so focus and what
    is being read stay put). Computed from the values (``LIVE_CAMPAIGN_FIELDS``,
    ``LIVE_POSTING_FIELDS``), not from ``modified_at``, which ``QuerySet.update()`` writers
    do not touch. A page that shows the provider's outage passes it: its start and its end
    change the page too."""
    shown = [
        provider_outage.since if provider_outage else None,
        *(tuple(getattr(c, field) for field in LIVE_CAMPAIGN_FIELDS) for c in campaigns),
        *(tuple(getattr(p, field) for field in LIVE_POSTING_FIELDS) for p in postings),
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def posting_get(*, org: Organization, posting_id: int) -> Posting:
    return Posting.objects.select_related("campaign", "channel").get_for_org_or_404(
        org, pk=posting_id
    )


def live_campaigns_for_job(*, org: Organization, job: Job) -> QuerySet[Campaign]:
    return campaigns_for_job(org=org, job=job).filter(status__in=LIVE_CAMPAIGN_STATUSES)


def live_channel_ids_for_job(*, org: Organization, job: Job) -> set[int]:
    """The boards (channels) on which this job is already live or on its way there."""
    return set(
        Posting.objects.filter(
            organization=org, campaign__job=job, status__in=LIVE_POSTING_STATUSES
        )
        .exclude(channel__isnull=True)
        .values_list("channel_id", flat=True)
    )


def live_postings_using_contract(contract: Contract) -> QuerySet[Posting]:
    return Posting.objects.filter(
        organization_id=contract.organization_id,
        contract=contract,
        status__in=LIVE_POSTING_STATUSES,
    ).select_related("campaign")


def draft_get(*, org: Organization, draft_id: int) -> CampaignDraft:
    """A live draft of the organisation (any member may pick it up); expired is a 404."""
    return (
        CampaignDraft.objects.select_related("job", "user")
        .filter(expires_at__gt=timezone.now())
        .get_for_org_or_404(org, pk=draft_id)
    )


def drafts_for_job(*, org: Organization, job: Job, user: User) -> QuerySet[CampaignDraft]:
    return (
        CampaignDraft.objects.for_org(org)
        .filter(job=job, user=user, expires_at__gt=timezone.now())
        .prefetch_related("contracts__channel")
        .order_by("-updated_at")
    )


def user_may_take_down(*, user: User, campaign: Campaign) -> bool:
    membership = getattr(user, "membership", None)
    if membership is None or membership.organization_id != campaign.organization_id:
        return False
    return membership.is_admin or campaign.ordered_by_id == user.pk


def posting_attribution(*, org: Organization, postings: list[Posting]) -> dict[int, tuple]:
    """(career page views, applications) brought by each posting, by posting id."""
    counts = attribution_by_utm_content(org=org, utm_contents=[p.utm_content for p in postings])
    return {p.pk: counts.get(p.utm_content, (0, 0)) for p in postings}


def campaign_for_draft(*, org: Organization, draft_id: int) -> Campaign | None:
    """The campaign already placed from this draft (a resubmitted order form finds it)."""
    return Campaign.objects.for_org(org).filter(source_draft_id=draft_id).first()


def application_sources_from_postings(
    org: Organization, utm_contents: list[str]
) -> dict[str, ApplicationSource]:
    """For the jobs app (``jobs.selectors.APPLICATION_SOURCE_RESOLVERS``): the campaign and
    board whose ad carried each utm_content, linked to the campaign's page (one query)."""
    postings = (
        Posting.objects.for_org(org).filter(utm_content__in=utm_contents).select_related("campaign")
    )
    return {
        posting.utm_content: ApplicationSource(
            campaign=posting.campaign.name,
            origin=posting.board_name,
            url=reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id}),
        )
        for posting in postings
    }
