"""Demo campaigns for Acme Talent, one in every status, so Sourcing and History are never
empty, and every one of them true to the provider.

They are made through the real services (draft → Target group → ``campaign_order``) and
delivered through the real path (``campaign_submit``) to a provider sandbox that the
seeding starts itself (``campaigns.demo_sandbox``): ``make run`` seeds before the Procfile
starts the sandbox, so this one listens where the product expects its provider and writes
the state file that the Procfile's sandbox then loads. Every provider id, job ad URL (a page
the sandbox serves), click count and date comes from the sandbox; the product learns them
through its own status sync (``campaign_refresh``, source "demo" so no email goes out).

Dates: the seeding sandbox's clock starts 61 days ago and is moved forward, with its own
``/_sandbox/clock/advance``, to each order and to each moment a board goes online, fails or
expires; after each, the campaign is read back, so every timeline event carries the
provider's time (ordered ≤ published ≤ offline). The only stamps made on our clock, the
order's and the delivery's, are moved to the moment the sandbox took the order. The board
that fails is rejected with the provider's sandbox-only edit call; the sandbox words the
reason in the reader's language.

Demo contracts are registered first (the task ``sync_demo_contracts`` then finds none
left). Idempotent: once the demo campaigns exist nothing is seeded again. When no sandbox
can be started (the provider is not local, or something already listens on its port), the
demo campaigns are skipped with the reason.
"""

import heapq
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization, User
from campaigns.demo_sandbox import ONLINE_AFTER, SeedingSandbox, SeedingSandboxUnavailable
from campaigns.models import Campaign, EventSource, Posting, PostingEvent, PostingStatus
from campaigns.selectors import contract_is_orderable
from campaigns.services.board_day_figures import board_day_figures_rebuild
from campaigns.services.board_posting_figures import board_posting_figures_rebuild
from campaigns.services.delivery import campaign_submit
from campaigns.services.draft_values import values_to_json
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import (
    campaign_order,
    draft_add_contracts,
    draft_save,
    job_prefill,
)
from campaigns.services.requirement_defaults import contract_requirement_defaults_set
from campaigns.services.sync import campaign_refresh
from contracts.demo import demo_contracts_register_pending
from contracts.models import Contract, ContractStatus
from distribution.errors import ProviderError
from distribution.models import TaxonomyTerm
from jobs.fields import TAXONOMY_FIELDS
from jobs.models import Application, EmploymentType, Job, JobStatus, JobViewCounter
from jobs.pdf import minimal_pdf
from jobs.services import application_create
from jobs.utm import Utm

DEMO_PREFIX = "Demo · "
PERFORMANCE_DAYS = 60
# (name suffix, ordered how long ago, boards, whether the board rejects it)
SCENARIOS = [
    ("offline", timedelta(days=58), 1, False),  # online for its 30 days, then expired
    ("failed", timedelta(days=40), 1, True),
    ("online", timedelta(days=20), 2, False),
    ("in progress", timedelta(hours=2), 1, False),
]
# When the failing board is rejected: before it would have gone online.
FAIL_AFTER = timedelta(hours=2)
# A refresh just after the moment something falls due at the sandbox.
SETTLE = timedelta(minutes=1)
DEFAULTS = {
    "description": "<p>Join our team.</p>",
    "address_line1": "1 Demo Street",
    "postcode": "75001",
    "city": "Paris",
    "country": "FR",
    "employment_type": EmploymentType.PERMANENT,
    "years_of_experience": 2,
    "weekly_hours_to": 38,
}
# What the demo boards require (the provider refuses an order without it), by board name.
BOARD_REQUIREMENTS = {
    "LinkedIn": {"company-page-url": "https://www.linkedin.com/company/acme-talent"},
    "Bayt": {"location": "ae-dubai"},
}


def _values(job: Job, user: User) -> dict:
    values = job_prefill(job=job, user=user)
    for name, default in DEFAULTS.items():
        if values.get(name) in (None, ""):
            values[name] = default
    for name, kind in TAXONOMY_FIELDS.items():
        term = TaxonomyTerm.objects.active().of_kind(kind).filter(pk=values.get(name)).first()
        term = term or TaxonomyTerm.objects.active().of_kind(kind).order_by("pk").first()
        values[name] = term
    return values


def _requirements(contracts: list[Contract]) -> dict[str, dict]:
    return {str(c.pk): dict(BOARD_REQUIREMENTS.get(c.channel.name, {})) for c in contracts}


def seed(*, log) -> None:
    acme = Organization.objects.filter(slug="acme-talent").first()
    recruiter = User.objects.filter(email="recruiter@acme.test").first()
    if acme is None or recruiter is None:
        log("no Acme Talent organisation: skipped campaigns")
        return
    if Campaign.objects.for_org(acme).filter(name__startswith=DEMO_PREFIX).exists():
        log("Acme Talent: demo campaigns already there")
        return
    jobs = list(
        Job.objects.for_org(acme)
        .filter(status=JobStatus.OPEN, show_on_career_page=True)
        .order_by("created_at")
    )
    if not jobs:
        log("Acme Talent: no open job yet: skipped demo campaigns")
        return
    try:
        with SeedingSandbox() as sandbox:
            demo_contracts_register_pending()
            _refusals_to_the_sandbox(sandbox, acme)
            seed_requirement_defaults(acme, log)
            created = _order_through(sandbox, acme, recruiter, jobs, log)
    except (SeedingSandboxUnavailable, ProviderError) as reason:
        # Whatever the sandbox did, `make run` goes on: the demo is then without campaigns.
        log(f"Acme Talent: demo campaigns skipped: {reason}")
        return
    log(f"Acme Talent: {created} demo campaign(s) through the sandbox")
    _seed_performance(acme, log)


def _refusals_to_the_sandbox(sandbox: SeedingSandbox, org: Organization) -> None:
    """The demo's refused contract is refused by the sandbox too (its state file carries it
    to the Procfile's sandbox), so that reading it again (Check now, the daily refresh, the
    read-back after an order) finds the refusal instead of clearing it."""
    refused = Contract.objects.for_org(org).filter(status=ContractStatus.NEEDS_ATTENTION)
    for contract in refused.exclude(provider_errors=[]):
        if contract.is_pending_registration:
            continue
        french = contract.provider_errors_french  # [] unless one for one with the English
        errors = [
            {"en": english, "fr": french[index] if french else english}
            for index, english in enumerate(contract.provider_errors)
        ]
        sandbox.refuse_contract(contract_id=contract.provider_contract_id, errors=errors)


def _order_through(sandbox: SeedingSandbox, org, recruiter, jobs, log) -> int:
    contracts = [  # the demo's expired, spent and refused contracts cannot be ordered
        contract
        for contract in Contract.objects.for_org(org).select_related("group", "channel")
        if contract_is_orderable(contract) and not contract.is_pending_registration
    ]
    by_group: dict[int, list[Contract]] = {}
    for contract in contracts:
        by_group.setdefault(contract.group_id, []).append(contract)
    group_contracts = max(by_group.values(), key=len, default=[])
    if not group_contracts:
        log("Acme Talent: no orderable contract at the sandbox: skipped demo campaigns")
        return 0
    now = timezone.now()
    # (when, sequence, what, scenario index or campaign id): a timeline in the sandbox's time
    agenda: list[tuple[datetime, int, str, int]] = []
    for index, (_label, ago, _boards, _fails) in enumerate(SCENARIOS):
        heapq.heappush(agenda, (now - ago, len(agenda), "order", index))
    campaigns: list[Campaign] = []
    while agenda:
        moment, _, what, subject = heapq.heappop(agenda)
        if moment > now:  # not due yet: the Procfile's sandbox carries it out in its time
            continue
        at = sandbox.advance_to(moment)
        if what == "order":
            label, _ago, boards, fails = SCENARIOS[subject]
            job = jobs[subject % len(jobs)]
            campaign = _order(org, recruiter, job, group_contracts[:boards], label, at, log)
            if campaign is None:
                continue
            campaigns.append(campaign)
            if fails:
                heapq.heappush(agenda, (at + FAIL_AFTER, len(agenda), "fail", campaign.pk))
            else:
                heapq.heappush(
                    agenda, (at + ONLINE_AFTER + SETTLE, len(agenda), "read", campaign.pk)
                )
            continue
        campaign = Campaign.objects.select_related("organization").get(pk=subject)
        if what == "fail":
            sandbox.fail_products(
                provider_campaign_id=campaign.provider_campaign_id,
                customer_id=str(org.provider_customer_id),
                products=[p.product_id for p in campaign.postings.all()],
            )
        campaign_refresh(
            provider_campaign_id=campaign.provider_campaign_id, source=EventSource.DEMO
        )
        for posting in campaign.postings.all():
            due = posting.due_offline_at
            if posting.status == PostingStatus.ONLINE and due is not None and due < now:
                heapq.heappush(agenda, (due + SETTLE, len(agenda), "read", campaign.pk))
    sandbox.advance_to(timezone.now())
    for campaign in campaigns:  # as they are today
        campaign_refresh(
            provider_campaign_id=campaign.provider_campaign_id, source=EventSource.DEMO
        )
    # We learnt each change when the dated sandbox made it: the timeline shows that moment.
    PostingEvent.objects.filter(posting__campaign__in=campaigns).update(
        recorded_at=F("observed_at")
    )
    return len(campaigns)


def _order(org, recruiter, job, boards, label, ordered, log) -> Campaign | None:
    """Order and deliver one demo campaign; our own stamps of it are moved to ``ordered``,
    the moment the sandbox (whose clock is in the past) took the order."""
    try:
        with transaction.atomic():
            draft = draft_add_contracts(
                org=org, by=recruiter, job_id=job.pk, contract_ids=[c.pk for c in boards]
            )
            values = values_to_json(_values(job, recruiter))
            values["campaign_name"] = f"{DEMO_PREFIX}{job.title} ({label})"
            draft = draft_save(
                draft=draft, values=values, requirements=_requirements(boards), complete=True
            )
            campaign = campaign_order(org=org, by=recruiter, draft_id=draft.pk)
    except OrderRefused as refusal:
        log(f"Acme Talent: demo campaign '{label}' skipped: {refusal.message}")
        return None
    result = campaign_submit(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    if not campaign.provider_campaign_id:
        log(f"Acme Talent: demo campaign '{label}' not taken by the sandbox: {result}")
        return None
    Campaign.objects.filter(pk=campaign.pk).update(created_at=ordered, delivered_at=ordered)
    Posting.objects.filter(campaign=campaign).update(created_at=ordered)
    PostingEvent.objects.filter(
        posting__campaign=campaign, source__in=[EventSource.ORDER, EventSource.SUBMIT]
    ).update(observed_at=ordered)
    return campaign


# Default values of a board's requirements, by board (the provider's id), so that the
# wizard shows a board's fields pre-filled from its contract ("Default from your admin").
DEMO_REQUIREMENT_DEFAULTS = {
    1001: {
        "industry-naukri": "it-software",
        "location": {"key": "in-bengaluru", "label": "Bengaluru", "show": []},
    },
}


def seed_requirement_defaults(org: Organization, log) -> None:
    """Set the demo's defaults on the organisation's registered contracts of those boards
    that have none yet (so seeding twice changes nothing)."""
    contracts = Contract.objects.for_org(org).filter(
        channel__provider_id__in=DEMO_REQUIREMENT_DEFAULTS
    )
    for contract in contracts.select_related("channel"):
        if contract.requirement_defaults or contract.is_pending_registration:
            continue
        values = DEMO_REQUIREMENT_DEFAULTS[contract.channel.provider_id]
        try:
            contract_requirement_defaults_set(
                contract=contract, by=contract.created_by, values=values
            )
        except ValidationError as error:
            log(f"{org.name}: requirement defaults of {contract} skipped: {error.messages[0]}")
            continue
        log(f"{org.name}: requirement defaults set on {contract}")


def _seed_performance(org: Organization, log) -> None:
    """Career page views every day each demo ad was online, and now and then an application
    through it, as the career page records them (attributed by the ad's utm_content)."""
    postings = (
        Posting.objects.for_org(org)
        .filter(campaign__name__startswith=DEMO_PREFIX, published_at__isnull=False)
        .select_related("campaign__job")
        .order_by("id")
    )
    now = timezone.now()
    today = timezone.localdate(now)
    applications = 0
    for number, posting in enumerate(postings):
        first = timezone.localtime(posting.published_at).date()
        last = timezone.localtime(posting.offline_at).date() if posting.offline_at else today
        utm = Utm(
            utm_source=posting.board_name.lower()[:100],
            utm_medium="job_board",
            utm_campaign=str(posting.campaign_id),
            utm_content=posting.utm_content,
        )
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            JobViewCounter.objects.update_or_create(
                job=posting.campaign.job,
                day=day,
                utm_source=utm.utm_source,
                utm_medium=utm.utm_medium,
                utm_campaign=utm.utm_campaign,
                utm_content=utm.utm_content,
                defaults={"organization": org, "count": 4 + (offset * 7 + number * 5) % 19},
            )
            # Applied through the ad: while it was online, and not in the future.
            moment = max(
                timezone.make_aware(datetime.combine(day, time(10, 30))),
                posting.published_at + timedelta(hours=1),
            )
            in_time = moment <= min(posting.offline_at or now, now)
            if (offset + number) % 6 == 0 and posting.campaign.job.is_open and in_time:
                name = f"Demo candidate {number}-{offset}"
                application = application_create(
                    job=posting.campaign.job,
                    name=name,
                    email=f"candidate{number}.{offset}@example.test",
                    cv=SimpleUploadedFile(
                        "cv.pdf", minimal_pdf([name, "Curriculum vitae"]), "application/pdf"
                    ),
                    utm=utm,
                )
                Application.objects.filter(pk=application.pk).update(created_at=moment)
                applications += 1
    # The counters were written per day above, around job_view_record, and the postings'
    # dates moved back in time: the Performance page's roll-ups are computed from them once
    # (the applications went through the write path and were moved to their day afterwards).
    board_day_figures_rebuild(org_id=org.pk)
    board_posting_figures_rebuild(org_id=org.pk)
    log(f"Acme Talent: views and {applications} applications over the demo ads' days online")
