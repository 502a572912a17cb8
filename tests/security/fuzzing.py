"""The fuzzer's parts: what a page's forms look like, the hostile values submitted to them,
and the two verdicts (a 5xx, or a payload reflected without escaping).

Everything random comes from one ``random.Random`` seeded per route and role, so a failure
is replayed by running the same test again (``JOBCAST_FUZZ_SEED`` changes the seed,
``JOBCAST_FUZZ_ROUNDS`` how many variants each form and list page gets).
"""

import os
import random
import re
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

ROUNDS = max(1, int(os.environ.get("JOBCAST_FUZZ_ROUNDS", "1")))
SEED = int(os.environ.get("JOBCAST_FUZZ_SEED", "12"))


def rng_for(*parts: str) -> random.Random:
    """A generator that depends only on the seed and ``parts`` (stable across processes)."""
    return random.Random(SEED * 1_000_003 + zlib.crc32("|".join(parts).encode()))


# --- forms as a browser sees them -------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: list[FormField] = field(default_factory=list)

    def baseline(self) -> dict[str, str]:
        """What a browser would send unchanged (first option of each select)."""
        data: dict[str, str] = {}
        for item in self.fields:
            if item.kind in ("submit", "button", "image", "reset", "file"):
                continue
            if item.kind in ("checkbox", "radio") and not item.value:
                continue
            if item.kind == "select":
                data[item.name] = item.value or (item.options[0] if item.options else "")
            else:
                data.setdefault(item.name, item.value)
        return data


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(),
                action=attrs.get("action") or self.page_url,
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(attrs.get("value", ""))
                if "selected" in attrs:
                    self._select.value = attrs.get("value", "")
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            checked = kind not in ("checkbox", "radio") or "checked" in attrs
            value = attrs.get("value", "on" if kind == "checkbox" else "")
            self._form.fields.append(FormField(name, kind, value if checked else ""))
        elif tag == "select":
            self._select = FormField(name, "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form.fields.append(FormField(name, "button", attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def same_site(action: str) -> bool:
    parts = urlsplit(action)
    return not parts.scheme and not parts.netloc and not action.startswith("//")


# --- hostile values ---------------------------------------------------------------------------

MARKER = "fzq"  # a tag name no page ever contains


def markup_payloads(token: str) -> list[str]:
    """Values that would run or break out of their context if a page echoed them raw."""
    return [
        f"<{MARKER}{token}>x</{MARKER}{token}>",
        f'"><{MARKER}{token} onmouseover=alert(1)>',
        f"'><{MARKER}{token}>",
        f"</textarea><{MARKER}{token}>",
        f"javascript:alert('{MARKER}{token}')//<{MARKER}{token}>",
    ]


TEXT_VALUES = [
    "x" * 5000,
    "Zoë Ça-va? 東京 Łódź 🚀 \u202eRTL\u202c \u00a0nbsp",
    "line1\r\nline2\ttab\x0bvt\x1f",
    "null\x00byte",
    "\ufeffbom",
    "   ",
    "%00%0d%0a%3Cscript%3E",
    "${{7*7}} {{7*7}} {% now %}",
    "' OR 1=1 --",
    "../../../../etc/passwd",
]
CONTROL_CHARACTERS = "a\x00b\x01\x08\x1b[31m\x7f\r\n\u2028z"
NUMBER_VALUES = ["-1", "0", "99999999999999999999999", "1e309", "NaN", "3.5", "١٢", "0x1F", "--1"]
DATE_VALUES = ["2026-02-30", "0000-00-00", "31/12/2026", "9999-99-99T99:99", "yesterday"]
EMAIL_VALUES = ["not-an-email", "a@", "@b.test", "a@b@c.test", "x" * 300 + "@example.test"]
ID_VALUES = ["-1", "0", "abc", "1;DROP TABLE x", "99999999999999999999", "1.5", "[1]", ""]


@dataclass
class Upload:
    name: str
    content: bytes
    content_type: str


def wrong_files() -> list[Upload]:
    return [
        Upload("cv.pdf", b"MZ\x90\x00" + b"\x00" * 2000, "application/pdf"),
        Upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/x-msdownload"),
        Upload("empty.pdf", b"", "application/pdf"),
        Upload("../../../../etc/passwd.pdf", b"%PDF-1.4\n%fake", "application/pdf"),
        Upload("logo.png", b'<svg onload="alert(1)"/>', "image/png"),
        Upload("random.pdf", os.urandom(4096), "application/pdf"),
    ]


def _typed_pools(item: FormField, foreign_ids: list[str]) -> list[list]:
    """Values aimed at what the field looks like (numbers, dates, emails, ids, choices)."""
    name = item.name.lower()
    looks_like_id = (
        name.endswith(("_id", "id")) or name in {"group", "channel", "contract", "draft"}
    ) or (item.value.isdigit() and item.kind in ("hidden", "select"))
    pools: list[list] = []
    if item.kind == "number" or any(w in name for w in ("salary", "hours", "years", "page")):
        pools.append(NUMBER_VALUES)
    if item.kind in ("date", "datetime-local") or "date" in name or name.endswith(("_0", "_1")):
        pools.append(DATE_VALUES)
    if item.kind == "email" or "email" in name or name == "login":
        pools.append(EMAIL_VALUES)
    if looks_like_id:
        pools.extend([ID_VALUES, foreign_ids or ID_VALUES])
    if item.kind == "select" and item.options:
        pools.append([f"{item.options[-1]}x", "__none__"])
    return pools or [TEXT_VALUES]


def hostile_value(item: FormField, rng: random.Random, token: str, foreign_ids: list[str]):
    """One hostile value for ``item``: markup, odd text, or one aimed at its type."""
    pools = [markup_payloads(token), TEXT_VALUES, *_typed_pools(item, foreign_ids)]
    return rng.choice(rng.choice(pools))


def _fillable(form: Form) -> list[FormField]:
    return [f for f in form.fields if f.kind not in ("submit", "button", "image", "reset")]


def form_variants(form: Form, rng: random.Random, token: str, foreign_ids: list[str]):
    """Hostile submissions of ``form``. Yields ``(data, token)``:

    - markup in every field (any echo of it must be escaped), wrong files in file inputs;
    - a value aimed at each field's type (out-of-range numbers, impossible dates, broken
      emails, malformed and foreign ids, unknown choices);
    - control characters (NUL included) in every field;
    - then ``2 * ROUNDS`` random mixes, with fields missing and repeated.
    """
    fillable = _fillable(form)
    markup = dict(form.baseline())
    for number, item in enumerate(fillable):
        if item.kind == "file":
            markup[item.name] = wrong_files()[number % len(wrong_files())]
        else:
            payloads = markup_payloads(f"{token}m")
            markup[item.name] = payloads[number % len(payloads)]
    yield markup, f"{token}m"
    typed = dict(form.baseline())
    for item in fillable:
        if item.kind == "file":
            typed[item.name] = rng.choice(wrong_files())
        else:
            typed[item.name] = rng.choice(rng.choice(_typed_pools(item, foreign_ids)))
    yield typed, f"{token}t"
    controls = dict(form.baseline())
    for item in fillable:
        if item.kind != "file":
            controls[item.name] = CONTROL_CHARACTERS
    yield controls, f"{token}c"
    for number in range(2 * ROUNDS):
        data: dict[str, object] = dict(form.baseline())
        variant_token = f"{token}v{number}"
        for item in fillable:
            if item.kind == "file":
                data[item.name] = rng.choice(wrong_files())
                continue
            roll = rng.random()
            if roll < 0.55:
                data[item.name] = hostile_value(item, rng, variant_token, foreign_ids)
            elif roll < 0.65:
                data.pop(item.name, None)  # missing
            elif roll < 0.75:
                data[item.name] = [
                    hostile_value(item, rng, variant_token, foreign_ids),
                    item.value or "1",
                ]  # repeated
        yield data, variant_token


COMMON_QUERY_NAMES = ["q", "page", "sort", "status", "board", "job", "recruiter", "channel",
                      "draft", "term", "period", "from", "to", "next", "group"]  # fmt: skip


def query_variants(names: list[str], rng: random.Random, token: str, foreign_ids: list[str]):
    """Hostile query strings: markup in every known parameter, values aimed at each,
    control characters in each, then random subsets with repeated parameters. Yields
    ``(params, token)``."""
    names = sorted(set(names) | set(COMMON_QUERY_NAMES))
    payloads = markup_payloads(f"{token}m")
    yield [(n, payloads[i % len(payloads)]) for i, n in enumerate(names)], f"{token}m"
    yield (
        [
            (n, str(rng.choice(rng.choice(_typed_pools(FormField(n, "text"), foreign_ids)))))
            for n in names
        ],
        f"{token}t",
    )
    yield [(n, CONTROL_CHARACTERS) for n in names], f"{token}c"
    for number in range(ROUNDS):
        variant_token = f"{token}q{number}"
        params: list[tuple[str, str]] = []
        for name in rng.sample(names, k=min(len(names), rng.randint(2, 6))):
            item = FormField(name, "text")
            params.append((name, str(hostile_value(item, rng, variant_token, foreign_ids))))
            if rng.random() < 0.2:
                params.append((name, "1"))  # repeated
        yield params, variant_token


# --- verdicts ------------------------------------------------------------------------------------

_REFLECTION = re.compile(rf"<\s*{MARKER}[0-9a-z]+", re.IGNORECASE)


def unescaped_reflections(response, tokens: set[str]) -> list[str]:
    """Raw hostile tags from this request in an HTML answer (escaped ones are harmless)."""
    if "text/html" not in response.get("Content-Type", ""):
        return []
    body = response.content.decode("utf-8", "replace")
    return [
        match.group(0)
        for match in _REFLECTION.finditer(body)
        if any(token in body[match.start() : match.end() + 40] for token in tokens)
    ]
