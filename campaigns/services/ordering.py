"""Choosing contracts, keeping the wizard's draft, and placing the order.

``campaign_order`` is the one way a campaign comes to exist: in one transaction it consumes
the draft, writes the campaign, one posting per contract and the outbox row, and enqueues
delivery on commit. A double click or a resubmitted form finds the campaign already placed
from that draft (the draft's key is the campaign's unique ``order_key``).
"""

import logging
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from campaigns.history.page_cache import history_changed
from campaigns.models import (
    DRAFT_LIFETIME,
    Campaign,
    CampaignDraft,
    OrderOutbox,
    Posting,
)
from campaigns.selectors import contract_is_orderable, sourcing_blockers
from campaigns.services.board_posting_figures import (
    board_posting_figures_change,
    posting_contribution,
)
from campaigns.services.order_document import OrderRefused, order_document
from campaigns.services.status import posting_record_created
from config.queue import enqueue_on_commit
from contracts.health import contract_health
from contracts.models import Contract
from contracts.services.contracts import contract_record_use
from distribution.models import TaxonomyTerm
from jobs.fields import JOB_AD_FIELDS, JOB_DETAIL_FIELDS, TAXONOMY_FIELDS
from jobs.models import Job
from jobs.services import job_update

log = logging.getLogger(__name__)


def _refuse_if_blocked(*, org: Organization, job: Job) -> None:
    blockers = sourcing_blockers(org=org, job=job)
    if blockers:
        raise OrderRefused(" ".join(f"{b.message} {b.action}" for b in blockers))


def contracts_check(*, org: Organization, contracts: list[Contract], expected: int) -> None:
    """The contracts of one order: all still there, all ready, all in one group."""
    if len(contracts) != expected:
        raise OrderRefused(
            _(
                "A contract you selected was deleted meanwhile. Go back to Job boards and "
                "choose the contracts again."
            )
        )
    if not contracts:
        raise OrderRefused(_("Select at least one contract."))
    if any(c.organization_id != org.pk for c in contracts):
        raise OrderRefused(_("Select contracts of your organisation."))
    if len({c.group_id for c in contracts}) > 1:
        raise OrderRefused(
            _(
                "The contracts of one campaign must belong to the same contract group: "
                "the job-distribution provider refuses mixed groups. Order one campaign per group."
            )
        )
    unusable = [c for c in contracts if not contract_is_orderable(c)]
    if unusable:
        raise OrderRefused(
            _(
                "These contracts cannot be used right now: %(boards)s. An admin can fix them "
                "in Administration → Job boards → Manage existing contracts."
            )
            % {"boards": "; ".join(f"{c} ({contract_health(c).reason})" for c in unusable)}
        )


def _load_contracts(org: Organization, ids: Iterable[int]) -> list[Contract]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    found = Contract.objects.for_org(org).select_related("channel", "group").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def job_prefill(*, job: Job, user: User) -> dict:
    """The target-group step's values from the job and the user."""
    values = {
        "campaign_name": job.title,
        "recruiter_name": user.get_full_name(),
        "recruiter_email": user.email,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }
    for name in JOB_DETAIL_FIELDS:
        value = getattr(job, name)
        # The draft keeps JSON: amounts as strings, like the form's own values.
        values[name] = str(value) if isinstance(value, Decimal) else value
    for name in TAXONOMY_FIELDS:
        values[name] = getattr(job, f"{name}_id")
    values["save_to_job"] = False
    return values


@transaction.atomic
def draft_add_contracts(
    *, org: Organization, by: User, job_id: int, contract_ids: list[int]
) -> CampaignDraft:
    """Add contracts to the user's open campaign draft for this job (a new one if none).

    All the contracts of a campaign must be in one group: mixing is refused with the reason.
    The draft extended is the user's open draft of that group (the provider does not mix
    groups, so each group has its own draft); a draft of another group is left alone.
    """
    job = Job.objects.get_for_org_or_404(org, pk=job_id)
    _refuse_if_blocked(org=org, job=job)
    asked = _load_contracts(org, [int(i) for i in contract_ids])
    contracts_check(org=org, contracts=asked, expected=len(set(contract_ids)))
    open_drafts = CampaignDraft.objects.select_for_update(of=("self",)).filter(
        organization=org, job=job, user=by, expires_at__gt=timezone.now()
    )
    same_group = CampaignDraft.objects.filter(
        organization=org, job=job, user=by, contracts__group_id=asked[0].group_id
    ).values("pk")
    draft = (
        open_drafts.filter(pk__in=same_group).order_by("-updated_at").first()
        or open_drafts.filter(contracts__isnull=True).order_by("-updated_at").first()
    )
    previous = list(draft.data.get("contract_ids", [])) if draft else []
    wanted = list(dict.fromkeys([*previous, *(int(i) for i in contract_ids)]))
    contracts = _load_contracts(org, wanted)
    contracts_check(org=org, contracts=contracts, expected=len(wanted))
    if draft is None:
        draft = CampaignDraft(
            organization=org,
            job=job,
            user=by,
            data={
                "values": job_prefill(job=job, user=by),
                "requirements": {},
                "complete": False,
            },
        )
    draft.data = {**draft.data, "contract_ids": [c.pk for c in contracts], "complete": False}
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    draft.save()
    draft.contracts.set(contracts)
    return draft


def drafts_add_contracts(
    *, org: Organization, by: User, job_id: int, contract_ids: list[int]
) -> list[CampaignDraft]:
    """Add to campaign with boards ticked in several groups: one draft per group (the
    provider refuses mixed groups), each extended by its group's contracts, all or none."""
    contracts = _load_contracts(org, [int(i) for i in contract_ids])
    if not contracts or len(contracts) != len(set(contract_ids)):
        # Says which: none selected, or one deleted meanwhile.
        contracts_check(org=org, contracts=contracts, expected=len(set(contract_ids)))
    by_group: dict[int, list[int]] = {}
    for contract in contracts:
        by_group.setdefault(contract.group_id, []).append(contract.pk)
    with transaction.atomic():
        drafts = [
            draft_add_contracts(org=org, by=by, job_id=job_id, contract_ids=ids)
            for ids in by_group.values()
        ]
        if len(drafts) > 1:
            _drafts_link(drafts)
        return drafts


def _drafts_link(drafts: list[CampaignDraft]) -> None:
    """One batch key on drafts filled in together: the Target group step applies to all of
    them and one Order places them all. Batches the drafts already belonged to merge."""
    earlier = {d.batch_key for d in drafts if d.batch_key}
    batch_key = next(iter(sorted(earlier, key=str)), None) or uuid.uuid4()
    CampaignDraft.objects.filter(
        Q(pk__in=[d.pk for d in drafts]) | Q(batch_key__in=earlier)
    ).update(batch_key=batch_key)
    for draft in drafts:
        draft.batch_key = batch_key


@transaction.atomic
def draft_order_again(
    *, org: Organization, by: User, campaign: Campaign, postings: list[Posting]
) -> CampaignDraft:
    """Order again (every board of a campaign) or Repost (one board): the user's draft for
    the campaign's job gets those boards' contracts, pre-filled with the requirements they
    were ordered with; the target group comes from the job as it is now. Refused, with the
    reason, when a contract is gone or cannot be used, as Add to campaign is."""
    if not postings or any(p.contract_id is None for p in postings):
        raise OrderRefused(
            _(
                "A contract this campaign was ordered with was deleted since. Choose the "
                "contracts again on the job's Job boards tab."
            )
        )
    draft = draft_add_contracts(
        org=org, by=by, job_id=campaign.job_id, contract_ids=[p.contract_id for p in postings]
    )
    requirements = dict(draft.data.get("requirements", {}))
    for posting in postings:
        # Postings placed before the wizard's own answers were kept have only what was sent.
        ordered_with = posting.wizard_requirements or posting.posting_requirements
        requirements.setdefault(str(posting.contract_id), dict(ordered_with))
    draft.data = {**draft.data, "requirements": requirements}
    draft.save(update_fields=["data", "updated_at"])
    return draft


def check_orderable(*, draft: CampaignDraft, contracts: list[Contract]) -> None:
    """Raise OrderRefused if this draft could not be ordered now (the review says why)."""
    _refuse_if_blocked(org=draft.organization, job=draft.job)
    contracts_check(
        org=draft.organization,
        contracts=contracts,
        expected=len(draft.data.get("contract_ids", [])),
    )


def draft_contracts(draft: CampaignDraft) -> list[Contract]:
    """The draft's contracts in the order chosen (deleted ones are simply missing)."""
    return _load_contracts(draft.organization, draft.data.get("contract_ids", []))


@transaction.atomic
def draft_save(
    *, draft: CampaignDraft, values: dict, requirements: dict[str, dict], complete: bool
) -> CampaignDraft:
    """Keep the target-group step's answers (even incomplete ones: nothing typed is lost)."""
    locked = CampaignDraft.objects.select_for_update().get(pk=draft.pk)
    # Boards whose step was saved: from then on their contract's defaults are not offered
    # again (the draft holds the recruiter's choice, a cleared default included).
    saved = set(locked.data.get("requirements_saved", [])) | {str(pk) for pk in requirements}
    locked.data = {
        **locked.data,
        "values": values,
        "requirements": requirements,
        "requirements_saved": sorted(saved),
        "complete": complete,
        "provider_errors": {},
    }
    locked.expires_at = timezone.now() + DRAFT_LIFETIME
    locked.save(update_fields=["data", "expires_at", "updated_at"])
    return locked


@transaction.atomic
def draft_record_provider_errors(*, draft: CampaignDraft, errors: dict[str, list[str]]) -> None:
    """The provider's validation errors, keyed by wizard field, shown where they belong."""
    locked = CampaignDraft.objects.select_for_update().get(pk=draft.pk)
    locked.data = {**locked.data, "provider_errors": errors}
    locked.save(update_fields=["data", "updated_at"])
    draft.data = locked.data


@transaction.atomic
def draft_discard(*, draft: CampaignDraft) -> None:
    CampaignDraft.objects.filter(pk=draft.pk).delete()


def drafts_purge_expired() -> int:
    """Delete drafts nobody touched for DRAFT_LIFETIME (they are already unreachable)."""
    _total, by_model = CampaignDraft.objects.filter(expires_at__lte=timezone.now()).delete()
    return by_model.get(CampaignDraft._meta.label, 0)


def draft_document(*, draft: CampaignDraft, contracts: list[Contract]) -> dict:
    """The order as the review shows it (posting references are placeholders until
    the order is placed)."""
    return order_document(
        org=draft.organization,
        job=draft.job,
        values=draft.data.get("values", {}),
        requirements=draft.data.get("requirements", {}),
        contracts=contracts,
        order_reference=draft.key.hex,
        utm_contents={},
        recruiter_id=str(draft.user_id),
    )


def campaign_order(*, org: Organization, by: User, draft_id: int) -> Campaign:
    """Place the order kept in draft ``draft_id``; placing it again returns the same campaign.

    Raises OrderRefused (with the reason) when the organisation, the job or a contract
    does not allow it; the draft is then kept, so nothing typed is lost.
    """
    try:
        return campaign_place(org=org, by=by, draft_id=draft_id)
    except IntegrityError:
        # A concurrent request placed this very draft first (same order_key).
        existing = _already_placed(org=org, draft_id=draft_id)
        if existing is None:
            raise
        return existing


def _already_placed(*, org: Organization, draft_id: int) -> Campaign | None:
    return Campaign.objects.for_org(org).filter(source_draft_id=draft_id).first()


@transaction.atomic
def campaign_place(*, org: Organization, by: User, draft_id: int) -> Campaign:
    """Place one draft inside the caller's transaction (``campaign_order`` for one draft,
    ``batch_order`` for the drafts of a batch, all or none)."""
    # FOR NO KEY UPDATE of the draft row only: a plain select_for_update() with
    # select_related would also lock the organisation's row FOR UPDATE, which blocks every
    # other transaction's foreign-key check on it (deferred to COMMIT): a worker committing a
    # status change then waits on this order while it waits on the worker's roll-up row.
    draft = (
        CampaignDraft.objects.select_for_update(of=("self",), no_key=True)
        .select_related("job", "organization")
        .filter(organization=org, pk=draft_id)
        .first()
    )
    if draft is None:
        existing = _already_placed(org=org, draft_id=draft_id)
        if existing is not None:
            return existing
        raise OrderRefused(_("This campaign draft no longer exists: start again from Job boards."))
    if draft.is_expired:
        raise OrderRefused(_("This campaign draft expired: start again from Job boards."))
    if not draft.data.get("complete"):
        raise OrderRefused(_("Complete the Target group step before ordering."))
    job = Job.objects.select_for_update(no_key=True).get(pk=draft.job_id)
    _refuse_if_blocked(org=org, job=job)
    contract_ids = draft.data.get("contract_ids", [])
    contracts = _load_contracts(org, contract_ids)
    contracts_check(org=org, contracts=contracts, expected=len(contract_ids))

    campaign = Campaign(
        organization=org,
        job=job,
        name=draft.data["values"]["campaign_name"],
        ordered_by=by,
        contract_group=contracts[0].group,
        order_key=draft.key,
        source_draft_id=draft.pk,
        batch_key=draft.batch_key,
    )
    campaign.save()
    postings = []
    for contract in contracts:
        posting = Posting(
            organization=org,
            campaign=campaign,
            contract=contract,
            channel=contract.channel,
            board_name=contract.channel.name,
            provider_contract_id=contract.provider_contract_id,
            product_id=contract.product_id,
        )
        posting.save()
        board_posting_figures_change(org_id=org.pk, before={}, after=posting_contribution(posting))
        postings.append(posting)
    requirements = draft.data.get("requirements", {})
    document = order_document(
        org=org,
        job=job,
        values=draft.data["values"],
        requirements=requirements,
        contracts=contracts,
        order_reference=campaign.order_reference,
        utm_contents={p.contract_id: p.utm_content for p in postings},
        recruiter_id=str(by.pk),
    )
    for posting, product in zip(postings, document["products"], strict=True):
        product["posting"] = posting.pk
        posting.posting_requirements = product["posting_requirements"]
        posting.wizard_requirements = requirements.get(str(posting.contract_id), {})
        posting.save(update_fields=["posting_requirements", "wizard_requirements"])
        posting_record_created(posting=posting, by=by)
    campaign.payload = document
    campaign.save(update_fields=["payload"])
    history_changed(org_id=org.pk)
    OrderOutbox.objects.create(organization=org, campaign=campaign, enqueued_at=timezone.now())

    if draft.data["values"].get("save_to_job"):
        _save_back_to_job(org=org, by=by, job=job, values=draft.data["values"])
    _record_contract_use(contracts=contracts, by=by, campaign=campaign)
    draft.delete()

    enqueue_on_commit("campaigns.tasks.campaign_submit_task", campaign.pk)
    return campaign


def _save_back_to_job(*, org: Organization, by: User, job: Job, values: dict) -> None:
    """The values filled in the wizard become the job's own (the user ticked the box)."""
    fields = {name: values.get(name) for name in JOB_AD_FIELDS}
    terms = TaxonomyTerm.objects.in_bulk(
        [fields[name] for name in TAXONOMY_FIELDS if fields.get(name)]
    )
    for name in TAXONOMY_FIELDS:
        fields[name] = terms.get(fields[name]) if fields.get(name) else None
    for name in ("salary_from", "salary_to"):
        fields[name] = None if fields[name] in (None, "") else Decimal(str(fields[name]))
    fields["description"] = fields["description"] or ""
    try:
        with transaction.atomic():
            job_update(org=org, job_id=job.pk, by=by, **fields)
    except (ValidationError, TypeError) as error:
        # The order stands; only the copy back to the job is skipped.
        log.warning("Could not save campaign values back to job %s: %s", job.pk, error)


def _record_contract_use(*, contracts: list[Contract], by: User, campaign: Campaign) -> None:
    for contract in contracts:
        contract_record_use(contract=contract, by=by, campaign_reference=campaign.name[:200])
