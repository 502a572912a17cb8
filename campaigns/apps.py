from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        # These modules import models, which exist only once the app registry is ready.
        from campaigns.checks import contract_live_uses  # noqa: PLC0415 - needs the models
        from campaigns.selectors import application_sources_from_postings  # noqa: PLC0415 - same
        from campaigns.services.board_day_figures import (  # noqa: PLC0415 - same
            board_day_figures_add,
        )
        from campaigns.views.requirement_defaults import (  # noqa: PLC0415 - same
            requirement_defaults_section,
        )
        from contracts.pages import CONTRACT_PAGE_SECTIONS  # noqa: PLC0415 - same
        from contracts.services.contracts import LIVE_USE_CHECKS  # noqa: PLC0415 - same
        from jobs.selectors import APPLICATION_SOURCE_RESOLVERS  # noqa: PLC0415 - same
        from jobs.services import ATTRIBUTION_RECORDERS  # noqa: PLC0415 - same

        if contract_live_uses not in LIVE_USE_CHECKS:
            LIVE_USE_CHECKS.append(contract_live_uses)
        # The contract's page offers the defaults of its board's requirements.
        if requirement_defaults_section not in CONTRACT_PAGE_SECTIONS:
            CONTRACT_PAGE_SECTIONS.append(requirement_defaults_section)
        # Applications show the campaign and board that brought them.
        if application_sources_from_postings not in APPLICATION_SOURCE_RESOLVERS:
            APPLICATION_SOURCE_RESOLVERS.append(application_sources_from_postings)
        # Career page views and applications add up per board and day for the Performance page.
        if board_day_figures_add not in ATTRIBUTION_RECORDERS:
            ATTRIBUTION_RECORDERS.append(board_day_figures_add)
