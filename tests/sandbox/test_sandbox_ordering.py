"""Ordering: validation mirrored by position, groups, duplicates, listing and filters."""

import time
from urllib.parse import quote

from conftest import INDEED, LINKEDIN, NAUKRI, NAUKRI_REQUIREMENTS, ZOO
from test_sandbox_contracts import connect_linkedin

from tests.fixtures.sandbox import both_profiles

ZOO_OK = {
    "headline": "Join our team",
    "contract_type": "full_time",
    "region": "fr-idf",
    "location": "fr-paris",
    "apply_method": ["URL"],
    "apply_url": "https://acme.test/apply",
    "salary_visible": "0",
}


def test_order_creates_campaign(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    response = hapi.post("/campaigns/order", body)
    assert response.status_code == 201
    campaign_id = response.json()["campaignId"]
    assert response.headers["Location"] == f"/campaigns/{campaign_id}"
    campaign = hapi.campaign(campaign_id)
    assert campaign["status"] == "in progress"
    assert campaign["orderReference"] == body["orderReference"]
    assert campaign["labels"] == {"jobcast": "yes"}
    spec = campaign["orderedProductsSpecs"][0]
    assert spec["contractId"] == contract["contract_id"]
    assert spec["status"] == "in progress"
    assert spec["deliveredOn"] is None and spec["jobBoardLink"] is None
    assert spec["postingRequirements"] == NAUKRI_REQUIREMENTS
    assert campaign["postings"] == [{"productId": spec["productId"], "name": "Naukri", "clicks": 0}]
    assert sandbox.stats()["orders_by_reference"] == {body["orderReference"]: 1}


def test_vacancy_errors_are_nested(hapi):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    body["postingDetails"].update(title="", employmentType="sometimes", applicationUrl="not a url")
    del body["postingDetails"]["workingLocation"]["city"]
    body["postingDetails"]["weeklyWorkingHours"] = {"from": 50, "to": 40}
    body["recruiterInfo"] = {"name": ""}
    del body["companyId"]
    errors = hapi.order(body, expect=422)
    details = errors["postingDetails"]
    assert details["title"] == ["This value should not be blank."]
    assert details["employmentType"] and details["applicationUrl"]
    assert details["workingLocation"] == {"city": ["This value should not be blank."]}
    assert "from" in details["weeklyWorkingHours"]
    assert errors["recruiterInfo"] == {"name": ["This value should not be blank."]}
    assert errors["companyId"] == ["This value should not be blank."]
    assert "orderedProductsSpecs" not in errors


def test_target_group_needs_one_known_current_id_each(hapi):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    body["targetGroup"]["industry"] = [{"vonqId": "7", "description": "retired"}]
    body["targetGroup"]["seniority"] = [
        {"vonqId": "3", "description": "a"},
        {"vonqId": "4", "description": "b"},
    ]
    del body["targetGroup"]["educationLevel"]
    errors = hapi.order(body, expect=422)["targetGroup"]
    assert errors["industry"] == [{"vonqId": ["VonqId 7 not found."]}]
    assert errors["seniority"][0] == {} and "vonqId" in errors["seniority"][1]
    assert "EducationLevel" in errors["0"]


@both_profiles
def test_posting_requirement_errors_by_position(hapi, sandbox):
    naukri = hapi.create_contract(NAUKRI)
    zoo = hapi.create_contract(ZOO)
    body = hapi.order_body(
        (naukri, NAUKRI_REQUIREMENTS),
        (
            zoo,
            {
                **ZOO_OK,
                "headline": "Hi",
                "region": "fr",
                "benefits": ["car", "gym", "bonus", "pension"],
                "reference_code": "1234",
                "start_date": "31.12.2026",
                "headcount": "2.5",
                "hourly_rate": "abc",
                "extra_cities": "not json",
                "apply_method": ["EMAIL"],
                "apply_email": "nobody",
            },
        ),
    )
    errors = hapi.order(body, expect=422)
    specs = errors["orderedProductsSpecs"]
    assert specs[0] == {}
    if sandbox.profile == "openapi":  # "<facet>: <message>" strings
        assert (
            "headline: Ensure this value has at least 5 characters."
            in specs[1]["postingRequirements"]
        )
        assert "posting_requirements" not in specs[1]
        return
    assert specs[1]["credentials"] == {}  # the guides' shape: credentials beside the facets
    problems = specs[1]["posting_requirements"]
    assert set(problems) == {
        "headline",
        "region",
        "benefits",
        "reference_code",
        "start_date",
        "headcount",
        "hourly_rate",
        "extra_cities",
        "apply_email",
        "rate_unit",
    }
    assert problems["headline"] == "Ensure this value has at least 5 characters."
    assert problems["rate_unit"] == 'The field "Rate currency" must have a value.'
    assert "postingRequirements" not in specs[1]
    assert "postingDetails" not in errors


def test_hidden_facets_are_not_required(hapi):
    zoo = hapi.create_contract(ZOO)
    # salary_text, apply_email, remote_notes and rate_unit are required but hidden here
    hapi.order(hapi.order_body((zoo, ZOO_OK)))
    shown = {
        **ZOO_OK,
        "salary_visible": "1",
        "remote_policy": "remote",
        "apply_method": ["URL", "EMAIL"],
    }
    errors = hapi.order(hapi.order_body((zoo, shown)), expect=422)
    assert set(errors["orderedProductsSpecs"][0]["posting_requirements"]) == {
        "salary_text",
        "remote_notes",
        "apply_email",
    }
    full = {
        **shown,
        "salary_text": "Competitive",
        "remote_notes": "Anywhere in the EU",
        "apply_email": "jobs@acme.test",
        "extra_cities": '["Lyon", "Lille"]',
        "start_date": "2026-12-31",
        "headcount": "3",
        "hourly_rate": "1,250.50",
        "rate_unit": "EUR",
        "reference_code": "ab-1234",
        "benefits": ["car"],
        "body_html": "<p>ok</p>",
        "summary": "short",
        "notice": "ignored",
    }
    hapi.order(hapi.order_body((zoo, full)))


def test_required_facets_and_options(hapi):
    naukri = hapi.create_contract(NAUKRI)
    body = hapi.order_body((naukri, {"industry-naukri": "mining", "location": "in-nowhere"}))
    problems = hapi.order(body, expect=422)["orderedProductsSpecs"][0]["posting_requirements"]
    assert problems == {
        "industry-naukri": '"mining" is not a valid choice.',
        "location": '"in-nowhere" is not a valid choice.',
    }
    body = hapi.order_body((naukri, {}))
    problems = hapi.order(body, expect=422)["orderedProductsSpecs"][0]["posting_requirements"]
    assert problems == {
        "industry-naukri": 'The field "Industry" must have a value.',
        "location": 'The field "Location" must have a value.',
    }
    fr = hapi.post("/campaigns/order", body, headers={"Accept-Language": "fr"}).json()
    assert fr["orderedProductsSpecs"][0]["posting_requirements"]["location"] == (
        "Le champ « Lieu » doit avoir une valeur."
    )


def test_spec_errors(hapi, other_hapi):
    naukri = hapi.create_contract(NAUKRI)
    foreign = other_hapi.create_contract(INDEED)
    body = hapi.order_body(
        (naukri, NAUKRI_REQUIREMENTS, {"utm": "not a utm", "postingDurationDays": 3}), (foreign, {})
    )
    errors = hapi.order(body, expect=422)
    assert set(errors["orderedProductsSpecs"][0]) == {"utm", "postingDurationDays"}
    assert errors["orderedProductsSpecs"][1] == {"contractId": ["Contract not found."]}
    body = hapi.order_body((naukri, NAUKRI_REQUIREMENTS))
    body["orderedProductsSpecs"] = []
    assert "orderedProducts" in hapi.order(body, expect=422)
    body["orderedProducts"] = []
    assert hapi.order(body, expect=422)["orderedProducts"] == [
        "An Order must have at least 1 orderedProduct"
    ]


def test_contract_with_errors_cannot_be_ordered(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    sandbox.set_contract_errors(contract["contract_id"], ["The board account is inactive."])
    shown = hapi.get(f"/contracts/single/{contract['contract_id']}/").json()
    assert shown["errors"] == ["The board account is inactive."]
    errors = hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)), expect=422)
    assert "inactive" in errors["orderedProductsSpecs"][0]["contractId"][0]
    sandbox.set_contract_errors(contract["contract_id"], [])
    hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)))


def test_contract_errors_are_worded_in_the_askers_language(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    path = f"/contracts/single/{contract['contract_id']}/"
    sandbox.set_contract_errors(
        contract["contract_id"],
        [{"en": "Invalid credentials.", "fr": "Identifiants invalides."}, "Code 7."],
    )
    french = {"Accept-Language": "fr"}
    assert hapi.get(path).json()["errors"] == ["Invalid credentials.", "Code 7."]
    assert hapi.get(path, headers=french).json()["errors"] == ["Identifiants invalides.", "Code 7."]
    summary = hapi.get("/contracts/", headers=french).json()["results"][0]
    assert summary["errors"] == ["Identifiants invalides.", "Code 7."]
    errors = hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)), expect=422)
    assert "Invalid credentials.; Code 7." in errors["orderedProductsSpecs"][0]["contractId"][0]
    refused = sandbox.session.post(
        f"{sandbox.url}/_sandbox/contracts/{contract['contract_id']}/errors",
        json={"errors": [{"fr": "Sans anglais."}]},
        timeout=10,
    )
    assert refused.status_code == 400  # the English words are the reference: required


def test_contracts_from_different_groups_are_403(hapi):
    naukri = hapi.create_contract(NAUKRI)
    group = hapi.create_group("Other")
    indeed = hapi.create_contract(INDEED, group_id=group["id"])
    response = hapi.post(
        "/campaigns/order", hapi.order_body((naukri, NAUKRI_REQUIREMENTS), (indeed, {}))
    )
    assert response.status_code == 403
    assert "error" in response.json()
    same_group = hapi.create_contract(NAUKRI, group_id=group["id"])
    hapi.order(hapi.order_body((same_group, NAUKRI_REQUIREMENTS), (indeed, {})))


def test_identical_order_soon_after_is_refused(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    hapi.order(body)
    again = hapi.order(body, expect=422)
    assert "identical order" in again["orderReference"][0]
    assert sandbox.stats()["orders_by_reference"][body["orderReference"]] == 1
    hapi.order({**body, "orderReference": body["orderReference"] + "-2"})


@both_profiles
def test_validate_only_and_validate_campaign(hapi, sandbox):
    contract = hapi.create_contract(NAUKRI)
    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    assert hapi.order(body, expect=200, query="?validateOnly=true") == {
        "errors": {"orderedProductsSpecs": [{}]},
        "has_errors": False,
    }
    assert sandbox.stats()["orders_total"] == 0
    valid = hapi.post("/campaigns/validate-campaign/", {"campaign": body})
    assert valid.status_code == 200
    assert valid.json()["errors"] == {"orderedProductsSpecs": [{}]}
    assert valid.json()["has_errors"] is False
    body["postingDetails"]["title"] = ""
    hapi.order(body, expect=422, query="?validateOnly=true")
    invalid = hapi.post("/campaigns/validate-campaign/", {"campaign": body})
    # 422 in the guides, 200 in the OpenAPI document; the same {errors, has_errors}.
    assert invalid.status_code == (422 if sandbox.profile == "guides" else 200)
    assert invalid.json()["has_errors"] is True
    assert invalid.json()["errors"]["postingDetails"]["title"]
    if sandbox.profile == "openapi":
        assert invalid.json()["status_code"] == 422 and invalid.json()["errorDetails"] == []
    assert hapi.get("/campaigns").json()["total"] == 0


def test_labels_filter_and_paging(hapi, other_hapi):
    contract = hapi.create_contract(NAUKRI)
    ids = []
    for n in range(3):
        body = hapi.order_body(
            (contract, NAUKRI_REQUIREMENTS), labels={"jobcast": "yes", "job": f"job-{n}"}
        )
        ids.append(hapi.order(body)["campaignId"])
    found = hapi.get("/campaigns?label[job]=job-1").json()
    assert [c["campaignId"] for c in found["data"]] == [ids[1]]
    assert hapi.get("/campaigns?label[job]=job-1&label[jobcast]=no").json()["total"] == 0
    everything = hapi.get("/campaigns?label[jobcast]=yes").json()
    assert everything["total"] == 3
    assert [c["campaignId"] for c in everything["data"]] == ids[::-1]  # createdOn.desc
    page = hapi.get("/campaigns?limit=2&offset=2&sortBy=createdOn.asc").json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 2)
    assert [c["campaignId"] for c in page["data"]] == [ids[2]]
    assert page["meta"]["previous"] == "/campaigns?limit=2&offset=0" and page["meta"]["next"] == ""
    assert other_hapi.get("/campaigns").json()["total"] == 0
    assert other_hapi.get(f"/campaigns/{ids[0]}").status_code == 404
    assert hapi.get("/campaigns?sortBy=sideways").status_code == 400


@both_profiles
def test_modified_on_filter_and_sort(hapi, sandbox):
    first, contract, _ = hapi.naukri_campaign()
    # modifiedOn has millisecond precision: order the second once the clock has moved on.
    first_modified = hapi.campaign(first)["modifiedOn"]
    deadline = time.monotonic() + 5
    while sandbox.session.get(f"{sandbox.url}/_sandbox/clock").json()["now"] <= first_modified:
        assert time.monotonic() < deadline
    second = hapi.order(hapi.order_body((contract, NAUKRI_REQUIREMENTS)))["campaignId"]
    mark = hapi.campaign(second)["modifiedOn"]
    # Each profile honours one spelling; the other is an unknown parameter, ignored.
    honoured, ignored = ("modifiedOn_gte", "modifiedOn.gte")
    if sandbox.profile == "openapi":
        honoured, ignored = ignored, honoured
    found = hapi.get(f"/campaigns?{honoured}={quote(mark)}&sortBy=modifiedOn.asc").json()
    assert [c["campaignId"] for c in found["data"]] == [second]
    unfiltered = hapi.get(f"/campaigns?{ignored}={quote(mark)}&sortBy=modifiedOn.asc").json()
    assert [c["campaignId"] for c in unfiltered["data"]] == [first, second]
    sandbox.edit_campaign(first, hapi.customer_id, status="online")
    found = hapi.get(f"/campaigns?{honoured}={quote(mark)}&sortBy=modifiedOn.asc").json()
    assert [c["campaignId"] for c in found["data"]] == [second, first]
    newest_first = hapi.get(f"/campaigns?{honoured}={quote(mark)}&sortBy=modifiedOn.desc")
    assert [c["campaignId"] for c in newest_first.json()["data"]] == [first, second]
    zulu = mark.replace("+00:00", "Z")
    assert hapi.get(f"/campaigns?{honoured}={zulu}").json()["total"] == 2
    assert hapi.get(f"/campaigns?{honoured}=2000-01-01").json()["total"] == 2
    assert hapi.get(f"/campaigns?{honoured}=yesterday").status_code == 400
    assert hapi.get(f"/campaigns?{ignored}=yesterday").status_code == 200
    # A service that knows neither spelling (a test switch) answers everything.
    sandbox.ignore_date_filters()
    future = "2999-01-01T00:00:00Z"
    assert hapi.get(f"/campaigns?{honoured}={future}").json()["total"] == 2


def test_oauth_board_order(hapi):
    token = connect_linkedin(hapi)
    contract = hapi.create_contract(LINKEDIN, credentials={"access_token": token})
    body = hapi.order_body((contract, {"company-page-url": "not-a-url"}))
    problems = hapi.order(body, expect=422)["orderedProductsSpecs"][0]["posting_requirements"]
    assert problems == {"company-page-url": "Enter a valid URL."}
    body = hapi.order_body((contract, {"company-page-url": "https://linkedin.com/company/x"}))
    hapi.order(body)


def test_the_company_page_must_be_an_http_url_on_a_real_host(hapi):
    contract = hapi.create_contract(LINKEDIN, credentials={"access_token": connect_linkedin(hapi)})
    refused = [
        "+33 1 23 45 67 89",
        "linkedin.com/company/x",
        "ftp://linkedin.com/company/x",
        "javascript:alert(1)",
        "https://",
        "https://linked in.com/company/x",
        "https://<b>linkedin</b>.com/company/x",
        "https://-linkedin-.com/company/x",
        "https://linkedin..com/company/x",
        "https://linkedin.com:99999/company/x",
        'https://linkedin.com/company/"x"',
    ]
    for value in refused:
        body = hapi.order_body((contract, {"company-page-url": value}))
        answer = hapi.order(body, expect=422, query="?validateOnly=true")
        problems = answer["orderedProductsSpecs"][0]["posting_requirements"]
        assert problems == {"company-page-url": "Enter a valid URL."}, value
    accepted = [
        "https://www.linkedin.com/company/acme-talent/?viewAsMember=true#about",
        "http://localhost:8000/company/x",
        "https://127.0.0.1/company/x",
        "https://bücher.example/société",
    ]
    for value in accepted:
        body = hapi.order_body((contract, {"company-page-url": value}))
        assert hapi.order(body, expect=200, query="?validateOnly=true")["has_errors"] is False
