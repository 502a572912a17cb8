"""The job board pages with their Apply button, the OAuth consent page, the sanitiser."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import NAUKRI, NAUKRI_REQUIREMENTS

from sandbox import pages


def online_posting(hapi, sandbox, **overrides) -> tuple[str, dict]:
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS), **overrides)
    campaign_id = hapi.order(body)["campaignId"]
    sandbox.advance_to_online()
    return campaign_id, hapi.campaign(campaign_id)["orderedProductsSpecs"][0]


def test_board_page_shows_the_ad_safely(hapi, sandbox):
    campaign_id, spec = online_posting(
        hapi,
        sandbox,
        postingDetails={
            "title": "Chef <i>de</i> partie",
            "description": '<p onclick="x()">Cook <b>well</b></p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">bad</a><a href="https://ok.test">ok</a>',
        },
    )
    page = requests.get(spec["jobBoardLink"], timeout=5)
    assert page.status_code == 200
    html = page.text
    assert "Naukri" in html
    assert "Chef &lt;i&gt;de&lt;/i&gt; partie" in html
    assert "<p>Cook <b>well</b></p>" in html
    assert "<script>" not in html and "onclick" not in html and "javascript:" not in html
    assert 'href="https://ok.test"' in html
    assert "Pune, IN" in html
    assert f'action="/_sandbox/boards/{campaign_id}/{spec["productId"]}/apply"' in html


def test_board_page_links_to_the_job_on_the_career_page(hapi, sandbox):
    job_page_url = "https://acme.test/careers/acme/jobs/7/"
    _, spec = online_posting(hapi, sandbox, postingDetails={"jobPageUrl": job_page_url})
    html = requests.get(spec["jobBoardLink"], timeout=5).text
    assert f'class="career-page" href="{job_page_url}"' in html


@pytest.mark.parametrize(
    "application_url, expected",
    [
        (
            "https://acme.test/apply",
            "https://acme.test/apply?utm_source=jobcast&utm_medium=job_board",
        ),
        (
            "https://acme.test/apply?job=7#form",
            "https://acme.test/apply?job=7&utm_source=jobcast&utm_medium=job_board#form",
        ),
    ],
)
def test_apply_counts_a_click_and_redirects_with_utm(hapi, sandbox, application_url, expected):
    campaign_id, spec = online_posting(
        hapi, sandbox, postingDetails={"applicationUrl": application_url}
    )
    before = hapi.campaign(campaign_id)["postings"][0]["clicks"]
    answer = requests.post(spec["jobBoardLink"] + "apply", allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    assert answer.headers["Location"] == expected
    requests.get(spec["jobBoardLink"] + "apply", allow_redirects=False, timeout=5)
    assert hapi.campaign(campaign_id)["postings"][0]["clicks"] == before + 2


def test_offline_posting_is_gone(hapi, sandbox):
    campaign_id, spec = online_posting(hapi, sandbox)
    hapi.request(
        "PUT",
        f"/campaigns/{campaign_id}/cancellation",
        json={"campaignId": campaign_id, "status": "offline"},
    )
    assert requests.get(spec["jobBoardLink"], timeout=5).status_code == 410
    clicks = hapi.campaign(campaign_id)["postings"][0]["clicks"]
    apply = requests.post(spec["jobBoardLink"] + "apply", allow_redirects=False, timeout=5)
    assert apply.status_code == 410
    assert hapi.campaign(campaign_id)["postings"][0]["clicks"] == clicks
    assert requests.get(f"{sandbox.url}/_sandbox/boards/nope/nope/", timeout=5).status_code == 404


def test_consent_allow_and_deny(sandbox):
    callback = "https://jobcast.test/contracts/oauth/callback?state=abc123"
    page = requests.get(
        f"{sandbox.url}/_sandbox/oauth/consent",
        params={"channel_id": 1004, "callbackUrl": callback},
        timeout=5,
    )
    assert "Allow Jobcast to post on LinkedIn" in page.text
    assert ">Allow</button>" in page.text and ">Deny</button>" in page.text
    form = {"channel_id": "1004", "callbackUrl": callback}
    allow = requests.post(
        f"{sandbox.url}/_sandbox/oauth/consent",
        data={**form, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    location = urlsplit(allow.headers["Location"])
    assert location.netloc == "jobcast.test" and location.path == "/contracts/oauth/callback"
    query = parse_qs(location.query)
    assert query["state"] == ["abc123"] and query["hash"][0].startswith("sbx-oauth-1004-")
    deny = requests.post(
        f"{sandbox.url}/_sandbox/oauth/consent",
        data={**form, "decision": "deny"},
        allow_redirects=False,
        timeout=5,
    )
    assert parse_qs(urlsplit(deny.headers["Location"]).query) == {
        "state": ["abc123"],
        "error": ["access_denied"],
    }


def test_consent_needs_a_channel_and_a_web_callback(sandbox):
    for params in (
        {"channel_id": 1004, "callbackUrl": "javascript:alert(1)"},
        {"channel_id": 999999, "callbackUrl": "https://x.test/cb"},
        {},
    ):
        page = requests.get(f"{sandbox.url}/_sandbox/oauth/consent", params=params, timeout=5)
        assert page.status_code == 400


def test_add_query():
    assert pages.add_query("https://a.test/x", "u=1") == "https://a.test/x?u=1"
    assert pages.add_query("https://a.test/x?a=b", "u=1") == "https://a.test/x?a=b&u=1"
    assert pages.add_query("https://a.test/x?a=b#f", "u=1") == "https://a.test/x?a=b&u=1#f"
    assert pages.add_query("https://a.test/x", "") == "https://a.test/x"


def test_sanitiser_keeps_allowed_tags_only():
    dirty = (
        "<h2>T</h2><img src=x onerror=alert(1)><style>p{}</style><ul><li>a</li></ul>"
        '<iframe src="https://x"></iframe>&lt;b&gt;'
    )
    assert pages.sanitise(dirty) == "<h2>T</h2><ul><li>a</li></ul>&lt;b&gt;"
