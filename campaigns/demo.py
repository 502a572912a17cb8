"""Demo campaigns for Acme Talent, one in every status, so Sourcing and History are never
empty.

They are made through the real services (draft → Target group → ``campaign_order``), so
they look exactly like real ones. The sandbox is not running while demo data is loaded, so
instead of delivering them the order is recorded as adopted under a synthetic provider id
(``demo-…``; ``campaign_record_adopted``, in the ordering transaction, so the submit task
that the order enqueues finds nothing to send), and the provider's later steps are applied
with ``posting_apply_status`` (source "demo"). The status poll never matches those ids, so
nothing else ever touches them.
"""

import uuid
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from campaigns.models import Campaign, EventSource, Posting, PostingStatus
from campaigns.selectors import contract_is_orderable
from campaigns.services.board_day_figures import board_day_figures_rebuild
from campaigns.services.board_posting_figures import board_posting_figures_rebuild
from campaigns.services.delivery import campaign_record_adopted
from campaigns.services.draft_values import values_to_json
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import (
    campaign_order,
    draft_add_contracts,
    draft_save,
    job_prefill,
)
from campaigns.services.requirement_defaults import contract_requirement_defaults_set
from campaigns.services.status import posting_apply_status
from contracts.models import Contract
from distribution.models import TaxonomyTerm
from jobs.fields import TAXONOMY_FIELDS
from jobs.models import Application, EmploymentType, Job, JobStatus, JobViewCounter
from jobs.pdf import minimal_pdf
from jobs.services import application_create
from jobs.utm import Utm

DEMO_PREFIX = "Demo · "
PERFORMANCE_DAYS = 60
# (name suffix, the provider's steps after ordering, per board)
SCENARIOS = [
    ("in progress", [[PostingStatus.IN_PROGRESS]]),
    ("online", [[PostingStatus.ONLINE], [PostingStatus.ONLINE]]),
    ("offline", [[PostingStatus.ONLINE, PostingStatus.OFFLINE]]),
    ("failed", [[PostingStatus.FAILED]]),
]
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


def _apply_steps(campaign: Campaign, steps_per_board: list[list[str]], start) -> None:
    moment = start
    for posting, steps in zip(campaign.postings.order_by("id"), steps_per_board, strict=False):
        for status in steps:
            # An ad that goes offline was online for a few weeks first.
            moment += timedelta(days=21) if status == PostingStatus.OFFLINE else timedelta(hours=6)
            extra = {}
            if status == PostingStatus.ONLINE:
                extra = {
                    "job_board_link": f"https://jobs.example/demo/{posting.utm_content}",
                    "delivered_on": moment,
                    "clicks": 12,
                }
            if status == PostingStatus.FAILED:
                extra = {
                    "description": "The job board refused the login of this contract.",
                    "solution": "Update the contract's credentials, then order again.",
                }
            posting_apply_status(
                posting=posting,
                status=status,
                source=EventSource.DEMO,
                observed_at=moment,
                **extra,
            )


def seed(*, log) -> None:
    acme = Organization.objects.filter(slug="acme-talent").first()
    recruiter = User.objects.filter(email="recruiter@acme.test").first()
    if acme is None or recruiter is None:
        log("no Acme Talent organisation: skipped campaigns")
        return
    seed_requirement_defaults(acme, log)
    if Campaign.objects.for_org(acme).filter(name__startswith=DEMO_PREFIX).exists():
        log("Acme Talent: demo campaigns already there")
        return
    jobs = list(
        Job.objects.for_org(acme)
        .filter(status=JobStatus.OPEN, show_on_career_page=True)
        .order_by("created_at")
    )
    contracts = [  # the demo's expired, spent and refused contracts cannot be ordered
        contract
        for contract in Contract.objects.for_org(acme).select_related("group", "channel")
        if contract_is_orderable(contract)
    ]
    by_group: dict[int, list[Contract]] = {}
    for contract in contracts:
        by_group.setdefault(contract.group_id, []).append(contract)
    group_contracts = max(by_group.values(), key=len, default=[])
    if not jobs or not group_contracts:
        log("Acme Talent: no open job or no contract yet: skipped demo campaigns")
        return
    created = 0
    # Ordered over the last 60 days, so the Performance page's charts have a history.
    start = timezone.now() - timedelta(days=PERFORMANCE_DAYS)
    for index, (label, steps) in enumerate(SCENARIOS):
        job = jobs[index % len(jobs)]
        boards = group_contracts[: len(steps)]
        try:
            with transaction.atomic():
                draft = draft_add_contracts(
                    org=acme, by=recruiter, job_id=job.pk, contract_ids=[c.pk for c in boards]
                )
                values = values_to_json(_values(job, recruiter))
                values["campaign_name"] = f"{DEMO_PREFIX}{job.title} ({label})"
                draft = draft_save(draft=draft, values=values, requirements={}, complete=True)
                campaign = campaign_order(org=acme, by=recruiter, draft_id=draft.pk)
                campaign_record_adopted(
                    campaign_id=campaign.pk, provider_campaign_id=f"demo-{uuid.uuid4()}"
                )
                ordered = start + timedelta(days=index * 12)
                Campaign.objects.filter(pk=campaign.pk).update(created_at=ordered)
                Posting.objects.filter(campaign=campaign).update(created_at=ordered)
                _apply_steps(campaign, steps, ordered)
        except OrderRefused as refusal:
            log(f"Acme Talent: demo campaign '{label}' skipped: {refusal.message}")
            continue
        created += 1
    log(f"Acme Talent: {created} demo campaign(s) (in progress, online, offline, failed)")
    _seed_performance(acme, log)


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
    today = timezone.localdate()
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
            if (offset + number) % 6 == 0 and posting.campaign.job.is_open:
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
                moment = timezone.make_aware(datetime.combine(day, time(10, 30)))
                Application.objects.filter(pk=application.pk).update(created_at=moment)
                applications += 1
    # The counters were written per day above, around job_view_record, and the postings'
    # dates moved back in time: the Performance page's roll-ups are computed from them once
    # (the applications went through the write path and were moved to their day afterwards).
    board_day_figures_rebuild(org_id=org.pk)
    board_posting_figures_rebuild(org_id=org.pk)
    log(f"Acme Talent: views and {applications} applications over the demo ads' days online")
