"""The clock: product and campaign statuses, durations, cancellation, clicks, modifiedOn."""

import time
from datetime import UTC, datetime, timedelta

from conftest import NAUKRI, NAUKRI_REQUIREMENTS, Hapi

from sandbox.campaigns import Campaigns
from sandbox.clock import Clock, iso
from sandbox.config import Settings
from tests.fixtures.sandbox import SandboxProcess, both_profiles


def spec_of(campaign: dict) -> dict:
    return campaign["orderedProductsSpecs"][0]


def test_in_progress_then_online(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    before = hapi.campaign(campaign_id)
    sandbox.advance_to_online()
    campaign = hapi.campaign(campaign_id)
    spec = spec_of(campaign)
    assert campaign["status"] == "online" and spec["status"] == "online"
    assert spec["deliveredOn"] is not None
    assert (
        spec["jobBoardLink"] == f"{sandbox.url}/_sandbox/boards/{campaign_id}/{spec['productId']}/"
    )
    assert spec["statusDescription"] == "The job ad is live on the job board."
    assert campaign["modifiedOn"] > before["modifiedOn"]
    status = hapi.get(f"/campaigns/{campaign_id}/status").json()["data"]
    assert status["status"] == "online"
    assert status["orderedProductsStatuses"][0]["status"] == "online"


def test_nothing_moves_before_it_is_due(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    sandbox.advance(1)
    assert hapi.campaign(campaign_id)["status"] == "in progress"


def test_fail_marker_in_title_means_not_processed(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign(postingDetails={"title": "Cook [FAIL] test"})
    sandbox.advance_to_online()
    campaign = hapi.campaign(campaign_id)
    spec = spec_of(campaign)
    assert spec["status"] == "not processed"
    assert campaign["status"] == "offline"
    assert spec["statusDescription"] and "<a href" in spec["statusSolution"]
    assert "<error" in spec["statusRawError"]
    assert spec["deliveredOn"] is None and spec["jobBoardLink"] is None
    fr = spec_of(hapi.campaign(campaign_id, lang="fr"))
    assert fr["statusDescription"] == "Le site d'emploi a refusé l'annonce."


def test_fail_ratio_is_deterministic_per_order():
    def fails(ratio, reference, product="p1"):
        settings = Settings(fail_ratio=ratio)
        campaigns = Campaigns(None, None, settings, datetime.now, lambda *a: None)
        campaign = {
            "postingDetails": {"title": "Cook"},
            "orderReference": reference,
            "campaignId": "c",
        }
        return campaigns._fails(campaign, {"productId": product})

    outcomes = [fails(0.3, f"ref-{n}") for n in range(400)]
    assert outcomes == [fails(0.3, f"ref-{n}") for n in range(400)]
    assert 80 < sum(outcomes) < 160
    assert not any(fails(0.0, f"ref-{n}") for n in range(100))
    assert all(fails(1.0, f"ref-{n}") for n in range(100))


def test_expires_after_its_posting_duration(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS, {"postingDurationDays": 7}))
    campaign_id = hapi.order(body)["campaignId"]
    sandbox.advance_to_online()
    spec = spec_of(hapi.campaign(campaign_id))
    assert spec["status"] == "online" and spec["duration"] == "7 days"
    sandbox.advance_days(6)
    assert spec_of(hapi.campaign(campaign_id))["status"] == "online"
    sandbox.advance_days(1.05)
    campaign = hapi.campaign(campaign_id)
    assert spec_of(campaign)["status"] == "offline"
    assert campaign["status"] == "offline"
    assert spec_of(campaign)["statusDescription"].startswith("The job ad expired")


def test_contract_duration_applies_when_the_order_has_none(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI, posting_duration_days=10)
    campaign_id = hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)))["campaignId"]
    assert spec_of(hapi.campaign(campaign_id))["durationPeriod"] == {"period": 10, "range": "days"}


def test_clicks_accrue_while_online(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    sandbox.advance_to_online()
    assert hapi.campaign(campaign_id)["postings"][0]["clicks"] == 0
    sandbox.advance_days(3)
    clicks = hapi.campaign(campaign_id)["postings"][0]["clicks"]
    assert clicks >= 6  # at least two clicks a day
    sandbox.advance_days(1)
    later = hapi.campaign(campaign_id)["postings"][0]["clicks"]
    assert later > clicks
    hapi.request(
        "PUT",
        f"/campaigns/{campaign_id}/cancellation",
        json={"campaignId": campaign_id, "status": "offline"},
    )
    sandbox.advance_days(5)
    assert hapi.campaign(campaign_id)["postings"][0]["clicks"] == later  # frozen once offline


def test_cancel_campaign(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    path = f"/campaigns/{campaign_id}/cancellation"
    body = {"campaignId": campaign_id, "status": "offline"}
    # Not online yet: accepted and ignored, unless an explicit answer is asked for.
    ignored = hapi.request("PUT", path, json=body)
    assert ignored.status_code == 202
    assert hapi.campaign(campaign_id)["status"] == "in progress"
    explicit = hapi.request("PUT", path + "?errorOnCancelCampaign=true", json=body)
    assert explicit.status_code == 400
    assert explicit.json() == {"campaignId": ["The campaign is not online."]}
    sandbox.advance_to_online()
    before = hapi.campaign(campaign_id)["modifiedOn"]
    bad = hapi.request("PUT", path, json={"campaignId": campaign_id, "status": "online"})
    assert bad.status_code == 400 and "status" in bad.json()
    mismatch = hapi.request("PUT", path, json={"campaignId": "x", "status": "offline"})
    assert mismatch.status_code == 400 and "campaignId" in mismatch.json()
    response = hapi.request("PUT", path + "?errorOnCancelCampaign=true", json=body)
    assert response.status_code == 202
    assert response.json() == {"campaignId": campaign_id}
    campaign = hapi.campaign(campaign_id)
    assert campaign["status"] == "offline" and spec_of(campaign)["status"] == "offline"
    assert campaign["modifiedOn"] > before
    assert hapi.request("PUT", path, json=body).status_code == 202  # offline: ignored
    missing = hapi.request(
        "PUT",
        "/campaigns/00000000-0000-0000-0000-000000000000/cancellation",
        json={"campaignId": "00000000-0000-0000-0000-000000000000", "status": "offline"},
    )
    assert missing.status_code == 404 and missing.json()["campaignId"]


@both_profiles
def test_cancel_one_product_only_when_online(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    product_id = spec_of(hapi.campaign(campaign_id))["productId"]
    path = f"/campaigns/{campaign_id}/product_cancellation"
    body = {"campaignId": campaign_id, "productId": product_id, "status": "offline"}
    early = hapi.request("PUT", path, json=body)
    assert early.status_code == 400
    sandbox.advance_to_online()
    unknown = hapi.request(
        "PUT", path, json={**body, "productId": "00000000-0000-0000-0000-000000000000"}
    )
    assert unknown.status_code == 404
    # The guides require the campaignId in the body; the OpenAPI document's example omits it.
    without_id = hapi.request("PUT", path, json={"productId": product_id, "status": "offline"})
    if sandbox.profile == "guides":
        assert without_id.status_code == 400 and "campaignId" in without_id.json()
        done = hapi.request("PUT", path, json=body)
    else:
        done = without_id
    assert done.status_code == 202 and done.json() == {"campaignId": campaign_id}
    assert hapi.campaign(campaign_id)["status"] == "offline"
    assert hapi.request("PUT", path, json=body).status_code == 400


def test_campaign_status_is_derived_from_products(hapi, sandbox):
    naukri = hapi.create_contract(NAUKRI)
    indeed = hapi.create_contract(1005)
    body = hapi.order_body((naukri, NAUKRI_REQUIREMENTS), (indeed, {}))
    campaign_id = hapi.order(body)["campaignId"]
    products = [s["productId"] for s in hapi.campaign(campaign_id)["orderedProductsSpecs"]]
    sandbox.edit_campaign(
        campaign_id,
        hapi.customer_id,
        products=[{"productId": products[0], "status": "not processed"}],
    )
    assert hapi.campaign(campaign_id)["status"] == "in progress"
    sandbox.edit_campaign(
        campaign_id, hapi.customer_id, products=[{"productId": products[1], "status": "online"}]
    )
    assert hapi.campaign(campaign_id)["status"] == "online"
    sandbox.edit_campaign(
        campaign_id, hapi.customer_id, products=[{"productId": products[1], "status": "offline"}]
    )
    assert hapi.campaign(campaign_id)["status"] == "offline"


def test_edit_sets_given_fields_and_moves_modified_on(hapi, sandbox, other_hapi):
    campaign_id, _, _ = hapi.naukri_campaign()
    product_id = spec_of(hapi.campaign(campaign_id))["productId"]
    first = hapi.campaign(campaign_id)["modifiedOn"]
    edited = sandbox.edit_campaign(
        campaign_id,
        hapi.customer_id,
        products=[
            {
                "productId": product_id,
                "status": "online",
                "jobBoardLink": "https://board.test/ad/1",
                "deliveredOn": "2026-01-02T03:04:05+00:00",
                "statusDescription": "Live <b>now</b>",
            }
        ],
    )
    spec = spec_of(edited)
    assert spec["jobBoardLink"] == "https://board.test/ad/1"
    assert spec["deliveredOn"] == "2026-01-02T03:04:05+00:00"
    assert spec["statusDescription"] == "Live <b>now</b>"
    assert edited["modifiedOn"] > first
    second = sandbox.edit_campaign(campaign_id, hapi.customer_id, status="online")
    assert second["modifiedOn"] > edited["modifiedOn"]  # every change moves it forward
    path = f"/campaigns/{campaign_id}/edit"
    assert other_hapi.request("PATCH", path, json={"status": "offline"}).status_code == 403
    assert hapi.request("PATCH", path, json={"status": "sideways"}).status_code == 400
    assert (
        hapi.request(
            "PATCH",
            path,
            json={"orderedProductsSpecs": [{"productId": "nope", "status": "online"}]},
        ).status_code
        == 400
    )


def test_background_clock_moves_products_without_help():
    with SandboxProcess(
        "--online-after", "0.2", "--tick-interval", "0.05", "--fail-ratio", "0"
    ) as sb:
        hapi = Hapi(sb, "clockwork")
        campaign_id, _, _ = hapi.naukri_campaign()
        deadline = time.monotonic() + 5
        while hapi.campaign(campaign_id)["status"] != "online":
            assert time.monotonic() < deadline, "the clock never put the posting online"
            time.sleep(0.05)


def _online_posting(start: datetime, **extra) -> dict:
    return {
        "productId": "p1",
        "status": "online",
        "deliveredOn": iso(start),
        "offlineAt": iso(start + timedelta(seconds=500)),
        "clicks": 0,
        "accruedClicks": 0,
        **extra,
    }


def test_clicks_stop_at_the_end_of_the_posting_even_before_the_tick_takes_it_down():
    campaigns = Campaigns(None, None, Settings(day_seconds=100), datetime.now, lambda *a: None)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posting = _online_posting(start)
    at_the_end = campaigns.clicks(posting, start + timedelta(seconds=500))
    assert at_the_end > campaigns.clicks(posting, start + timedelta(seconds=400)) > 0
    assert campaigns.clicks(posting, start + timedelta(seconds=5000)) == at_the_end


def test_a_posting_keeps_the_day_length_it_was_ordered_with():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posting = _online_posting(start, daySeconds=100)
    ordered_with = Campaigns(None, None, Settings(day_seconds=100), datetime.now, print)
    restarted = Campaigns(None, None, Settings(day_seconds=1), datetime.now, print)
    moment = start + timedelta(seconds=300)
    assert restarted.clicks(posting, moment) == ordered_with.clicks(posting, moment)


def test_a_clock_dated_in_the_past_moves_forward_and_resets_to_its_start():
    clock = Clock(-10 * 86400)
    assert abs((datetime.now(UTC) - clock.now()) - timedelta(days=10)) < timedelta(seconds=5)
    clock.advance(9 * 86400)
    assert abs((datetime.now(UTC) - clock.now()) - timedelta(days=1)) < timedelta(seconds=5)
    clock.reset()
    assert abs((datetime.now(UTC) - clock.now()) - timedelta(days=10)) < timedelta(seconds=5)
