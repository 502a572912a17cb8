"""Print the demo support login's current authenticator code (``make run`` without an
authenticator app). Refused in production, like the demo data itself."""

import time

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_SUPPORT_EMAIL, demo_support_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo support login (never in production)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo logins are refused with these settings (production).")
        period = mfa_settings.TOTP_PERIOD
        now = int(time.time())
        code = demo_support_totp_code(counter=now // period)
        self.stdout.write(
            f"{DEMO_SUPPORT_EMAIL}: {code} (valid for {period - now % period} more seconds)"
        )
