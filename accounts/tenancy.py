"""The one tenancy mechanism: every tenant-owned row carries ``organization`` and is read
through ``Model.objects.for_org(org)``.

A lookup by id that misses, whether the row does not exist or belongs to another
organisation, raises ``Http404``: the two cases must be indistinguishable to the caller.
"""

from django.db import models
from django.http import Http404


class TenantQuerySet(models.QuerySet):
    def for_org(self, org):
        return self.filter(organization=org)

    def get_for_org_or_404(self, org, **lookup):
        try:
            return self.for_org(org).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


class TenantModel(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
