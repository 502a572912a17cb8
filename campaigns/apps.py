from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from campaigns.checks import contract_live_uses
        from contracts.services import LIVE_USE_CHECKS

        if contract_live_uses not in LIVE_USE_CHECKS:
            LIVE_USE_CHECKS.append(contract_live_uses)
