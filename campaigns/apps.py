from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from campaigns.checks import contract_live_uses
        from campaigns.history.page_cache import history_changed_receiver
        from campaigns.models import Campaign, Posting
        from campaigns.selectors import application_sources_from_postings
        from contracts.services import LIVE_USE_CHECKS
        from jobs.selectors import APPLICATION_SOURCE_RESOLVERS

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
        # Applications show the campaign and board that brought them.
        if application_sources_from_postings not in APPLICATION_SOURCE_RESOLVERS:
            APPLICATION_SOURCE_RESOLVERS.append(application_sources_from_postings)
