"""Load the demo organisations, users and, app by app, the rest of the demo data.

Idempotent: running it twice changes nothing. Each app that has demo data provides a
``demo.py`` with ``seed(*, log)``; they run in dependency order. Refused in production.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEMO_APPS = ["accounts", "distribution", "jobs", "contracts", "campaigns"]


class Command(BaseCommand):
    help = "Create or refresh the demo data (never in production)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused with these settings (production).")
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.seed(log=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
