"""Check the configured provider against its documentation: the first thing to run with a
real token. One line per call; exit status 1 on any deviation or failure."""

from django.core.management.base import BaseCommand, CommandError

from distribution.provider_check import CHECK_CUSTOMER, ProviderCheck


class Command(BaseCommand):
    help = (
        "Talk to the provider at PROVIDER_BASE_URL with PROVIDER_TOKEN and print, for each "
        "call, the status, which documented variant the answer matched and any deviation. "
        "Read-only unless --write (a throw-away contract group and contract, deleted again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--write",
            action="store_true",
            help="also create and delete a contract group and a contract (placeholder "
            "credentials, not checked with the board)",
        )
        parser.add_argument(
            "--customer",
            default=CHECK_CUSTOMER,
            help="the X-Customer-Id to use (the provider creates a new one on first use); "
            "one with campaigns lets the date filter be checked",
        )
        parser.add_argument(
            "--channel", type=int, help="the board to look at (and to contract with --write)"
        )

    def handle(self, *args, write=False, customer=CHECK_CUSTOMER, channel=None, **options):
        self.stdout.write(f"provider: {ProviderCheck.base_url()}  customer: {customer}")
        check = ProviderCheck(customer_id=customer, channel_id=channel)
        problems = 0
        for line in check.lines(write=write):
            self.stdout.write(str(line))
            problems += not line.ok
        if problems:
            raise CommandError(f"{problems} call(s) deviate from the documentation or failed")
        self.stdout.write("no deviation")
