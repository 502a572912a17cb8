"""A fuzzer over every route and every form, as an anonymous visitor, a recruiter and an
admin (and support staff on the support desk and the organisation form of the admin).

For each route (found by walking the URL resolver, with the URL sweep's registry to build
its objects) the page is opened; every same-site form on it is submitted with hostile values
(long and unicode strings, control characters, markup, numbers out of range, invalid dates
and emails, foreign and malformed ids, missing and repeated fields, wrong file types) and
the query string is fuzzed. The test fails on any 5xx (or exception), on any payload
reflected without escaping, and if an object of the other organisation changed.

Bounded for CI: per form, markup in every field, values aimed at each field's type, control
characters, and two random mixes; per page, the same for its query string plus one random
one. ``make fuzz`` runs twenty times as many random ones (``JOBCAST_FUZZ_ROUNDS``),
``JOBCAST_FUZZ_SEED`` picks another seed. Every test builds its
own data, so the tests run in parallel workers too.
"""

import zlib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from tests.factories import AdminMembershipFactory, MembershipFactory, StaffUserFactory
from tests.security.fuzzing import (
    Form,
    FormField,
    Upload,
    form_variants,
    forms_of,
    query_variants,
    rng_for,
    same_site,
    unescaped_reflections,
)
from tests.test_url_sweep import STAFF_NAMESPACES, Route, _url, all_routes
from tests.url_sweep_registry import OBJECT_MAKERS

ROUTES = [r for r in all_routes() if r.namespace not in STAFF_NAMESPACES]
STAFF_ROUTES = [r for r in all_routes() if r.namespace == "supportdesk"] + [
    r
    for r in all_routes()
    if r.name in ("admin:accounts_organization_add", "admin:accounts_organization_change")
]
# Objects of the other organisation whose ids are slipped into forms and query strings.
FOREIGN_KEYWORDS = ("job_id", "group_id", "contract_id", "campaign_id", "member_id", "draft_id")


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self, what: str, response, tokens: set[str]) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.problems.append(f"{what}: HTTP {response.status_code}")
        for reflected in unescaped_reflections(response, tokens):
            self.problems.append(f"{what}: unescaped {reflected!r}")


class Visitor:
    """A client that is (again) logged in as ``user`` before every request: a fuzzed form
    may log it out or deactivate someone."""

    def __init__(self, user):
        self.user = user
        self.client = Client(raise_request_exception=True)

    def request(self, method: str, url: str, data=None):
        if self.user is not None:
            self.client.force_login(self.user)
        try:
            if method == "get":
                return self.client.get(url, data or {})
            return self.client.post(url, data or {})
        except Exception as error:  # a 500: reported with the others, not the first only
            return _Crash(error)


class _Crash:
    status_code = 500

    def __init__(self, error):
        self.error = error

    def get(self, name, default=""):
        return default


def _as_post_data(data: dict) -> dict:
    ready = {}
    for name, value in data.items():
        if isinstance(value, Upload):
            value = SimpleUploadedFile(value.name, value.content, value.content_type)
        ready[name] = value
    return ready


def _snapshot(objects) -> str:
    return serializers.serialize("json", [type(o).objects.get(pk=o.pk) for o in objects])


def _route_url(route: Route, org) -> str:
    if route.namespace == "admin":  # the organisation's own page in the support admin
        return reverse(route.name, args=[org.pk] if route.keywords else [])
    try:
        return _url(route, org)[0]
    except NoReverseMatch:
        pytest.fail(f"{route.name}: cannot build its URL; add its keywords to the registry")


def _fuzz(route: Route, visitor: Visitor, org, foreign_objects, findings: Findings, role: str):
    url = _route_url(route, org)
    foreign_ids = [str(o.pk) for o in foreign_objects]
    rng = rng_for(route.name, role)
    page = visitor.request("get", url) if route.accepts_get() else None
    forms, query_names = [], []
    if page is not None:
        findings.check(f"GET {url}", page, set())
        if getattr(page, "content", None) and "text/html" in page.get("Content-Type", ""):
            forms = forms_of(page.content.decode("utf-8", "replace"), url)
    if not forms and not route.accepts_get():
        forms = [_blind_form(url)]  # POST-only routes: fuzz the names they may read
    for number, form in enumerate(forms):
        if not same_site(form.action):
            continue
        action = urlsplit(form.action).path or url
        token = f"{zlib.crc32(route.name.encode()) % 10_000}f{number}"
        if form.method == "get":
            query_names += [f.name for f in form.fields]
            continue
        for data, variant_token in form_variants(form, rng, token, foreign_ids):
            response = visitor.request("post", action, _as_post_data(data))
            findings.check(f"POST {action} {sorted(data)}", response, {variant_token})
            location = getattr(response, "get", lambda *a: "")("Location", "")
            if response.status_code in (301, 302, 303) and same_site(location):
                follow = visitor.request("get", location)
                findings.check(f"GET {location} after POST {action}", follow, {variant_token})
    if route.accepts_get():
        token = f"{zlib.crc32(route.name.encode()) % 10_000}q"
        for params, variant_token in query_variants(query_names, rng, token, foreign_ids):
            full = f"{url}?{urlencode(params)}"
            findings.check(f"GET {full}", visitor.request("get", full), {variant_token})


def _blind_form(url: str) -> Form:
    names = ["role", "name", "body", "q", "channel", "group", "contract", "page", "next"]
    return Form("post", url, True, [FormField(name, "text") for name in names])


def _foreign_objects(other_org):
    return [OBJECT_MAKERS[keyword](other_org) for keyword in FOREIGN_KEYWORDS]


def _report(findings: Findings, who: str) -> None:
    assert findings.requests > 0
    assert not findings.problems, f"{who}:\n" + "\n".join(findings.problems[:40])


def _route_ids(routes):
    return [route.name for route in routes]


@pytest.mark.parametrize("role", ["anonymous", "recruiter", "admin"])
@pytest.mark.parametrize("route", ROUTES, ids=_route_ids(ROUTES))
def test_fuzz_every_route_and_form(route, role, org, other_org, provider):
    org.my_own_contracts_enabled = True  # so that the contract pages show their forms
    org.save()
    user = {
        "anonymous": lambda: None,
        "recruiter": lambda: MembershipFactory(organization=org, role=Role.RECRUITER).user,
        "admin": lambda: AdminMembershipFactory(organization=org).user,
    }[role]()
    foreign = _foreign_objects(other_org)
    before = _snapshot(foreign)
    findings = Findings()
    _fuzz(route, Visitor(user), org, foreign, findings, role)
    _report(findings, f"{role} on {route.name}")
    assert _snapshot(foreign) == before, "an object of another organisation changed"


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=_route_ids(STAFF_ROUTES))
def test_fuzz_the_support_desk_and_organisation_form(route, org, other_org, provider):
    findings = Findings()
    staff = Visitor(StaffUserFactory())
    _fuzz(route, staff, org, _foreign_objects(other_org), findings, "staff")
    _report(findings, f"support staff on {route.name}")


def test_the_fuzzer_sees_the_routes_and_their_forms():
    names = set(_route_ids(ROUTES))
    assert {"careers:job", "team", "job_create", "contract_add", "account_signup"} <= names
    assert "supportdesk:request_detail" in _route_ids(STAFF_ROUTES)
    assert "admin:accounts_organization_change" in _route_ids(STAFF_ROUTES)
    assert reverse("account_login")
