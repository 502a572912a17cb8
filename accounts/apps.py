from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Django registers checks where AppConfig.ready() imports them.
        from accounts import checks  # noqa: F401, PLC0415 - registers the deployment checks
