"""``makemessages`` without fuzzy matching: a new string starts empty instead of borrowing a
neighbour's translation (which the i18n test would reject as fuzzy, and a translator might
miss)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
