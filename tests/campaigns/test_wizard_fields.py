"""Every facet the provider's documentation shows becomes a working form field (the
documented examples kept in ``tests/provider_docs/examples/`` are the test data), and the
display rules that the examples combine hold on the server as the guides describe them."""

import json
from pathlib import Path

import pytest
from django import forms

from campaigns.services.requirements import order_value, requirement_values
from campaigns.wizard.facets import RequirementsForm, SuggestionField, facet_field
from distribution.messages.facets import Facet, FacetType

EXAMPLES = Path(__file__).resolve().parents[1] / "provider_docs" / "examples"
FACET_EXAMPLES = sorted(EXAMPLES.glob("facet.*.json"))


def _body(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))["body"]


@pytest.mark.parametrize("path", FACET_EXAMPLES, ids=lambda p: p.stem)
def test_each_documented_facet_renders_as_a_field(path):
    facet = Facet.from_dict(_body(path))
    field = facet_field(facet)
    if facet.type == FacetType.STATISCH:
        assert field is None  # display-only: shown as text, never sent
        return
    assert field is not None
    if facet.options_on_demand:
        assert isinstance(field, SuggestionField)  # options come from the provider
    form = RequirementsForm(facets=[facet], contract=None, prefix="req1")
    assert f'name="req1-{facet.name}' in str(form)


def test_areacount_and_questionnaire_have_their_own_fields_and_values():
    count = Facet.from_dict(_body(EXAMPLES / "facet.type-areacount.guides-facets.json"))
    assert isinstance(facet_field(count), forms.IntegerField)
    assert order_value(count, 3) == "3"
    questions = Facet(name="screening", label="Screening", type=FacetType.QUESTIONNAIRE)
    sent = json.loads(order_value(questions, "Work permit?\n\nStart date?"))
    assert [q["question"] for q in sent] == ["Work permit?", "Start date?"]


def test_selected_option_show_contains_reveals_only_what_the_option_lists():
    facets = [
        Facet.from_dict(item)
        for item in _body(EXAMPLES / "facets.selected-option-show-contains.guides-facets.json")
    ]
    controlling = next(f for f in facets if any(o.show for o in f.options))
    option = next(o for o in controlling.options if o.show)
    revealed = next(f for f in facets if f.name in option.show)
    other = next(o for o in controlling.options if revealed.name not in o.show)
    native = {controlling.name: option.key, revealed.name: "x"}
    assert revealed.name in requirement_values(facets, native)
    native[controlling.name] = other.key
    assert revealed.name not in requirement_values(facets, native)


def test_a_picked_suggestion_reveals_what_its_show_list_names():
    tier = Facet.from_dict(
        {"name": "tier", "label": "Tier", "type": "SELECT", "options": [],
         "autocomplete": {"required_parameters": None, "parameters_source": None}}
    )  # fmt: skip
    brand = Facet.from_dict(
        {"name": "brand", "label": "Brand", "type": "TEXT",
         "display_rules": {"show": [{"facet": "tier", "op": "notempty", "value": None},
                                    {"facet": "tier", "op": "selected_option_show_contains",
                                     "value": None}]}}
    )  # fmt: skip
    branded = {"tier": {"key": "b", "label": "Branded", "show": ["brand"]}, "brand": "ACME"}
    assert requirement_values([tier, brand], branded) == {"tier": "b", "brand": "ACME"}
    basic = {"tier": {"key": "a", "label": "Basic", "show": []}, "brand": "ACME"}
    assert requirement_values([tier, brand], basic) == {"tier": "a"}


def test_an_undocumented_type_still_gets_a_field():
    odd = Facet.from_dict({"name": "odd", "label": "Odd", "type": "RADIO",
                           "options": [{"key": "a", "label": "A"}]})  # fmt: skip
    assert isinstance(facet_field(odd), forms.ChoiceField)
    plain = Facet.from_dict({"name": "plain", "label": "Plain", "type": "SLIDER"})
    assert isinstance(facet_field(plain), forms.CharField)
