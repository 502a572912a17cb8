"""My Own Contracts pages in people's words, in both languages: the default group's built-in
name, the audit trail's changes by field label (whoever wrote them in whatever language),
channel types, and the help article's labels."""

import pytest
from django.urls import reverse
from django.utils import translation

from contracts.models import ContractAction, ContractEvent
from contracts.templatetags.contracts_ui import channel_type
from tests.contracts.factories import ContractFactory, ContractGroupFactory

pytestmark = pytest.mark.django_db


def test_the_default_group_reads_in_the_current_language(enabled_org):
    default = ContractGroupFactory(organization=enabled_org, name="Default", is_default=True)
    renamed = ContractGroupFactory(organization=enabled_org, name="India")
    with translation.override("fr"):
        assert default.display_name == str(default) == "Groupe par défaut"
        assert renamed.display_name == "India"
    with translation.override("en"):
        assert default.display_name == "Default group"


def test_channel_types_are_translated_and_unknown_ones_kept():
    with translation.override("fr"):
        assert channel_type("job board/social media") == "Site d’emploi / Réseau social"
        assert channel_type("Aggregator") == "Agrégateur"
        assert channel_type("niche board") == "niche board"


def test_the_audit_trail_names_changed_fields_by_label_in_the_readers_language(
    admin_client, enabled_org, provider, boards
):
    contract = ContractFactory(group__organization=enabled_org, channel=boards["naukri"])
    for detail in ("changed: alias, password", "modifié : alias"):  # an English, a French writer
        ContractEvent.objects.create(
            organization=enabled_org,
            contract=contract,
            contract_label=str(contract),
            action=ContractAction.CHANGED,
            detail=detail,
        )
    url = reverse("contract_detail", args=[contract.pk])
    french = admin_client.get(url, headers={"accept-language": "fr"}).text
    assert "changed:" not in french and "modifié :" not in french
    assert "<strong>Modification</strong> (Alias, Mot de passe)" in french
    assert "<strong>Modification</strong> (Alias)" in french
    english = admin_client.get(url).text
    assert "<strong>Changed</strong> (Alias, Password)" in english


def test_french_pages_use_the_help_article_words(admin_client, enabled_org):
    ContractGroupFactory(organization=enabled_org, name="Default", is_default=True)
    html = admin_client.get(reverse("contract_list"), headers={"accept-language": "fr"}).text
    assert "Mes Propres Contrats" in html and "Groupe par défaut" in html
    assert ">Default<" not in html


def test_the_default_group_to_come_is_named_in_the_persons_language(admin_client, enabled_org):
    html = admin_client.get(reverse("contract_list"), headers={"accept-language": "fr"}).text
    assert "Groupe par défaut" in html and ">Default " not in html
