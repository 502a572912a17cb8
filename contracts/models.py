"""Contract groups and job-board contracts (credentials encrypted at rest)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.tenancy import TenantModel

# The name the organisation's first group is created with (contracts.services); it is shown
# translated, as people never chose it.
DEFAULT_GROUP_STORED_NAME = "Default"


class ContractGroup(TenantModel):
    """A folder of contracts, mirrored at the provider. At most one contract per board."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="contract_groups"
    )
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(default=False)
    # The provider's identifiers for the group: uuid (sent as group_id) and idx (in its URLs).
    provider_group_id = models.CharField(max_length=64, blank=True)
    provider_idx = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_group_name"),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_default=True),
                name="one_default_group",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def has_built_in_name(self) -> bool:
        return self.is_default and self.name == DEFAULT_GROUP_STORED_NAME

    @property
    def display_name(self) -> str:
        """The name as people read it: the default group's built-in name in their language."""
        if self.has_built_in_name:
            return pgettext("contract group name", "Default group")
        return self.name


# Provider id of a contract saved locally and not yet registered at the provider.
PENDING_PREFIX = "pending-"


class ContractStatus(models.TextChoices):
    READY = "ready", _("Ready")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")


class Contract(TenantModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="contracts"
    )
    group = models.ForeignKey(ContractGroup, on_delete=models.PROTECT, related_name="contracts")
    channel = models.ForeignKey("distribution.Channel", on_delete=models.PROTECT, related_name="+")
    alias = models.CharField(_("alias"), max_length=100, blank=True)
    provider_contract_id = models.CharField(max_length=64, unique=True)
    # Provider product to order for this channel, and the board's posting requirements
    # (facets) as the provider returned them for this contract.
    product_id = models.CharField(max_length=64, blank=True)
    posting_requirements = models.JSONField(default=list, blank=True)
    # The admin's default values for the board's requirements, as the provider accepted them
    # (its ``posting_requirements_defaults``), kept the way the wizard keeps a draft's values
    # (a picked suggestion with its label), so forms can show them without asking again.
    requirement_defaults = models.JSONField(default=dict, blank=True)
    posting_duration_days = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.READY
    )
    # The board's refusals as the provider words them in English (the reference), and the
    # same list as it words them in French, asked for with Accept-Language: fr when errors
    # come that we hold no French for (contracts.services.contracts); [] while not held.
    provider_errors = models.JSONField(default=list, blank=True)
    provider_errors_fr = models.JSONField(default=list, blank=True)
    # Terms given at creation; the provider does not let them change afterwards. ``credits``
    # is what remains (refreshed from the provider); None means no limit was given.
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    credits = models.IntegerField(_("credits"), null=True, blank=True)
    purchase_price_amount = models.DecimalField(
        _("purchase price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    purchase_price_currency = models.CharField(_("currency"), max_length=3, blank=True)
    # When the provider was last read for this contract (Check now, the daily refresh).
    checked_at = models.DateTimeField(null=True, blank=True)
    # The last health notice the admins were emailed ("" while ready) and how many times it
    # changed: the email's key, so each change is announced once (contracts.services.refresh).
    health_notice = models.CharField(max_length=40, blank=True)
    health_changes = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__name", "channel__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "channel"], name="one_contract_per_board_per_group"
            ),
        ]

    def __str__(self):
        return self.alias or str(self.channel)

    @property
    def is_ready(self) -> bool:
        return self.status == ContractStatus.READY

    @property
    def provider_errors_french(self) -> list[str]:
        """The French words of ``provider_errors``, or [] when we do not hold them."""
        if self.provider_errors and len(self.provider_errors_fr) == len(self.provider_errors):
            return list(self.provider_errors_fr)
        return []

    def holds_french_errors_for(self, errors: list[str]) -> bool:
        """Whether the French words we keep are those of exactly ``errors``."""
        return bool(errors) and errors == self.provider_errors and bool(self.provider_errors_french)

    @property
    def is_pending_registration(self) -> bool:
        """Saved locally before the provider knew it (demo data); see services."""
        return self.provider_contract_id.startswith(PENDING_PREFIX)


class CredentialKind(models.TextChoices):
    TEXT = "text", _("Text")
    SECRET = "secret", _("Secret")
    SELECT = "select", _("Choice")
    OAUTH = "oauth", _("OAuth connection")


class ContractCredential(TenantModel):
    """One credential value of a contract, encrypted (contracts.crypto) with its key id.

    ``last4`` is kept only for non-secret identifiers (usernames, account ids) so that the
    edit form can say which value is set; it is empty for secrets, tokens and choices.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=CredentialKind.choices)
    ciphertext = models.TextField()
    key_id = models.CharField(max_length=40)
    last4 = models.CharField(max_length=4, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract", "name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="uniq_contract_credential"),
        ]

    def __str__(self):
        return f"{self.name} (key {self.key_id})"


class ContractAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    USED = "used", _("Used for an order")
    DEFAULTS = "defaults", _("Requirement defaults changed")
    DELETED = "deleted", _("Deleted")


class ContractEvent(TenantModel):
    """Audit trail: who created, changed, used or deleted which contract, and when.

    Kept after the contract is deleted (``contract`` becomes null; ``contract_label`` stays).
    ``detail`` names changed fields or the campaign; it never holds a credential value.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    contract_label = models.CharField(max_length=250)
    action = models.CharField(max_length=10, choices=ContractAction.choices)
    detail = models.CharField(max_length=250, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.contract_label}: {self.action}"


class ContractSubmission(TenantModel):
    """The nonce of one Add contract form: a resubmission (double click, reload) finds it
    and never registers a second contract. Deleted again when the attempt fails, so that the
    same form can be retried."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    nonce = models.CharField(max_length=64, unique=True)
    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.nonce


class AccessRequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("access request status", "Open")
    ENABLED = "enabled", _("Enabled")


class AccessRequest(TenantModel):
    """An admin's request for My Own Contracts: a conversation with support staff."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="access_requests"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_access_request_per_org"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_status_display()})"


class AccessRequestMessage(TenantModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_support = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:40]
