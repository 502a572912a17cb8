"""Print the URL to hand to the provider for its campaign status notifications."""

from django.core.management.base import BaseCommand

from campaigns.provider_webhook import webhook_url


class Command(BaseCommand):
    # It only prints an address: it must work wherever the settings load (the Procfile and
    # docker compose run it before anything else is up).
    requires_system_checks = []
    help = (
        "Print the callback URL the provider posts campaign status notifications to. Its "
        "last segment is the secret (PROVIDER_WEBHOOK_SECRET, or derived from SECRET_KEY): "
        "give it to the provider's account manager, and nobody else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="the address the provider reaches Jobcast at, when it is not JOBCAST_SITE_URL "
            "(e.g. http://web:8000 inside docker compose)",
        )

    def handle(self, *args, base_url=None, **options):
        self.stdout.write(webhook_url(base_url=base_url))
