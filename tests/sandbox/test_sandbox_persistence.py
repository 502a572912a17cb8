"""State survives a restart when a data dir is used."""

from conftest import NAUKRI, NAUKRI_REQUIREMENTS, Hapi

from tests.fixtures.sandbox import SandboxProcess


def test_data_dir_keeps_contracts_and_campaigns(tmp_path):
    args = ("--data-dir", str(tmp_path), "--online-after", "3600")
    first = SandboxProcess(*args)
    first.args.remove("--memory")
    with first:
        hapi = Hapi(first, "persistent")
        group = hapi.create_group("Kept")
        campaign_id, contract, body = hapi.naukri_campaign()
    assert (tmp_path / "sandbox.sqlite3").exists()
    second = SandboxProcess(*args)
    second.args.remove("--memory")
    with second:
        hapi = Hapi(second, "persistent")
        assert hapi.get(f"/contracts/single/{contract['contract_id']}/").status_code == 200
        assert hapi.campaign(campaign_id)["orderReference"] == body["orderReference"]
        names = [g["name"] for g in hapi.get("/igb/contracts/groups/").json()]
        assert names == ["Default", group["name"]]
        assert second.stats()["orders_by_reference"] == {body["orderReference"]: 1}
        # the next group idx continues after the stored ones
        assert hapi.create_group("New")["idx"] == 2
        hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)))


def test_memory_mode_writes_nothing(tmp_path, monkeypatch):
    with SandboxProcess("--data-dir", str(tmp_path)) as sb:
        Hapi(sb, "ephemeral").create_contract(NAUKRI)
    assert not (tmp_path / "sandbox.sqlite3").exists()
