"""The French catalogue is complete and compiled: no empty or fuzzy entries, and the .mo file
matches the .po file (run ``makemessages -l fr`` then ``compilemessages`` after translating)."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def _entries(po_text: str) -> list[dict]:
    entries = []
    for block in po_text.split("\n\n"):
        entry: dict = {"flags": "", "context": None, "msgid": "", "plural": None, "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("msgctxt "):
                entry["context"] = ast.literal_eval(line[8:])
                current = "context"
            elif line.startswith("msgid_plural "):
                entry["plural"] = ast.literal_eval(line[13:])
                current = "plural"
            elif line.startswith("msgid "):
                entry["msgid"] = ast.literal_eval(line[6:])
                current = "msgid"
            elif line.startswith("msgstr"):
                entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
                current = "msgstr"
            elif line.startswith('"') and current:
                value = ast.literal_eval(line)
                if current == "msgstr":
                    entry["msgstr"][-1] += value
                elif current == "plural":
                    entry["plural"] += value
                elif current == "context":
                    entry["context"] += value
                else:
                    entry["msgid"] += value
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_every_french_entry_is_translated_and_not_fuzzy():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in _entries((LOCALE / "django.po").read_text(encoding="utf-8")):
        context = entry["context"]
        if entry["plural"] is None:
            compiled = (
                catalogue.pgettext(context, entry["msgid"])
                if context is not None
                else catalogue.gettext(entry["msgid"])
            )
            assert compiled == entry["msgstr"][0], entry["msgid"]
        elif context is not None:
            compiled = catalogue.npgettext(context, entry["msgid"], entry["plural"], 1)
            assert compiled == entry["msgstr"][0], entry["msgid"]
        else:
            assert catalogue.ngettext(entry["msgid"], entry["plural"], 1) == entry["msgstr"][0]
