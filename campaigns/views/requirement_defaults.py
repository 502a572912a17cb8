"""A contract's default values for its board's requirements (admins, on the contract's
page). Served by campaigns because the form is the wizard's own (``RequirementsForm``,
built from the same ``Facet`` field builders); the URL sits under the contract's path and
the contract's page shows the section through ``contracts.pages.CONTRACT_PAGE_SECTIONS``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import AdminRequiredMixin
from campaigns.services.requirement_defaults import contract_requirement_defaults_set
from campaigns.services.requirements import board_facets, requirement_rows
from campaigns.views.suggestions import suggestions_context
from campaigns.views.wizard import error_summary
from campaigns.wizard.facets import RequirementsForm, connect_suggestions, initial_from_native
from config.forms import form_add_service_errors
from contracts.views.mixins import ContractMixin, FeatureRequiredMixin

PREFIX = "default"


def defaults_form(contract, data=None) -> RequirementsForm:
    facets = board_facets(contract, language=get_language()).facets
    form = RequirementsForm(
        data,
        facets=facets,
        contract=contract,
        prefix=PREFIX,
        enforce_required=False,
        initial=initial_from_native(facets, contract.requirement_defaults or {}),
    )
    url = reverse("contract_requirement_defaults_suggestions", kwargs={"contract_id": contract.pk})
    connect_suggestions(form, url=url, extra={})
    return form


class ContractRequirementDefaultsView(
    AdminRequiredMixin, ContractMixin, FeatureRequiredMixin, View
):
    template_name = "campaigns/requirement_defaults/edit.html"

    def render_form(self, request, form, status=200):
        context = {
            "contract": self.contract,
            "form": form,
            "error_summary": error_summary(form, []),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, contract_id):
        return self.render_form(request, defaults_form(self.contract))

    def post(self, request, contract_id):
        form = defaults_form(self.contract, request.POST)
        if form.is_valid():
            try:
                contract_requirement_defaults_set(
                    contract=self.contract, by=request.user, values=form.native_values()
                )
            except ValidationError as error:
                # What was typed stays in the bound form; the refusal shows at its fields.
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Default values saved."))
                return redirect("contract_detail", contract_id=self.contract.pk)
        return self.render_form(request, form, status=400)


class ContractRequirementDefaultsSuggestionsView(
    AdminRequiredMixin, ContractMixin, FeatureRequiredMixin, View
):
    """Suggestions for a default whose options the provider gives on demand (htmx)."""

    def get(self, request, contract_id):
        context = suggestions_context(
            request, contract=self.contract, prefix=f"{PREFIX}-", vacancy={}
        )
        return render(request, "campaigns/wizard/autocomplete_options.html", context)


def requirement_defaults_section(request, contract) -> str:
    """The contract page's section: the defaults in words, and the way to change them."""
    facets = board_facets(contract, language=get_language()).facets
    if not any(facet.takes_value for facet in facets):
        return ""
    return render_to_string(
        "campaigns/requirement_defaults/section.html",
        {
            "contract": contract,
            "rows": requirement_rows(facets, contract.requirement_defaults or {}),
        },
        request=request,
    )
