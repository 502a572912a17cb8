"""The channel catalogue, posting requirements (facets) and taxonomies."""

from conftest import LINKEDIN, NAUKRI, VDAB, ZOO, Hapi

from sandbox import catalogue, facet_sets, facets
from tests.fixtures.sandbox import SandboxProcess, _flag

FAMOUS = {
    1001: "Naukri",
    1002: "Bayt",
    1003: "Computrabajo",
    1004: "LinkedIn",
    1005: "Indeed",
    1006: "StepStone",
    1007: "SEEK",
    1008: "XING",
    1009: "InfoJobs",
    1010: "VDAB",
    1011: "Monster",
    1012: "Glassdoor",
}


def all_channels(hapi, **params):
    results, path = [], "/products/channels/mocs/?limit=1000"
    for key, value in params.items():
        path += f"&{key}={value}"
    url = hapi.url + path
    while url:
        page = hapi.session.get(url, timeout=10).json()
        results += page["results"]
        url = page["next"]
    return results


def test_catalogue_size_and_paging(hapi):
    first = hapi.get("/products/channels/mocs/?limit=10&offset=0").json()
    assert first["count"] == 3000
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert "offset=10" in first["next"]
    second = hapi.session.get(first["next"], timeout=10).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert "offset=0" in second["previous"]
    everything = all_channels(hapi)
    assert len(everything) == 3000
    assert len({c["id"] for c in everything}) == 3000


def test_catalogue_is_deterministic():
    one = catalogue.Catalogue(30000, "http://a")
    two = catalogue.Catalogue(30000, "http://b")
    assert [(c.id, c.name, c.product_id) for c in one.channels] == [
        (c.id, c.name, c.product_id) for c in two.channels
    ]
    assert len(one.channels) == 30000
    assert len({c.name for c in one.channels}) == 30000
    assert len({c.country for c in one.channels}) >= 40
    assert one.by_id[10000].name == "Bright Jobs Netherlands"


def test_famous_boards_have_fixed_ids(hapi):
    for channel_id, name in FAMOUS.items():
        assert hapi.channel(channel_id)["name"] == name


def test_search_is_case_insensitive_substring(hapi):
    names = [c["name"] for c in all_channels(hapi, search="nAuK")]
    assert names == ["Naukri"]
    careers = all_channels(hapi, search="CAREERS")
    assert careers and all("careers" in c["name"].lower() for c in careers)
    by_ids = hapi.get("/products/channels/mocs/?channel_ids=1001,1004").json()
    assert [c["id"] for c in by_ids["results"]] == [1001, 1004]


def test_list_item_shape(hapi):
    item = hapi.get("/products/channels/mocs/?search=Naukri").json()["results"][0]
    assert set(item) >= {"id", "name", "url", "type", "mc_enabled", "logo_url"}
    assert item["logo_url"][0]["url"].endswith("/_sandbox/logos/1001.svg")
    logo = hapi.session.get(item["logo_url"][0]["url"], timeout=5)
    assert logo.headers["Content-Type"] == "image/svg+xml" and b"<svg" in logo.content


def test_credential_kinds(hapi):
    naukri = hapi.channel(NAUKRI)
    assert [c["name"] for c in naukri["contract_credentials"]] == ["username", "password"]
    assert all("url" not in c and "options" not in c for c in naukri["contract_credentials"])
    assert naukri["product"]["product_id"]
    assert hapi.channel(1005)["contract_credentials"][0]["name"] == "api_key"
    select = hapi.channel(1006)["contract_credentials"][0]
    assert [o["key"] for o in select["options"]] == ["standard", "premium", "enterprise"]
    oauth = hapi.channel(LINKEDIN)["contract_credentials"][0]
    assert oauth["url"] == f"{hapi.url}/_sandbox/oauth/consent?channel_id=1004"


def test_manual_setup_board_carries_html_with_script(hapi):
    vdab = hapi.channel(VDAB)
    assert vdab["manual_setup_required"] is True
    assert "<script>" in vdab["setup_instructions"]
    assert "onclick" in vdab["setup_instructions"]
    assert hapi.channel(NAUKRI)["manual_setup_required"] is False
    assert hapi.channel(NAUKRI)["setup_instructions"] == ""


def test_famous_requirements_are_small(hapi):
    naukri = {f["name"]: f for f in hapi.channel(NAUKRI)["posting_requirements"]}
    assert naukri["industry-naukri"]["type"] == "SELECT" and naukri["industry-naukri"]["required"]
    assert naukri["location"]["type"] == "AUTOCOMPLETE"
    assert naukri["location"]["autocomplete"] == {
        "required_parameters": ["term"],
        "parameters_source": None,
    }
    linkedin = {f["name"]: f for f in hapi.channel(LINKEDIN)["posting_requirements"]}
    assert linkedin["company-page-url"]["required"] is True
    assert linkedin["company-page-url"]["rules"] == [{"rule": "url", "data": ""}]


def test_zoo_board_covers_every_type_rule_and_display_operator(hapi):
    zoo = hapi.channel(ZOO)["posting_requirements"]
    assert {f["type"] for f in zoo} == {
        "TEXT",
        "TEXTAREA",
        "HTMLAREA",
        "TEXTEXPAND",
        "SELECT",
        "MULTIPLE",
        "HIER",
        "AUTOCOMPLETE",
        "DATE",
        "STATISCH",
        "AREACOUNT",
        "QUESTIONNAIRE",
    }
    assert {r["rule"] for f in zoo for r in f["rules"]} == {
        "maxlength",
        "minlength",
        "maxitems",
        "minitems",
        "int",
        "float",
        "regex",
        "date",
        "email",
        "url",
    }
    ops = {c["op"] for f in zoo if f["display_rules"] for c in f["display_rules"]["show"]}
    assert ops == {"equal", "in", "notempty", "contains", "selected_option_show_contains"}
    by_name = {f["name"]: f for f in zoo}
    # A lazy-loaded SELECT whose options depend on two facets, and one depending on one.
    assert by_name["ad_tier"]["options"] == []
    assert by_name["ad_tier"]["autocomplete"] == {
        "required_parameters": ["term", "term"],
        "parameters_source": {"term": [{"facet": "headline"}, {"facet": "location"}]},
    }
    assert by_name["district"]["autocomplete"]["parameters_source"] == {
        "term": {"facet": "location"}
    }
    hier = next(f for f in zoo if f["type"] == "HIER")
    assert any(o["parent"] is None for o in hier["options"])
    assert any(o["parent"] for o in hier["options"])
    for f in zoo:
        assert set(f) == {
            "name",
            "label",
            "sort",
            "required",
            "type",
            "message",
            "options",
            "rules",
            "autocomplete",
            "display_rules",
        }
        assert isinstance(f["sort"], str)


def test_french_labels(hapi):
    fr = hapi.channel(ZOO, lang="fr")
    labels = {f["name"]: f["label"] for f in fr["posting_requirements"]}
    assert labels["contract_type"] == "Type de contrat"
    options = next(f for f in fr["posting_requirements"] if f["name"] == "contract_type")
    assert options["options"][1]["label"] == "Temps partiel"
    assert hapi.channel(NAUKRI, lang="fr")["contract_credentials"][1]["label"] == "Mot de passe"


def test_taxonomies(hapi):
    def industries(lang="en", **query):
        return hapi.get(
            "/products/industries/", headers={"Accept-Language": lang}, params=query
        ).json()

    # Alphabetical, paged with limit/offset: 50 by default, at most 100 a page.
    assert len(industries()) == 50
    assert len(industries(limit=500)) == 100
    everything = industries(limit=100) + industries(limit=100, offset=100)
    assert len(everything) == 116 == len({i["id"] for i in everything})
    names = [i["name"] for i in everything]
    assert names == sorted(names, key=str.casefold)
    assert {"id": 14, "name": "Information Technology"} in everything
    fr = industries("fr", limit=100) + industries("fr", limit=100, offset=100)
    assert {"id": 14, "name": "Informatique"} in fr
    tree = hapi.get("/products/job-functions/").json()
    engineering = next(n for n in tree if n["id"] == 2)
    assert engineering["children"][0]["children"][0] == {
        "id": 211,
        "name": "Backend Development",
        "children": [],
    }
    education = hapi.get("/taxonomy/education-levels").json()
    assert [e["id"] for e in education] == [1, 2, 3, 4]
    assert education[0]["name"] == [
        {"languageCode": "en", "value": "Master / PhD"},
        {"languageCode": "fr", "value": "Master / Doctorat"},
    ]
    seniority = hapi.get("/taxonomy/seniority").json()
    assert [s["id"] for s in seniority] == [1, 2, 3, 4, 5]
    assert seniority[3]["name"][0]["value"] == "Entry level / Graduate"


def test_display_rules_evaluate_with_and_logic_and_cascade():
    by_name = {f["name"]: f for f in facet_sets.ZOO}
    salary_text = by_name["salary_text"]
    assert facets.visible(salary_text, by_name, {"salary_visible": "1"})
    assert not facets.visible(salary_text, by_name, {"salary_visible": "0"})
    notes = by_name["remote_notes"]
    assert facets.visible(notes, by_name, {"remote_policy": "hybrid"})
    assert not facets.visible(notes, by_name, {"remote_policy": "onsite"})
    assert facets.visible(by_name["rate_unit"], by_name, {"hourly_rate": "12.5"})
    assert not facets.visible(by_name["rate_unit"], by_name, {"hourly_rate": ""})
    assert facets.visible(by_name["apply_email"], by_name, {"apply_method": ["URL", "EMAIL"]})
    assert not facets.visible(by_name["apply_email"], by_name, {"apply_method": ["URL"]})
    # selected_option_show_contains reads the "show" list of the option selected.
    assert facets.visible(by_name["brand_id"], by_name, {"ad_tier": "branded"})
    assert not facets.visible(by_name["brand_id"], by_name, {"ad_tier": "basic"})
    assert not facets.visible(by_name["brand_id"], by_name, {})


def test_regex_rules_use_delimiters_and_flags():
    assert facets.compile_regex("/^[a-z]{2}-[0-9]{4}$/i").search("AB-1234")
    assert not facets.compile_regex("/^[a-z]{2}$/").search("AB")


def test_channels_flag_sets_the_catalogue_size():
    with SandboxProcess("--channels", "100") as sb:
        hapi = Hapi(sb, "sizing")
        page = hapi.get("/products/channels/mocs/?limit=1&offset=99").json()
        assert page["count"] == 100
        assert (
            page["results"][0]["id"]
            == catalogue.FIRST_GENERATED_ID + 100 - len(catalogue.FAMOUS) - 1
        )


def test_fixture_reads_its_clock_flags():
    assert _flag(["--online-after", "3", "--day-seconds=9"], "--online-after", 30) == "3"
    assert _flag(["--online-after", "3", "--day-seconds=9"], "--day-seconds", 1) == "9"
    assert _flag([], "--online-after", 30) == 30
    process = SandboxProcess("--online-after", "4", "--day-seconds", "2")
    assert (process.online_after, process.day_seconds) == (4.0, 2.0)


def test_a_feed_board_names_its_job_feed_and_the_others_none(hapi):
    """``notes.md``: a board that publishes from a per-customer feed says where, in
    ``feed_url``; every other board answers ``null``."""
    feed = hapi.get(
        "/products/channels/mocs/1030/", headers={"X-Customer-Id": "cust-feed-1"}
    ).json()
    assert feed["feed_url"].endswith("/_sandbox/feeds/cust-feed-1/1030.xml")
    assert hapi.channel(ZOO)["feed_url"] is None


def test_id_offset_keeps_the_boards_and_names_with_other_ids():
    plain = catalogue.Catalogue(60, "http://sb")
    shifted = catalogue.Catalogue(60, "http://sb", id_offset=70000)
    assert [c.name for c in plain.channels] == [c.name for c in shifted.channels]
    assert [c.id + 70000 for c in plain.channels] == [c.id for c in shifted.channels]
    assert shifted.by_id[71004].name == "LinkedIn" and 1004 not in shifted.by_id
    assert shifted.details(shifted.by_id[71004], "en")["id"] == 71004
