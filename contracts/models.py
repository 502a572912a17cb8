"""Contract groups and job-board contracts (credentials encrypted at rest)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantModel


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
        return self.name


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
    posting_duration_days = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.READY
    )
    provider_errors = models.JSONField(default=list, blank=True)
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
