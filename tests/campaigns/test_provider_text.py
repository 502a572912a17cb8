"""The provider's status texts (a failed board's reason, solution, raw error) are read as
plain text: no raw tags on the pages or in the emails, no markup rendered, a link's web
address kept in the words, and the database keeps what the provider said."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import EventSource, PostingStatus
from campaigns.provider_text import provider_plain_text
from campaigns.services.status import posting_apply_status
from tests.campaigns.factories import PostingFactory

# What a provider may send: a link, a script, both escaped today as raw tags.
SOLUTION = '<a href="https://x.test/help">Help</a> <script>alert(1)</script>'
SOLUTION_FR = 'Consultez <a href="https://x.test/aide">l&#39;aide</a>.<br>Puis <b>recommandez</b>.'


# --- the conversion ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Reconnect the contract", "Reconnect the contract"),
        ("<b>Reconnect</b> the contract", "Reconnect the contract"),
        (
            "<p>Check the <b>login, <i>then</i> the</b> password</p>",
            "Check the login, then the password",
        ),
        ("Fish &amp; chips &lt;b&gt; &eacute;t&#233; &#x27;", "Fish & chips <b> été '"),
        ("<p>First</p><p>Second<br>third<br/>fourth</p>", "First\nSecond\nthird\nfourth"),
        ("<ul><li>One</li><li>Two</li></ul>", "One\nTwo"),
        ("  many \n  spaces\t and&nbsp;lines  ", "many spaces and lines"),
        ("Salary < 5000 & more", "Salary < 5000 & more"),
    ],
)
def test_tags_go_entities_are_decoded_and_whitespace_collapses(markup, text):
    assert provider_plain_text(markup) == text


@pytest.mark.parametrize(
    "markup",
    [
        "Fix it<script>alert('</b>')</script>",
        "Fix <style>p { color: red }</style>it",
        "Fix<noscript>Enable JavaScript</noscript> it",
        "Fix it<script>alert(1)",  # never closed
    ],
)
def test_script_and_style_content_is_dropped_entirely(markup):
    assert provider_plain_text(markup) == "Fix it"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ('<a href="https://x.test/help">Help</a>', "Help (https://x.test/help)"),
        ('<a href="http://x.test/a?b=1&amp;c=2">Here</a>.', "Here (http://x.test/a?b=1&c=2)."),
        ('<a href="https://x.test/help">https://x.test/help</a>', "https://x.test/help"),
        ('<a href="https://x.test/"><b></b></a>', "https://x.test/"),
        (
            'See <a href="https://x.test/help">the <b>guide</b>',
            "See the guide (https://x.test/help)",
        ),
    ],
)
def test_a_link_keeps_its_web_address_after_its_label(markup, text):
    assert provider_plain_text(markup) == text


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html,<b>x</b>",
        "mailto:help@x.test",
        "/relative/help",
        "#",
        "https://[broken",
    ],
)
def test_a_link_to_anything_but_a_web_address_keeps_only_its_label(href):
    assert provider_plain_text(f'<a href="{href}" onclick="alert(2)">Help</a> now') == "Help now"


@pytest.mark.parametrize("empty", [None, "", "<b></b>", "<script>alert(1)</script>"])
def test_nothing_gives_nothing(empty):
    assert provider_plain_text(empty) == ""


# --- where people read it ------------------------------------------------------------------


def failed_posting(org):
    return PostingFactory(
        campaign__job__organization=org,
        status=PostingStatus.FAILED,
        status_description="The <b>board</b> refused the login",
        status_solution=SOLUTION,
        status_texts_fr={"description": "Le <b>site</b> a refusé", "solution": SOLUTION_FR},
    )


def assert_no_provider_markup(html: str) -> None:
    for markup in ('<a href="https://x.test', "<script>alert", "<b>board", "<b>site"):
        assert markup not in html
    for escaped in ("&lt;a", "&lt;script", "&lt;b&gt;", "&amp;#39;", "alert(1)"):
        assert escaped not in html


@pytest.mark.django_db
def test_the_campaign_page_shows_the_solution_as_readable_text(recruiter_client, org):
    posting = failed_posting(org)
    html = recruiter_client.get(
        reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id})
    ).text
    failure = " ".join(html.split('data-testid="failure">')[1].split("</div>")[0].split())
    assert failure == (
        '<p class="mb-1">The board refused the login</p> <p class="mb-0"><strong>What to do:'
        "</strong> Help (https://x.test/help)</p>"
    )
    assert_no_provider_markup(html)
    posting.refresh_from_db()
    assert posting.status_solution == SOLUTION  # the provider's words are kept as sent


@pytest.mark.django_db
def test_the_campaign_page_shows_the_french_solution_as_readable_text(recruiter_client, org):
    posting = failed_posting(org)
    html = recruiter_client.get(
        reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id}),
        headers={"Accept-Language": "fr"},
    ).text
    failure = " ".join(html.split('data-testid="failure">')[1].split("</div>")[0].split())
    assert failure == (
        '<p class="mb-1">Le site a refusé</p> <p class="mb-0"><strong>Que faire :</strong> '
        "Consultez l&#x27;aide (https://x.test/aide).<br>Puis recommandez.</p>"
    )
    assert_no_provider_markup(html)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_cache")
def test_the_campaign_history_shows_the_solution_and_the_timeline_as_readable_text(
    admin_client, org
):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.IN_PROGRESS)
    posting_apply_status(
        posting=posting,
        status=PostingStatus.FAILED,
        source=EventSource.POLL,
        description="The <b>board</b> refused the login",
        solution=SOLUTION,
    )
    html = admin_client.get(
        reverse("campaign_history_detail", kwargs={"campaign_id": posting.campaign_id})
    ).text
    text = " ".join(html.split())
    assert "<strong>Reason:</strong> The board refused the login</div>" in text
    assert "<strong>Suggested solution:</strong> Help (https://x.test/help)</div>" in text
    # The timeline's failed event says the same.
    assert "Provider's description: The board refused the login</div>" in text
    assert "Suggested solution: Help (https://x.test/help)</div>" in text
    assert_no_provider_markup(html)


@pytest.mark.django_db
def test_the_failure_email_gives_the_solution_as_readable_text(
    django_capture_on_commit_callbacks, tasks_run_here
):
    posting = PostingFactory(status=PostingStatus.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        posting_apply_status(
            posting=posting,
            status=PostingStatus.FAILED,
            source=EventSource.POLL,
            description="The <b>board</b> refused the login",
            solution=SOLUTION,
        )
    (email,) = mail.outbox
    assert "Reason: The board refused the login\n" in email.body
    assert "What to do: Help (https://x.test/help)\n" in email.body
    assert "<" not in email.body and "&lt;" not in email.body and "alert" not in email.body
