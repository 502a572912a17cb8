from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Imported here: models and allauth's apps are loaded only now; Django registers
        # checks where AppConfig.ready() imports them.
        from allauth.mfa.signals import authenticator_added  # noqa: PLC0415

        from accounts import checks  # noqa: F401, PLC0415 - registers the deployment checks
        from accounts.staff_security import (  # noqa: PLC0415
            end_other_sessions_on_new_authenticator,
        )

        authenticator_added.connect(end_other_sessions_on_new_authenticator)
