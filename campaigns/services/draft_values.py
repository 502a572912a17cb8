"""The Target group step's values as a draft keeps them (JSON): a taxonomy term by its id, a
decimal as a string, codes in capitals. The wizard's form and the demo data both write
drafts this way."""

from decimal import Decimal

from distribution.models import TaxonomyTerm


def values_to_json(values: dict) -> dict:
    result = {}
    for name, value in values.items():
        if isinstance(value, TaxonomyTerm):
            value = value.pk
        elif isinstance(value, Decimal):
            value = str(value)
        elif name in ("country", "salary_currency") and isinstance(value, str):
            value = value.upper()
        result[name] = value
    return result
