"""Mirror the provider's channel catalogue and taxonomy now (the periodic tasks' work)."""

from django.core.management.base import BaseCommand, CommandError

from distribution.errors import ProviderError
from distribution.services import catalogue_sync, taxonomy_sync


class Command(BaseCommand):
    help = "Mirror the provider's channel catalogue and taxonomy into the database now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="only when the mirrors are older than their maximum age (as the periodic "
            "tasks do); by default a complete pass runs now",
        )
        parser.add_argument("--channels-only", action="store_true")
        parser.add_argument("--taxonomy-only", action="store_true")

    def handle(self, *args, if_due=False, channels_only=False, taxonomy_only=False, **options):
        try:
            if not channels_only:
                self._report("taxonomy", taxonomy_sync(force=not if_due))
            if not taxonomy_only:
                self._report("catalogue", catalogue_sync(full=not if_due))
        except ProviderError as error:
            raise CommandError(str(error)) from error

    def _report(self, what, result):
        if result.skipped:
            self.stdout.write(f"{what}: skipped ({result.skipped})")
        else:
            self.stdout.write(
                f"{what}: {result.calls} calls, {result.created} new, {result.updated} changed, "
                f"{result.retired} retired"
            )
