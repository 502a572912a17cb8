"""Suggestions for a board field whose options the provider gives on demand, for the
wizard and for a contract's default values alike (an htmx partial's context)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.services.requirements import board_facets
from campaigns.wizard.facets import LABEL_SUFFIX, needs_typing
from distribution.client import provider_client
from distribution.errors import ProviderError


def suggestions_context(request, *, contract, prefix: str, vacancy: dict) -> dict:
    """Options of the field named by ``facet`` in the query, for ``contract`` (None: no
    suggestions). ``prefix`` is the form's field prefix: a dependent field's request carries
    the values it depends on under it; ``vacancy`` the job's values some terms are built
    from."""
    facet_name = request.GET.get("facet", "")
    typed = str(
        request.GET.get("term") or request.GET.get(prefix + facet_name + LABEL_SUFFIX) or ""
    )
    typed = typed.strip()
    context = {"options": [], "message": "", "list_id": f"id_{prefix}{facet_name}"}
    facets = board_facets(contract, language=get_language()).facets if contract else []
    by_name = {facet.name: facet for facet in facets}
    facet = by_name.get(facet_name)
    if facet is None or facet.autocomplete is None:
        context["message"] = _("No suggestions for this field.")
        return context
    autocomplete = facet.autocomplete
    values = {name: request.GET.get(prefix + name, "") for name in autocomplete.depends_on}
    term = autocomplete.term(typed=typed, values=values, vacancy=vacancy)
    if term is None:
        missing = [by_name[name].label for name in autocomplete.depends_on if name in by_name]
        context["message"] = _("Fill in %(fields)s first: the suggestions depend on it.") % {
            "fields": ", ".join(missing) or _("the fields above")
        }
    elif needs_typing(autocomplete) and len(typed) < 2:
        context["message"] = _("Type at least two characters.")
    else:
        try:
            client = provider_client(org=request.organization, language=get_language())
            options = client.autocomplete(contract.provider_contract_id, facet.name, term)
        except ProviderError:
            context["message"] = _("Suggestions are unavailable right now. Try again in a moment.")
        else:
            if not autocomplete.typed and typed:
                needle = typed.casefold()
                options = [o for o in options if needle in o.label.casefold()] or options
            context["options"] = options
            if not options:
                context["message"] = _("No match: try another spelling.")
    return context
