"""What was sent to the provider, read back from the campaign's frozen order document
(``Campaign.payload``, built by ``campaigns.services.order_document``) as labelled sections.

Every value is plain text (the template escapes it); a missing key is simply left out, so an
old or partial document never breaks the page.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext_lazy as _

from campaigns.models import Posting
from campaigns.provider_text import BLOCK_TAGS
from jobs import display

Item = tuple[str, str]


@dataclass
class BoardSent:
    board: str
    requirements: list[Item]
    details: list[Item]


@dataclass
class SentOrder:
    campaign_name: str = ""
    recruiter: list[Item] = field(default_factory=list)
    contact: list[Item] = field(default_factory=list)
    job: list[Item] = field(default_factory=list)
    # The job description as paragraphs of plain text (lines within one end with "\n").
    description: list[str] = field(default_factory=list)
    audience: list[Item] = field(default_factory=list)
    boards: dict[int, BoardSent] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.campaign_name or self.recruiter or self.job or self.boards)


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        if "description" in value:
            return _text(value["description"])
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    if isinstance(value, list | tuple):
        return ", ".join(filter(None, (_text(v) for v in value)))
    return str(value)


def _items(pairs) -> list[Item]:
    return [(str(label), _text(value)) for label, value in pairs if _text(value)]


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


# The block tags (campaigns.provider_text) end a paragraph; <br> ends a line within one.
_BLANK_LINE = re.compile(r"\n\s*\n")


class _Paragraphs(HTMLParser):
    """Plain-text paragraphs of a (sanitised) HTML fragment: block tags end a paragraph,
    list items start with a bullet, and a blank line in bare text ends one too."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._lines: list[list[str]] = [[]]

    def _end_paragraph(self) -> None:
        lines = [" ".join("".join(parts).split()) for parts in self._lines]
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)
        self._lines = [[]]

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._lines.append([])
        elif tag in BLOCK_TAGS:
            self._end_paragraph()
            if tag == "li":
                self._lines[-1].append("• ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data):
        first, *others = _BLANK_LINE.split(data)
        self._lines[-1].append(first)
        for text in others:
            self._end_paragraph()
            self._lines[-1].append(text)

    def close(self):
        super().close()
        self._end_paragraph()


def text_paragraphs(markup: str) -> list[str]:
    """``markup`` (a job description: sanitised HTML, or plain text) as paragraphs of text."""
    parser = _Paragraphs()
    parser.feed(markup)
    parser.close()
    return parser.paragraphs


def sent_order(payload, *, postings: list[Posting]) -> SentOrder:
    """The sections of ``payload``; each board's part is keyed by the posting it became."""
    payload = _dict(payload)
    recruiter = _dict(payload.get("recruiter"))
    posting = _dict(payload.get("posting"))
    location = _dict(posting.get("location"))
    contact = _dict(posting.get("contact"))
    salary = _dict(posting.get("salary"))
    hours = _dict(posting.get("weekly_hours"))
    target = _dict(payload.get("target_group"))

    # In words, as the review said it: "45,000 to 55,000 EUR per year", "up to 40 hours a week".
    salary_text = (
        display.salary_text(
            salary.get("from"),
            salary.get("to"),
            _text(salary.get("currency")),
            _text(salary.get("period")),
        )
        if salary
        else ""
    )
    hours_text = display.weekly_hours_text(hours.get("from"), hours.get("to"))
    address = ", ".join(
        filter(
            None,
            (
                _text(location.get("address_line1")),
                _text(location.get("address_line2")),
                " ".join(
                    filter(None, (_text(location.get("postcode")), _text(location.get("city"))))
                ),
                _text(location.get("country")),
            ),
        )
    )
    sent = SentOrder(
        campaign_name=_text(payload.get("campaign_name")),
        recruiter=_items(
            [(_("Name"), recruiter.get("name")), (_("Email"), recruiter.get("email"))]
        ),
        contact=_items(
            [
                (_("Name"), contact.get("name")),
                (_("Email"), contact.get("email")),
                (_("Phone"), contact.get("phone")),
            ]
        ),
        job=_items(
            [
                (_("Job title"), posting.get("title")),
                (_("Organisation"), posting.get("organization_name")),
                (_("Location"), address),
                (_("Remote work allowed"), location.get("allows_remote_work")),
                (
                    _("Employment type"),
                    display.employment_type_label(_text(posting.get("employment_type"))),
                ),
                (_("Years of experience"), posting.get("years_of_experience")),
                (_("Weekly hours"), hours_text),
                (_("Salary"), salary_text),
                (_("Job page URL"), posting.get("job_page_url")),
                (_("Application URL"), posting.get("application_url")),
            ]
        ),
        description=text_paragraphs(_text(posting.get("description"))),
        audience=_items(
            [
                (_("Education level"), target.get("education_level")),
                (_("Industry"), target.get("industry")),
                (_("Seniority"), target.get("seniority")),
                (_("Job function"), target.get("job_function")),
            ]
        ),
    )
    products = [p for p in payload.get("products") or [] if isinstance(p, dict)]
    for board_posting in postings:
        product = next(
            (
                p
                for p in products
                if p.get("contract") == board_posting.contract_id
                and board_posting.contract_id is not None
            ),
            None,
        ) or next((p for p in products if p.get("board") == board_posting.board_name), None)
        if product is None:
            continue
        sent.boards[board_posting.pk] = BoardSent(
            board=_text(product.get("board")) or board_posting.board_name,
            requirements=_items(
                product.get("requirement_rows")
                or _dict(product.get("posting_requirements")).items()
            ),
            details=_items(
                [
                    (_("Posting duration (days)"), product.get("posting_duration_days")),
                    (_("Tracking (UTM)"), product.get("utm")),
                ]
            ),
        )
    return sent
