"""Contract groups, contracts, credential checks, OAuth tokens and autocomplete."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import INDEED, LINKEDIN, NAUKRI, STEPSTONE, VDAB, ZOO

from tests.fixtures.sandbox import both_profiles


def test_group_crud(hapi):
    group = hapi.create_group("Agencies")
    assert group["idx"] == 1 and group["igb_customer_id"] == hapi.customer_id
    assert hapi.get("/igb/contracts/groups/1/").json()["name"] == "Agencies"
    renamed = hapi.request("PATCH", "/igb/contracts/groups/1/", json={"name": "Partners"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Partners"
    assert hapi.request("DELETE", "/igb/contracts/groups/1/").status_code == 204
    assert hapi.get("/igb/contracts/groups/1/").status_code == 404
    assert hapi.create_group("Again")["idx"] == 2  # idx values are never reused


def test_group_names_unique_per_customer(hapi, other_hapi):
    hapi.create_group("Agencies")
    duplicate = hapi.post("/igb/contracts/groups/", {"name": "agencies"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    assert hapi.post("/igb/contracts/groups/", {"name": " "}).status_code == 400
    assert hapi.post("/igb/contracts/groups/", {}).status_code == 400
    other_hapi.create_group("Agencies")  # another customer may use the same name


def test_default_group_and_groups_with_contracts_cannot_be_deleted(hapi):
    response = hapi.request("DELETE", "/igb/contracts/groups/0/")
    assert response.status_code == 400
    group = hapi.create_group("Busy")
    contract = hapi.create_contract(NAUKRI, group_id=group["id"])
    assert hapi.request("DELETE", f"/igb/contracts/groups/{group['idx']}/").status_code == 400
    assert hapi.request("DELETE", f"/contracts/{contract['contract_id']}/").status_code == 204
    assert hapi.request("DELETE", f"/igb/contracts/groups/{group['idx']}/").status_code == 204


@both_profiles
def test_create_contract_response(hapi, sandbox):
    contract = hapi.create_contract(STEPSTONE, alias="StepStone DE")
    assert contract["alias"] == "StepStone DE"
    assert contract["errors"] == []
    assert contract["group"]["idx"] == 0
    assert contract["product"]["product_id"] == hapi.channel(STEPSTONE)["product"]["product_id"]
    credentials = contract["credentials"]
    assert credentials["account_type"] == "premium"  # select values come back in clear
    assert credentials["password"] != "s3cret-pass"  # text values come back encrypted
    assert credentials["account_id"] != "acc-1"
    requirements = contract["posting_requirements"]
    if sandbox.profile == "guides":  # the facet list, as on the channel details
        assert requirements == hapi.channel(STEPSTONE)["posting_requirements"]
    else:  # the OpenAPI document's object of labels
        assert requirements == {"start_date": "Start date", "summary": "Short summary"}
    summary = hapi.get("/contracts/").json()["results"][0]
    assert "credentials" not in summary  # summaries never carry credentials
    assert ("posting_requirements" in summary) == (sandbox.profile == "openapi")


@both_profiles
def test_one_contract_per_channel_per_group(hapi, sandbox):
    hapi.create_contract(NAUKRI)
    again = hapi.post(
        "/contracts/",
        {"channel_id": NAUKRI, "credentials": {"username": "x", "password": "s3cret-pass"}},
    )
    assert again.status_code == 400
    message = "The contract for the same channel already exists in this group."
    expected = {"group_id": [message]}
    if sandbox.profile == "guides":  # the guides' structured errorDetails beside the fields
        expected["errorDetails"] = [
            {"path": "group_id", "code": "invalid", "message": message, "params": []}
        ]
    assert again.json() == expected
    group = hapi.create_group("Second")
    hapi.create_contract(NAUKRI, group_id=group["id"])


def test_contract_field_rules(hapi):
    def create(**payload):
        return hapi.post(
            "/contracts/",
            {"channel_id": INDEED, "credentials": {"api_key": "key-123456"}, **payload},
        )

    assert "channel_id" in hapi.post("/contracts/", {"credentials": {}}).json()
    assert create(channel_id=424242).status_code == 400
    assert create(posting_duration_days=6).json().keys() == {
        "posting_duration_days",
        "errorDetails",
    }
    assert create(posting_duration_days=366).status_code == 400
    assert create(group_id="00000000-0000-0000-0000-000000000000").status_code == 400
    assert create(credentials={}).json()["credentials"] == {"api_key": ["This field is required."]}
    assert create(alias="").status_code == 400
    assert create(credentials_validation="sometimes").status_code == 400
    assert create(posting_duration_days=7).status_code == 201


def test_followed_instructions_rules(hapi):
    no_setup = hapi.post(
        "/contracts/",
        {
            "channel_id": INDEED,
            "followed_instructions": True,
            "credentials": {"api_key": "key-123456"},
        },
    )
    assert no_setup.status_code == 400 and "followed_instructions" in no_setup.json()
    manual = {"channel_id": VDAB, "credentials": {"api_key": "key-123456"}}
    assert hapi.post("/contracts/", manual).status_code == 400
    assert hapi.post("/contracts/", {**manual, "followed_instructions": False}).status_code == 400
    assert hapi.post("/contracts/", {**manual, "followed_instructions": True}).status_code == 201


@both_profiles
def test_credentials_are_checked_by_boards_that_validate(hapi, sandbox):
    def create(password, validation="if_supported", channel=NAUKRI):
        return hapi.post(
            "/contracts/",
            {
                "channel_id": channel,
                "credentials": {"username": "u", "password": password},
                "credentials_validation": validation,
            },
        )

    wrong = create("wrong")
    assert wrong.status_code == 400
    assert list(wrong.json()["credentials"]) == ["password"]
    assert create("abc").status_code == 400  # shorter than 4 characters
    unchecked = create("wrong", None)
    assert unchecked.status_code == 201  # null (or absent): not checked
    hapi.request("DELETE", f"/contracts/{unchecked.json()['contract_id']}/")
    enum = create("abc", "CredentialsValidationEnum.IF_SUPPORTED")
    disabled = create("wrong", "CredentialsValidationEnum.DISABLED")
    if sandbox.profile == "guides":  # the OpenAPI enum is a generator artifact: refused
        assert enum.status_code == disabled.status_code == 400
        assert enum.json()["credentials_validation"] == [
            '"CredentialsValidationEnum.IF_SUPPORTED" is not a valid choice.'
        ]
    else:
        assert enum.status_code == 400 and "credentials" in enum.json()
        hapi.request("DELETE", f"/contracts/{disabled.json()['contract_id']}/")
    # InfoJobs (1009) does not validate credentials even when asked to
    assert create("wrong", channel=1009).status_code == 201


def test_select_credentials_must_be_an_option(hapi):
    response = hapi.post(
        "/contracts/",
        {
            "channel_id": STEPSTONE,
            "credentials": {"account_type": "gold", "account_id": "a", "password": "s3cret-pass"},
        },
    )
    assert response.status_code == 400
    assert "account_type" in response.json()["credentials"]


def connect_linkedin(hapi) -> str:
    """Walk the OAuth consent page as a browser would; return the issued token."""
    consent_url = hapi.channel(LINKEDIN)["contract_credentials"][0]["url"]
    callback = "https://jobcast.test/oauth/callback?state=xyz"
    page = hapi.session.get(consent_url, params={"callbackUrl": callback}, timeout=5)
    assert page.status_code == 200 and "Allow Jobcast to post on LinkedIn" in page.text
    form = dict(re.findall(r'name="(channel_id|callbackUrl)" value="([^"]*)"', page.text))
    form["callbackUrl"] = form["callbackUrl"].replace("&amp;", "&")
    answer = hapi.session.post(
        hapi.url + "/_sandbox/oauth/consent",
        data={**form, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["xyz"]
    return query["hash"][0]


def test_oauth_token_from_consent_is_accepted_and_forged_ones_are_not(hapi):
    token = connect_linkedin(hapi)
    forged = hapi.post(
        "/contracts/",
        {
            "channel_id": LINKEDIN,
            "credentials": {"access_token": "made-up"},
            "credentials_validation": "if_supported",
        },
    )
    assert forged.status_code == 400 and "access_token" in forged.json()["credentials"]
    good = hapi.post(
        "/contracts/",
        {
            "channel_id": LINKEDIN,
            "credentials": {"access_token": token},
            "credentials_validation": "if_supported",
        },
    )
    assert good.status_code == 201, good.text
    assert good.json()["credentials"]["access_token"] != token


def test_update_contract(hapi):
    contract = hapi.create_contract(NAUKRI)
    path = f"/contracts/single/{contract['contract_id']}/"
    changed = hapi.request(
        "PATCH", path, json={"alias": "Naukri India", "posting_duration_days": 14}
    )
    assert changed.status_code == 200
    assert changed.json()["alias"] == "Naukri India"
    assert changed.json()["posting_duration_days"] == 14
    # sending back the opaque values keeps them
    same = hapi.request(
        "PATCH",
        path,
        json={"credentials": contract["credentials"], "credentials_validation": "if_supported"},
    )
    assert same.status_code == 200
    assert same.json()["credentials"] == contract["credentials"]
    bad = hapi.request(
        "PATCH",
        path,
        json={"credentials": {"password": "wrong"}, "credentials_validation": "if_supported"},
    )
    assert bad.status_code == 400
    new_pw = hapi.request("PATCH", path, json={"credentials": {"password": "an0ther-pass"}})
    assert new_pw.json()["credentials"]["password"] != contract["credentials"]["password"]
    group = hapi.create_group("Elsewhere")
    moved = hapi.request("PATCH", path, json={"group_id": group["id"]})
    assert moved.status_code == 400 and "group_id" in moved.json()
    assert hapi.get(path).json()["alias"] == "Naukri India"
    assert hapi.get(f"/contracts/{contract['contract_id']}/").status_code == 200


def test_list_and_delete_contracts(hapi, other_hapi):
    naukri = hapi.create_contract(NAUKRI)
    group = hapi.create_group("Two")
    indeed = hapi.create_contract(INDEED, group_id=group["id"])
    listing = hapi.get("/contracts/").json()
    assert listing["count"] == 2
    assert all("credentials" not in c for c in listing["results"])
    by_channel = hapi.get(f"/contracts/?channel_id={INDEED}").json()["results"]
    assert [c["contract_id"] for c in by_channel] == [indeed["contract_id"]]
    by_group = hapi.get(f"/contracts/?group_id={group['id']}").json()["results"]
    assert [c["contract_id"] for c in by_group] == [indeed["contract_id"]]
    assert hapi.get("/contracts/?group_idx=0").json()["count"] == 1
    paged = hapi.get("/contracts/?limit=1").json()
    assert len(paged["results"]) == 1 and paged["next"]
    # another customer sees none of it
    assert other_hapi.get("/contracts/").json()["count"] == 0
    assert other_hapi.get(f"/contracts/single/{naukri['contract_id']}/").status_code == 404
    assert hapi.request("DELETE", f"/contracts/{naukri['contract_id']}/").status_code == 204
    assert hapi.get(f"/contracts/single/{naukri['contract_id']}/").status_code == 404
    assert hapi.request("DELETE", f"/contracts/{naukri['contract_id']}/").status_code == 404


def test_autocomplete(hapi, other_hapi):
    contract = hapi.create_contract(NAUKRI)
    path = f"/contracts/posting-requirements/{contract['contract_id']}/location/"
    found = hapi.post(path, {"term": "BOM"}).json()
    assert found == [
        {"key": "in-mumbai", "label": "Mumbai", "sort": "1", "default": None, "parent": None}
    ]
    assert hapi.get(path + "?term=pune").json()[0]["key"] == "in-pune"
    assert hapi.post(path, {"term": "zzz"}).json() == []
    assert hapi.post(path, {}).status_code == 400
    fr = hapi.post(path, {"term": "bom"}, headers={"Accept-Language": "fr"}).json()
    assert fr[0]["label"] == "Bombay"
    by_channel = f"/contracts/posting-requirements/{NAUKRI}/location/"
    assert hapi.post(by_channel, {"term": "pune"}).status_code == 400  # credentials needed
    with_credentials = {"term": "pune", "credentials": {"username": "u", "password": "p"}}
    assert hapi.post(by_channel, with_credentials).status_code == 200
    assert hapi.post(path.replace("location", "nope"), {"term": "x"}).status_code == 404
    assert other_hapi.post(path, {"term": "pune"}).status_code == 404
    zoo = hapi.create_contract(ZOO)
    cities = hapi.post(
        f"/contracts/posting-requirements/{zoo['contract_id']}/location/", {"term": "lon"}
    ).json()
    assert {"gb-london"} <= {c["key"] for c in cities}


@pytest.mark.parametrize("sandbox_profile", ["openapi"], indirect=True)
def test_autocomplete_in_the_openapi_documents_shape(hapi):
    contract = hapi.create_contract(NAUKRI)
    path = f"/contracts/posting-requirements/{contract['contract_id']}/location/"
    assert hapi.post(path, {"term": "BOM"}).json() == {
        "key": "in-mumbai",
        "label": "Mumbai",
        "sort": "1",
        "default": None,
        "parent": None,
    }
    assert hapi.post(path, {"term": "zzz"}).json() == []


def test_dependent_autocomplete_takes_the_values_it_depends_on(hapi):
    zoo = hapi.create_contract(ZOO)
    base = f"/contracts/posting-requirements/{zoo['contract_id']}"
    districts = hapi.post(f"{base}/district/", {"term": "fr-paris"}).json()
    assert [d["key"] for d in districts] == ["fr-paris-01", "fr-paris-11"]
    assert hapi.post(f"{base}/district/", {"term": "de-berlin"}).json()[0]["key"] == (
        "de-berlin-mitte"
    )
    tiers = hapi.post(f"{base}/ad_tier/", {"term": ["Join us", "fr-paris"]}).json()
    assert {t["key"]: t.get("show") for t in tiers} == {
        "basic": None,
        "branded": ["brand_id"],
        "premium": ["brand_id"],
    }
    for missing in ({"term": "Join us"}, {"term": ["Join us", ""]}, {}):
        refused = hapi.post(f"{base}/ad_tier/", missing)
        assert refused.status_code == 400 and "term" in refused.json()


@both_profiles
def test_requirement_defaults_are_stored_and_read_back(hapi):
    contract = hapi.create_contract(NAUKRI)
    assert contract["posting_requirements_defaults"] == {}
    path = f"/contracts/single/{contract['contract_id']}/"
    defaults = {"industry-naukri": "it-software", "location": "in-pune"}
    changed = hapi.request("PATCH", path, json={"posting_requirements_defaults": defaults})
    assert changed.status_code == 200, changed.text
    assert changed.json()["posting_requirements_defaults"] == defaults
    assert hapi.get(path).json()["posting_requirements_defaults"] == defaults
    listed = hapi.get("/contracts/").json()["results"][0]
    assert listed["posting_requirements_defaults"] == defaults
    # The object is replaced as a whole; null clears it, an empty value drops that name.
    fewer = {"industry-naukri": "it-software", "location": ""}
    replaced = hapi.request("PATCH", path, json={"posting_requirements_defaults": fewer})
    assert replaced.json()["posting_requirements_defaults"] == {"industry-naukri": "it-software"}
    cleared = hapi.request("PATCH", path, json={"posting_requirements_defaults": None})
    assert cleared.json()["posting_requirements_defaults"] == {}


def test_requirement_defaults_at_creation(hapi):
    contract = hapi.create_contract(
        NAUKRI, posting_requirements_defaults={"industry-naukri": "it-software"}
    )
    assert contract["posting_requirements_defaults"] == {"industry-naukri": "it-software"}


def test_requirement_defaults_are_checked_against_the_boards_facets(hapi):
    contract = hapi.create_contract(NAUKRI)
    path = f"/contracts/single/{contract['contract_id']}/"

    def patch(defaults):
        return hapi.request("PATCH", path, json={"posting_requirements_defaults": defaults})

    not_an_object = patch(["industry-naukri"])
    assert not_an_object.status_code == 400
    assert "posting_requirements_defaults" in not_an_object.json()
    unknown = patch({"industry-naukri": "it-software", "salary": "lots"})
    assert unknown.status_code == 400
    assert list(unknown.json()["posting_requirements_defaults"]) == ["salary"]
    not_an_option = patch({"industry-naukri": "astrology"}).json()
    assert "industry-naukri" in not_an_option["posting_requirements_defaults"]
    not_a_pick = patch({"location": "Somewhere I typed"}).json()
    assert "location" in not_a_pick["posting_requirements_defaults"]
    wrong_shape = patch({"industry-naukri": ["it-software"]}).json()
    assert "industry-naukri" in wrong_shape["posting_requirements_defaults"]
    # Nothing was stored by the refused requests.
    assert hapi.get(path).json()["posting_requirements_defaults"] == {}


def test_requirement_defaults_follow_the_facets_rules(hapi):
    contract = hapi.create_contract(STEPSTONE)
    path = f"/contracts/single/{contract['contract_id']}/"
    bad_date = hapi.request(
        "PATCH", path, json={"posting_requirements_defaults": {"start_date": "next Monday"}}
    )
    assert bad_date.status_code == 400
    assert "start_date" in bad_date.json()["posting_requirements_defaults"]
    good = hapi.request(
        "PATCH", path, json={"posting_requirements_defaults": {"start_date": "04.01.2027"}}
    )
    assert good.status_code == 200, good.text
    assert good.json()["posting_requirements_defaults"] == {"start_date": "04.01.2027"}
