"""Helpers for the accounts tests: invitation links from the outbox, and form scraping for
the Django admin's change forms."""

import re
from html.parser import HTMLParser

from django.core import mail

from accounts import services
from accounts.models import Role

INVITATION_LINK = re.compile(r"https?://\S+/invitations/(?P<token>[^/\s]+)/")


def invitation_link(message) -> str:
    match = INVITATION_LINK.search(message.body)
    assert match, f"no invitation link in {message.body!r}"
    return match.group(0)


def invitation_token(message) -> str:
    return INVITATION_LINK.search(message.body).group("token")


def invite(capture_on_commit, *, org, by, email, role=Role.RECRUITER):
    """Create an invitation through the service and return (invitation, token from the email)."""
    with capture_on_commit(execute=True):
        invitation = services.invitation_create(org=org, by=by, email=email, role=role)
    message = mail.outbox[-1]
    assert message.to == [email.strip().lower()]
    return invitation, invitation_token(message)


class _FormScraper(HTMLParser):
    """Collects the values a browser would submit for the POST form with ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self.data.setdefault(name, []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, [""])

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_data(html: str, form_id: str) -> dict[str, list[str] | str]:
    scraper = _FormScraper(form_id)
    scraper.feed(html)
    return {k: v if len(v) != 1 else v[0] for k, v in scraper.data.items()}
