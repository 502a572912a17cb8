"""Campaigns ordered through My Own Contracts, their postings (one per board), the status
timeline, the wizard's server-side drafts and the delivery outbox.

A posting's status changes only in ``campaigns.services.status.posting_apply_status``; a
campaign's status is derived from its postings there too.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantModel
from campaigns.provider_text import provider_plain_text

DRAFT_LIFETIME = timedelta(days=7)


class PostingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    # The delivery gave up while its outcome was unknown (the order may exist at the
    # provider): the status poll looks it up by its reference and adopts it, or fails it
    # once the provider confirms there is no order (campaigns.services.checking).
    CHECKING = "checking", _("Checking with the provider")
    IN_PROGRESS = "in_progress", _("In progress")
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")
    FAILED = "failed", _("Failed")


# Still on its way: the campaign page keeps refreshing while a posting is in one of these.
IN_FLIGHT_POSTING_STATUSES = frozenset(
    {PostingStatus.SUBMITTED, PostingStatus.CHECKING, PostingStatus.IN_PROGRESS}
)
# Offline and failed are final (campaigns.services.status holds the allowed moves).
FINAL_POSTING_STATUSES = frozenset({PostingStatus.OFFLINE, PostingStatus.FAILED})
LIVE_POSTING_STATUSES = frozenset(
    {
        PostingStatus.SUBMITTED,
        PostingStatus.CHECKING,
        PostingStatus.IN_PROGRESS,
        PostingStatus.ONLINE,
    }
)


class CampaignStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CHECKING = "checking", _("Checking with the provider")
    IN_PROGRESS = "in_progress", _("In progress")
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")
    FAILED = "failed", _("Failed")


class CampaignDraft(TenantModel):
    """The wizard's state, kept on the server so that it survives refresh, Back and a second
    tab. Consumed (deleted) by the transaction that places the order."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="campaign_drafts"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="campaign_drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_drafts"
    )
    contracts = models.ManyToManyField("contracts.Contract", related_name="+")
    # Shared by the drafts that one Add to campaign split by contract group (the provider
    # does not mix groups): they are filled in once, reviewed together and ordered together.
    batch_key = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["organization", "job", "user"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self):
        return f"Draft {self.key} for {self.job_id}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = timezone.now() + DRAFT_LIFETIME
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Campaign(TenantModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="campaigns"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("campaign name"), max_length=255)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_group = models.ForeignKey(
        "contracts.ContractGroup", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The draft's key: a resubmitted order form finds the campaign it already placed.
    order_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    source_draft_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    # The draft's batch key: the campaigns ordered together, one per contract group.
    batch_key = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    # Sent as orderReference and as a label, so an order whose outcome is unknown can be
    # found at the provider and adopted instead of being sent twice (32 chars: label limit).
    order_reference = models.CharField(max_length=32, unique=True, editable=False)
    provider_campaign_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.SUBMITTED
    )
    # Exactly what is (re)sent to the provider, frozen when the order is placed.
    payload = models.JSONField(default=dict)
    # Field errors of a final refusal by the provider, keyed like the wizard's fields.
    order_errors = models.JSONField(default=dict, blank=True)
    order_error_message = models.TextField(blank=True)
    provider_modified_on = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["organization", "status", "-modified_at"]),
            models.Index(fields=["organization", "job", "-created_at"]),
            models.Index(fields=["organization", "-modified_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_campaign_id"],
                condition=~models.Q(provider_campaign_id=""),
                name="uniq_provider_campaign_id",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.order_reference:
            self.order_reference = uuid.uuid4().hex
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.status in {
            CampaignStatus.SUBMITTED,
            CampaignStatus.CHECKING,
            CampaignStatus.IN_PROGRESS,
            CampaignStatus.ONLINE,
        }


class Posting(TenantModel):
    """One board of a campaign: ordered through one contract, with its own status and UTM."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="postings"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="postings")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, on_delete=models.SET_NULL, related_name="postings"
    )
    # A snapshot of the board and the provider ids, kept if the contract is deleted later.
    channel = models.ForeignKey(
        "distribution.Channel", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    board_name = models.CharField(_("job board"), max_length=200)
    provider_contract_id = models.CharField(max_length=64)
    product_id = models.CharField(max_length=64)
    posting_requirements = models.JSONField(default=dict, blank=True)
    # The same answers as the wizard kept them (a picked suggestion with its label, dates
    # and lists as typed), so that Order again and Repost fill the wizard exactly as it was.
    wizard_requirements = models.JSONField(default=dict, blank=True)
    utm_content = models.CharField(max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=PostingStatus.choices, default=PostingStatus.SUBMITTED
    )
    status_description = models.TextField(_("status description"), blank=True)
    status_solution = models.TextField(_("suggested solution"), blank=True)
    # The provider's words for them in French ({"description", "solution"}), asked for with
    # Accept-Language: fr when a board fails; the English ones above are the reference.
    status_texts_fr = models.JSONField(default=dict, blank=True)
    job_board_link = models.URLField(_("job ad URL"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    offline_at = models.DateTimeField(_("offline since"), null=True, blank=True)
    # When the board should take the ad down on its own (published + posting duration): the
    # status poll watches organisations with postings due offline (poll_schedule).
    due_offline_at = models.DateTimeField(null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    # The provider time of the last update applied: anything older is stale.
    status_observed_at = models.DateTimeField(null=True, blank=True)
    # A take-down someone asked for. The provider only takes an online ad down (it ignores
    # the request before), so the cancellation is sent once the board is online and the
    # posting shows "Take-down requested" until the provider reports it offline.
    take_down_requested_at = models.DateTimeField(null=True, blank=True)
    take_down_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the provider accepted the cancellation sent for that request.
    take_down_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign_id", "board_name", "id"]
        indexes = [
            models.Index(fields=["organization", "status", "-modified_at"]),
            models.Index(fields=["organization", "-modified_at"]),
            models.Index(fields=["contract", "status"]),
            models.Index(fields=["status", "due_offline_at"]),
        ]

    def __str__(self):
        return f"{self.campaign} on {self.board_name}"

    def save(self, *args, **kwargs):
        if not self.utm_content:
            self.utm_content = f"p{uuid.uuid4().hex[:20]}"
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_POSTING_STATUSES

    @property
    def has_failed(self) -> bool:
        return self.status == PostingStatus.FAILED

    @property
    def take_down_pending(self) -> bool:
        """A take-down was asked for and the provider has not reported the ad offline."""
        return self.take_down_requested_at is not None and self.is_live

    @property
    def take_down_due(self) -> bool:
        """The request still needs its cancellation sent (none was accepted since)."""
        return self.take_down_pending and (
            self.take_down_sent_at is None or self.take_down_sent_at < self.take_down_requested_at
        )

    @property
    def is_in_flight(self) -> bool:
        """Its status is about to change by itself: on its way online, or being taken down."""
        return self.status in IN_FLIGHT_POSTING_STATUSES or self.take_down_pending

    @property
    def status_description_shown(self) -> str:
        """The provider's reason in the reader's language, when the provider gave it, as
        plain text."""
        return _shown_text(self.status_description, self.status_texts_fr, "description")

    @property
    def status_solution_shown(self) -> str:
        """What to do (or the provider's raw error), in the reader's language, as plain text."""
        return _shown_text(self.status_solution, self.status_texts_fr, "solution")

    @property
    def shown_status(self) -> str:
        """What the pages show: the status, or "take_down_requested" while a take-down waits
        for the provider."""
        return TAKE_DOWN_REQUESTED if self.take_down_pending else self.status

    @property
    def shown_status_label(self) -> str:
        return TAKE_DOWN_REQUESTED_LABEL if self.take_down_pending else self.get_status_display()


# Shown instead of a live status while a requested take-down waits for the provider.
TAKE_DOWN_REQUESTED = "take_down_requested"
TAKE_DOWN_REQUESTED_LABEL = _("Take-down requested")


class EventSource(models.TextChoices):
    ORDER = "order", _("Order placed")
    SUBMIT = "submit", _("Delivery")
    WEBHOOK = "webhook", _("Provider notification")
    POLL = "poll", _("Status check")
    TAKE_DOWN = "take_down", _("Take-down")
    DEMO = "demo", _("Demo data")


class PostingEvent(TenantModel):
    """One change of a posting, on its timeline."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="posting_events"
    )
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=PostingStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PostingStatus.choices)
    source = models.CharField(max_length=20, choices=EventSource.choices)
    description = models.TextField(blank=True)
    solution = models.TextField(blank=True)
    texts_fr = models.JSONField(default=dict, blank=True)  # as Posting.status_texts_fr
    job_board_link = models.URLField(max_length=1000, blank=True)
    observed_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["posting", "recorded_at"]),
            models.Index(fields=["organization", "-recorded_at"]),
        ]

    def __str__(self):
        return f"{self.posting_id}: {self.from_status} → {self.to_status}"

    @property
    def description_shown(self) -> str:
        return _shown_text(self.description, self.texts_fr, "description")

    @property
    def solution_shown(self) -> str:
        return _shown_text(self.solution, self.texts_fr, "solution")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Retries ran out while the outcome was unknown: looked up until adopted or refuted.
    CHECKING = "checking", _("Checking with the provider")
    DONE = "done", _("Delivered")
    FAILED = "failed", _("Failed")


class OrderOutbox(TenantModel):
    """The promise to deliver a campaign's order, written in the ordering transaction.

    ``outcome_unknown`` is committed *before* each send: if the worker dies or the answer is
    lost, the next attempt looks the order up by its reference before sending again.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="outbox")
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    outcome_unknown = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When the outbox went to CHECKING (the deadline of the look-ups runs from there).
    checking_since = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # When a delivery slot last went to this order. The latest per organisation is that
    # organisation's turn in the round-robin of ``delivery.order_claim_next``.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["organization", "claimed_at"], name="outbox_org_turn_idx"),
        ]

    def __str__(self):
        return f"Outbox {self.campaign_id} ({self.state})"


class AttemptOutcome(models.TextChoices):
    STARTED = "started", _("Started")
    ORDERED = "ordered", _("Ordered")
    ADOPTED = "adopted", _("Found at the provider and adopted")
    RETRY = "retry", _("Will retry")
    REJECTED = "rejected", _("Refused by the provider")
    GAVE_UP = "gave_up", _("Gave up")


class SubmitAttempt(TenantModel):
    """One attempt at delivering an order to the provider."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    looked_up = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=AttemptOutcome.choices, default=AttemptOutcome.STARTED
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign_id", "number"]
        indexes = [models.Index(fields=["campaign", "number"])]

    def __str__(self):
        return f"Attempt {self.number} of {self.campaign_id}: {self.outcome}"


class WebhookDelivery(models.Model):
    """A provider notification received, kept to drop duplicates by ``request_id``."""

    request_id = models.CharField(max_length=100, unique=True)
    provider_campaign_id = models.CharField(max_length=64)
    modified_on = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    # When a read of the provider followed it up (a sweep of the partner-level list, or a
    # fetch of its campaign): a notification the sweep did not see is fetched on its own.
    followed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["received_at"]),
            models.Index(
                fields=["received_at"],
                condition=models.Q(followed_at__isnull=True),
                name="campaigns_webhook_unfollowed",
            ),
        ]

    def __str__(self):
        return self.request_id


class StatusPollCursor(TenantModel):
    """Where the incremental status poll of one organisation resumes (provider time)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    modified_since = models.DateTimeField()
    # How many campaigns changed at exactly ``modified_since`` were read already: the next
    # read skips them (``offset``) instead of reading them again, so any number of campaigns
    # sharing one instant is read through, page after page.
    tie_offset = models.PositiveIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Poll cursor of {self.organization_id}"


class PartnerPollCursor(models.Model):
    """Where the partner-level status poll resumes: one row for the installation.

    The provider's partner level (the token without ``X-Customer-Id``) lists every
    customer's campaigns, so one paged list brings every organisation's changes, and the
    poll costs calls in proportion to the changes, not to the organisations. The guides and
    the OpenAPI document disagree on whether the campaign list allows that level:
    ``refused_at`` records the provider's 403, after which the poll goes customer by customer
    (``StatusPollCursor``) and asks the partner level again a day later. Any refusal counts:
    a 4xx, or a list that does not show the campaigns we know (``verified_at``).
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    modified_since = models.DateTimeField()
    tie_offset = models.PositiveIntegerField(default=0)  # as on StatusPollCursor
    polled_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    # When the list was last seen to hold our own campaigns: a service that answers the
    # partner level with a list that leaves them out is no partner-level list to rely on.
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Partner poll cursor at {self.modified_since:%Y-%m-%d %H:%M:%S}"


class BoardDayFigures(TenantModel):
    """Career page views and applications per contract, board and day: the Performance page's
    roll-up, so that it reads contracts × days rows instead of every view counter and
    application of the period joined to its posting.

    Written only by ``campaigns.services.board_day_figures.board_day_figures_add``, which
    the career page's two write paths (``jobs.services.job_view_record`` and
    ``application_create``) call in the same transaction as the counter or the application.

    Views and applications are counted on the day they happen, for the board whose ad
    brought them, whatever became of the posting since: a view through an ad taken offline
    before the period still counts in the period (the board still brought it). The roll-up
    cannot know the posting's dates, and the board's traffic is what an admin compares.

    ``contract_key`` is the posting's contract id when the view or application happened, 0
    without one: a number rather than a foreign key, so that the increment's ON CONFLICT
    target holds no NULL (SQLite and older PostgreSQL treat NULLs as distinct) and deleting a
    contract rewrites nothing here. The page reads an id that no longer exists as "no
    contract", as it reads the postings' own NULL.
    """

    # No index of its own: the unique constraint's index starts with it.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    contract_key = models.PositiveBigIntegerField(default=0)
    board_name = models.CharField(max_length=200)
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # The increment's ON CONFLICT target; (organization, day) first so that the same
            # index serves the page's range of days.
            models.UniqueConstraint(
                fields=["organization", "day", "contract_key", "board_name"],
                name="uniq_board_day_figures",
            ),
        ]

    def __str__(self):
        return f"{self.board_name} {self.day}: {self.views} views, {self.applications} applications"


class BoardPostingFigures(TenantModel):
    """The postings' own figures per contract and board (how many, published, clicks, time
    online), in buckets that make any period ending today a sum of a few rows: the
    Performance page's roll-up of the postings, as ``BoardDayFigures`` is of their traffic.

    Each posting is counted in an *ends* bucket (the day it went offline, or ``OPEN_DAY``
    while it is not offline) and, once published, in a *starts* bucket (the day its time
    online began). The postings of a period beginning at T are those of the ends buckets
    from T's day on; their time online is Σ end − Σ max(begin, T), where max(begin, T) is
    ``begin`` for the starts buckets from T's day on and T for the others
    (``campaigns.history.board_performance``). Times are milliseconds since the epoch, in
    integers, so that sums stay exact.

    Written only by ``campaigns.services.board_posting_figures``: when a posting is ordered
    and in ``posting_apply_status`` (the one write path of a posting's state), in their
    transaction, by removing the posting's previous contribution and adding the new one.
    ``contract_key`` as in ``BoardDayFigures``.
    """

    ENDS = "ends"
    STARTS = "starts"

    # No index of its own: the unique constraint's index starts with it.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    contract_key = models.PositiveBigIntegerField(default=0)
    board_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=6)
    day = models.DateField()
    postings = models.BigIntegerField(default=0)
    published = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    # Published postings whose time online is counted, and the sum of their end (ends
    # buckets; 0 while online: the end is "now") or begin (starts buckets) in milliseconds.
    timed = models.BigIntegerField(default=0)
    milliseconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "day", "contract_key", "board_name"],
                name="uniq_board_posting_figures",
            ),
        ]

    def __str__(self):
        return f"{self.board_name} {self.kind} {self.day}: {self.postings} postings"


def _shown_text(english: str, french: dict, key: str) -> str:
    """The provider's text in the reader's language, its markup turned into plain text (the
    templates escape it still): stored as the provider sent it, converted only to be read."""
    if english and (get_language() or "").startswith("fr") and french.get(key):
        return provider_plain_text(french[key])
    return provider_plain_text(english)
