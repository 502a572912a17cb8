"""Our mirror of the provider's catalogue: job boards (channels) and taxonomy terms.

These rows are refreshed by periodic tasks from the provider; they belong to no organisation.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TaxonomyKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    JOB_FUNCTION = "job_function", _("Job function")
    EDUCATION_LEVEL = "education_level", _("Education level")
    SENIORITY = "seniority", _("Seniority")


class TaxonomyTermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class TaxonomyTerm(models.Model):
    """One provider taxonomy entry. ``provider_id`` is what an order sends as ``vonqId``;
    retired ids are kept (is_active=False) so old jobs still display, but cannot be chosen."""

    kind = models.CharField(max_length=20, choices=TaxonomyKind.choices)
    provider_id = models.IntegerField()
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(auto_now=True)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "provider_id"], name="uniq_taxonomy_term"),
        ]
        ordering = ["kind", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name_en


class Channel(models.Model):
    """A job board that accepts own contracts (the provider's "MOC" channels)."""

    provider_id = models.IntegerField(unique=True)
    name = models.CharField(max_length=200)
    # Lower-cased name, indexed, so that prefix and substring search stay fast at 30,000 rows.
    search_name = models.CharField(max_length=200, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    type = models.CharField(max_length=60, blank=True)
    logo_url = models.URLField(max_length=500, blank=True)
    mc_enabled = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(auto_now=True)
    # Which catalogue pass last listed this channel: after a complete pass, active channels
    # it did not list are retired (is_active=False).
    seen_in_pass = models.IntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SyncState(models.Model):
    """Progress of one mirror (``channels`` or ``taxonomy``) and its lease.

    The lease makes concurrent runs safe: a run takes it with one conditional UPDATE and
    the second run skips. The cursor makes the channel mirror incremental: a run interrupted
    by the rate limit goes on from the page it reached instead of starting again.
    """

    name = models.CharField(max_length=40, unique=True)
    pass_number = models.IntegerField(default=0)
    cursor = models.IntegerField(default=0)  # next offset of the current pass
    # The provider's channel count when the pass started: if it changed by the end, offsets
    # may have shifted under us, so that pass retires nothing.
    pass_count = models.IntegerField(default=0)
    pass_started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_holder = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.name


class ProviderHealth(models.Model):
    """Whether the provider answers, as the transport last saw it: one row for the
    installation, written by every process on the way back from a call (distribution/health.py).

    ``failing_since`` is the first failure after the last answer (None while it answers):
    people are told about an outage from it, never from a guess.
    """

    failing_since = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure_reason = models.CharField(max_length=200, blank=True)
    recovered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"provider failing since {self.failing_since}" if self.failing_since else "ok"
