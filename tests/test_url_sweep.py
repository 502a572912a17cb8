"""Walks every URL pattern of the project and proves the tenancy and role rules for each.

- anonymous visitors are sent to log in, except on the short public allowlist below;
- for every route that takes an object id, a user of another organisation gets 404 on GET
  and POST and nothing changes, while the owner's organisation can reach it (so the 404
  comes from tenancy, not from a broken route);
- recruiters get 403 on every admin-only route;
- on every page that renders (public ones as a visitor, all as an admin), each label and
  ARIA reference points to an element of the page.

New routes are covered without editing this file: object keywords come from
tests/url_sweep_registry.py, and the admin-only flag from the view's ``required_role``.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.core import serializers
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from tests.campaigns.factories import PostingFactory
from tests.factories import AdminMembershipFactory, MembershipFactory
from tests.url_sweep_registry import OBJECT_MAKERS, PLAIN_VALUES

# Routes anyone may open. Keep it short; everything else requires a login.
PUBLIC_NAME_PREFIXES = ("account_",)  # django-allauth: log in, sign up, password reset
PUBLIC_NAMES = {"healthz", "invitation_accept", "set_language"}
PUBLIC_NAMESPACES = {"careers", "webhooks"}
# Support staff's Django admin has its own login and is checked separately below.
STAFF_NAMESPACES = {"admin", "supportdesk"}


@dataclass
class Route:
    name: str  # with namespaces, ready for reverse()
    namespace: str
    keywords: list[str]
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    @property
    def admin_only(self) -> bool:
        return getattr(self.view_class, "required_role", None) == Role.ADMIN

    @property
    def public(self) -> bool:
        short = self.name.rsplit(":", 1)[-1]
        return (
            self.namespace in PUBLIC_NAMESPACES
            or short in PUBLIC_NAMES
            or short.startswith(PUBLIC_NAME_PREFIXES)
        )

    @property
    def object_keywords(self) -> list[str]:
        return [keyword for keyword in self.keywords if keyword not in PLAIN_VALUES]

    def accepts_get(self) -> bool:
        view_class = self.view_class
        return view_class is None or hasattr(view_class, "get")


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                ":".join(filter(None, [namespace, entry.namespace]))
                if entry.namespace
                else namespace
            )
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def all_routes() -> list[Route]:
    routes = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if not pattern.name:
            continue  # unnamed patterns (e.g. static files in DEBUG) cannot be reversed
        # path() routes name their keywords as converters; re_path() ones (allauth's email
        # links) as named groups of their regex.
        keywords = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        routes.append(Route(name, namespace.split(":")[0], keywords, pattern.callback))
    return routes


ROUTES = [r for r in all_routes() if r.namespace not in STAFF_NAMESPACES]
PRIVATE_ROUTES = [r for r in ROUTES if not r.public]
OBJECT_ROUTES = [r for r in PRIVATE_ROUTES if r.object_keywords]
ADMIN_ROUTES = [r for r in PRIVATE_ROUTES if r.admin_only]


def _ids(routes):
    return [r.name for r in routes]


def _url(route: Route, org) -> tuple[str, list]:
    kwargs, objects = {}, []
    for keyword in route.keywords:
        if keyword in PLAIN_VALUES:
            kwargs[keyword] = PLAIN_VALUES[keyword]
            continue
        maker = OBJECT_MAKERS.get(keyword)
        if maker is None:
            pytest.fail(
                f"{route.name}: add a maker for URL keyword '{keyword}' to "
                "tests/url_sweep_registry.py"
            )
        obj = maker(org)
        objects.append(obj)
        kwargs[keyword] = obj.pk
    return reverse(route.name, kwargs=kwargs), objects


def _snapshot(objects) -> str:
    return serializers.serialize("json", [type(o).objects.get(pk=o.pk) for o in objects])


def test_the_sweep_sees_the_routes():
    names = {r.name for r in ROUTES}
    assert {"dashboard", "team", "member_role", "healthz", "account_login"} <= names
    assert "member_role" in _ids(OBJECT_ROUTES)
    assert "team" in _ids(ADMIN_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=_ids(PRIVATE_ROUTES))
def test_anonymous_visitors_are_sent_to_log_in(client, org, route):
    url, _ = _url(route, org)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_another_organisations_object_is_a_404_and_stays_unchanged(client, org, other_org, route):
    url, objects = _url(route, other_org)  # the objects belong to the other organisation
    before = _snapshot(objects)
    intruder = AdminMembershipFactory(organization=org).user
    client.force_login(intruder)

    if route.accepts_get():
        assert client.get(url).status_code == 404, f"GET {url}"
    else:
        assert client.get(url).status_code == 405, f"GET {url}"
    assert client.post(url, {"role": Role.ADMIN, "name": "x"}).status_code == 404, f"POST {url}"
    assert _snapshot(objects) == before

    # Control: the owner's own admin does not get a 404 on the very same URL.
    owner = AdminMembershipFactory(organization=other_org).user
    client.force_login(owner)
    response = client.get(url) if route.accepts_get() else client.post(url)
    assert response.status_code not in (404, 500), f"owner got {response.status_code} on {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=_ids(ADMIN_ROUTES))
def test_recruiters_get_403_on_admin_pages(client, org, route):
    url, _ = _url(route, org)
    client.force_login(MembershipFactory(organization=org, role=Role.RECRUITER).user)
    assert client.get(url).status_code == 403, f"GET {url}"
    assert client.post(url).status_code == 403, f"POST {url}"


@pytest.mark.django_db
def test_support_admin_requires_staff(client, org):
    url = reverse("admin:index")
    assert client.get(url).status_code == 302
    client.force_login(AdminMembershipFactory(organization=org).user)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


class _IdReferences(HTMLParser):
    """The ids a page defines, and the ids its labels and ARIA attributes point to."""

    REFERENCING = ("aria-describedby", "aria-labelledby", "aria-controls", "for")

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in self.REFERENCING and value and (name != "for" or tag == "label"):
                self.references += [(tag, name, ref) for ref in value.split()]

    def dangling(self) -> list[tuple[str, str, str]]:
        return [ref for ref in self.references if ref[2] not in self.ids]


@pytest.mark.django_db
def test_labels_and_aria_references_point_to_elements_of_every_page(client, org):
    """Screen readers follow these ids: one that points nowhere silently loses a field's
    label, help text or error message. Every page an admin can open is checked."""
    org.my_own_contracts_enabled = True  # so that the contract pages render too
    org.save()
    PostingFactory(campaign__job__organization=org)  # so that the History shows its filters
    admin = AdminMembershipFactory(organization=org).user
    checked, dangling = [], {}
    for visitor in (None, admin):  # public pages as a visitor, then every page as an admin
        if visitor:
            client.force_login(visitor)
        for route in ROUTES:
            if not route.accepts_get() or (visitor is None and not route.public):
                continue
            try:
                url, _ = _url(route, org)
            except NoReverseMatch:
                continue  # django-allauth's regex routes need a token from an email
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue  # redirects, downloads and JSON have no labels
            page = _IdReferences()
            page.feed(response.content.decode())
            checked.append(url)
            if page.dangling():
                dangling[url] = page.dangling()
    # The sweep really rendered the product's pages, public and private.
    assert {"/accounts/login/", "/administration/job-boards/history/"} <= set(checked)
    assert len(checked) >= 30, checked
    assert dangling == {}
