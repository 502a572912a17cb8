from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        # These modules import models, which exist only once the app registry is ready.
        from campaigns.checks import contract_live_uses  # noqa: PLC0415 - needs the models
        from campaigns.history.page_cache import history_changed_receiver  # noqa: PLC0415 - same
        from campaigns.models import Campaign, Posting  # noqa: PLC0415 - same
        from contracts.services.contracts import LIVE_USE_CHECKS  # noqa: PLC0415 - same

        # Cache invalidation only (no business logic): a saved campaign or posting makes
        # the organisation's cached History pages unreachable.
        for model in (Campaign, Posting):
            post_save.connect(
                history_changed_receiver, sender=model, dispatch_uid=f"history-{model.__name__}"
            )
            post_delete.connect(
                history_changed_receiver, sender=model, dispatch_uid=f"history-del-{model.__name__}"
            )

        if contract_live_uses not in LIVE_USE_CHECKS:
            LIVE_USE_CHECKS.append(contract_live_uses)
