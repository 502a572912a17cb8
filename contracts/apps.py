from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("My Own Contracts")

    def ready(self):
        # Django registers checks where AppConfig.ready() imports them.
        from contracts import checks  # noqa: F401, PLC0415 - registers the deploy check
