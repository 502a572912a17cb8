def test_healthz(sandbox):
    assert sandbox.session.get(sandbox.url + "/_sandbox/healthz").json()["status"] == "ok"


def test_order(hapi):
    campaign_id, _, _ = hapi.naukri_campaign()
    assert hapi.campaign(campaign_id)["status"] == "in progress"
