"""A known secret saved through the UI never appears in clear in the database (every column
of every table, sessions decoded), in the logs, or in any HTML response."""

import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.conftest import LINKEDIN, sandbox_consent

pytestmark = pytest.mark.django_db

CANARY = "Canary-Pa55-zq81x"
CANARY_EDITED = "Canary-Edit-77kq"


def _every_stored_value():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, str(value)
    for session in Session.objects.all():
        yield "django_session (decoded)", str(session.get_decoded())


def _nonce(html):
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def test_the_secret_never_leaks(provider, admin_client, enabled_org, boards, caplog):
    caplog.set_level(logging.DEBUG)
    pages = []

    def get(url, **params):
        response = admin_client.get(url, params)
        pages.append(response.content.decode())
        return response

    def post(url, data):
        response = admin_client.post(url, data)
        pages.append(response.content.decode())
        return response

    naukri = boards["naukri"]
    html = get(reverse("contract_add"), channel=naukri.pk).content.decode()
    base = {"channel": naukri.pk, "group": "new", "new_group_name": "India"}
    # A first attempt while the provider is down: the error page must not echo the secret.
    provider.add_fault(kind="error", method="POST", path="/contracts/", status=502, times=1)
    data = {**base, "nonce": _nonce(html), "cred_username": "acme-in", "cred_password": CANARY}
    assert post(reverse("contract_add"), data).status_code == 400
    assert post(reverse("contract_add"), data).status_code == 302
    contract = Contract.objects.get()
    get(reverse("contract_list"))
    get(reverse("contract_detail", args=[contract.pk]))
    edited = {"alias": "Edited", "cred_username": "", "cred_password": CANARY_EDITED}
    assert post(reverse("contract_detail", args=[contract.pk]), edited).status_code == 302
    get(reverse("contract_detail", args=[contract.pk]))

    # An OAuth token: through the consent page, into the session, then saved.
    html = get(reverse("contract_add"), channel=boards["linkedin"].pk).content.decode()
    group = re.search(r'<option value="(\d+)"', html).group(1)
    start = admin_client.post(
        reverse("contract_oauth_start"),
        {
            "channel": boards["linkedin"].pk,
            "nonce": _nonce(html),
            "group": group,
            "connect": "access_token",
        },
    )
    callback = parse_qs(urlsplit(start["Location"]).query)["callbackUrl"][0]
    back = sandbox_consent(provider, LINKEDIN, callback)
    token = parse_qs(back.query)["hash"][0]
    returned = admin_client.get(f"{back.path}?{back.query}")
    html = get(returned["Location"]).content.decode()
    for table, value in _every_stored_value():  # the token waits in the session, encrypted
        assert token not in value, f"OAuth token in clear in {table}"
    draft = re.search(r'name="draft" value="([^"]+)"', html).group(1)
    assert (
        post(
            reverse("contract_add"),
            {
                "channel": boards["linkedin"].pk,
                "nonce": _nonce(html),
                "draft": draft,
                "group": group,
            },
        ).status_code
        == 302
    )
    get(reverse("contract_list"))

    secrets = [CANARY, CANARY_EDITED, token]
    for table, value in _every_stored_value():
        for secret in secrets:
            assert secret not in value, f"a secret in clear in {table}"
    for secret in secrets:
        assert secret not in caplog.text
        for page in pages:
            assert secret not in page
    assert Contract.objects.count() == 2  # and the secrets really were saved, encrypted
