"""The campaign wizard: Target group → Order review → Order campaign, on a server-side draft."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import OrganizationMixin
from campaigns import selectors
from campaigns.services import ordering
from campaigns.services.order_document import OrderRefused, order_request
from campaigns.wizard.facets import (
    RequirementsForm,
    display_value,
    initial_from_native,
    parse_facets,
)
from campaigns.wizard.forms import TargetGroupForm, raw_values, storable
from campaigns.wizard.provider_errors import has_errors, wizard_field_errors
from distribution.client import provider_client
from distribution.errors import ProviderError
from jobs.selectors import job_missing_fields


class DraftMixin:
    """Resolves ``draft_id`` to a live draft of the organisation (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        self.draft = selectors.draft_get(org=request.organization, draft_id=kwargs["draft_id"])
        return super().dispatch(request, *args, **kwargs)


def _form_data(draft) -> dict:
    """The draft's values as form data (to show errors found later at their fields)."""
    data = {k: v for k, v in draft.data.get("values", {}).items() if v not in (None, False)}
    for contract_id, values in draft.data.get("requirements", {}).items():
        for name, value in values.items():
            data[f"req{contract_id}-{name}"] = value
    return data


def build_forms(draft, contracts, data=None):
    values = draft.data.get("values", {})
    target_group = TargetGroupForm(
        data,
        initial=values,
        missing_on_job={field.name for field in job_missing_fields(draft.job)},
    )
    boards = []
    for contract in contracts:
        facets = parse_facets(contract.posting_requirements)
        native = draft.data.get("requirements", {}).get(str(contract.pk), {})
        boards.append(
            RequirementsForm(
                data,
                facets=facets,
                contract=contract,
                prefix=f"req{contract.pk}",
                initial=initial_from_native(facets, native),
            )
        )
    autocomplete_url = reverse("campaign_draft_autocomplete", kwargs={"draft_id": draft.pk})
    for form in boards:
        for name, field in form.fields.items():
            # A board's requirement is checked in clean(), as it depends on the display
            # rules: Django sees an optional field, the person sees a required one.
            field.marked_required = field.facet.required
            if field.facet.autocomplete:
                list_id = f"ac-{form.prefix}-{name}"
                field.widget.attrs.update(
                    {
                        "list": list_id,
                        "hx-get": autocomplete_url,
                        "hx-trigger": "input changed delay:300ms",
                        "hx-target": f"#{list_id}-box",
                        "hx-vals": json.dumps(
                            {"contract": form.contract.pk, "facet": name, "list": list_id}
                        ),
                    }
                )
    return target_group, boards


def _apply_provider_errors(target_group, boards, errors: dict) -> list[str]:
    """Put the provider's errors on the fields they concern; return the others."""
    general = list(errors.get("general", []))
    for name, problems in errors.get("fields", {}).items():
        if name in target_group.fields:
            for problem in problems:
                target_group.add_error(name, problem)
        else:
            general.extend(problems)
    by_contract = {str(form.contract.pk): form for form in boards}
    for contract_id, facets in errors.get("requirements", {}).items():
        form = by_contract.get(contract_id)
        for name, problems in facets.items():
            if form is not None and name in form.fields:
                for problem in problems:
                    form.add_error(name, problem)
            else:
                board = form.contract.channel.name if form is not None else ""
                general.extend(f"{board}: {p}" if board else p for p in problems)
    return general


class TargetGroupView(OrganizationMixin, DraftMixin, View):
    template_name = "campaigns/wizard/target_group.html"

    def render_step(self, request, target_group, boards, general=(), status=200):
        return render(
            request,
            self.template_name,
            {
                "draft": self.draft,
                "job": self.draft.job,
                "form": target_group,
                "boards": boards,
                "general_errors": general,
                "contracts_lost": len(boards) != len(self.draft.data.get("contract_ids", [])),
            },
            status=status,
        )

    def get(self, request, draft_id):
        contracts = ordering.draft_contracts(self.draft)
        errors = self.draft.data.get("provider_errors") or {}
        if has_errors(errors):
            target_group, boards = build_forms(self.draft, contracts, data=_form_data(self.draft))
            target_group.is_valid()
            for form in boards:
                form.is_valid()
            general = _apply_provider_errors(target_group, boards, errors)
            return self.render_step(request, target_group, boards, general)
        target_group, boards = build_forms(self.draft, contracts)
        return self.render_step(request, target_group, boards)

    def post(self, request, draft_id):
        contracts = ordering.draft_contracts(self.draft)
        target_group, boards = build_forms(self.draft, contracts, data=request.POST)
        boards_valid = [form.is_valid() for form in boards]  # validate every board
        valid = target_group.is_valid() and all(boards_valid)
        if valid:
            values = target_group.json_values()
            requirements = {str(form.contract.pk): form.native_values() for form in boards}
        else:
            values = {**self.draft.data.get("values", {}), **raw_values(request.POST)}
            requirements = {
                str(form.contract.pk): {
                    name: storable(form[name].value()) for name in form.fields if form[name].value()
                }
                for form in boards
            }
        self.draft = ordering.draft_save(
            draft=self.draft, values=values, requirements=requirements, complete=valid
        )
        if not valid:
            messages.error(request, _("Some fields need your attention."))
            return self.render_step(request, target_group, boards, status=400)
        return redirect("campaign_draft_review", draft_id=self.draft.pk)


class ReviewView(OrganizationMixin, DraftMixin, View):
    template_name = "campaigns/wizard/review.html"

    def get(self, request, draft_id):
        draft = self.draft
        if not draft.data.get("complete"):
            messages.info(request, _("Complete the Target group step first."))
            return redirect("campaign_draft_target_group", draft_id=draft.pk)
        contracts = ordering.draft_contracts(draft)
        refusal, document, warning, provider_errors = None, None, None, {}
        try:
            ordering.check_orderable(draft=draft, contracts=contracts)
            document = ordering.draft_document(draft=draft, contracts=contracts)
        except OrderRefused as error:
            if error.field_errors:
                ordering.draft_record_provider_errors(
                    draft=draft, errors={"fields": error.field_errors}
                )
                messages.error(request, error.message)
                return redirect("campaign_draft_target_group", draft_id=draft.pk)
            refusal = error.message
        if document is not None:
            try:
                client = provider_client(org=request.organization, language=get_language())
                errors = client.validate_campaign(order_request(document))
            except ProviderError as error:
                warning = error.message
            else:
                provider_errors = wizard_field_errors(errors, document)
                ordering.draft_record_provider_errors(
                    draft=draft, errors=provider_errors if has_errors(provider_errors) else {}
                )
        boards = []
        if document is not None:
            by_id = {c.pk: c for c in contracts}
            for product in document["products"]:
                contract = by_id[product["contract"]]
                facets = {f.name: f for f in parse_facets(contract.posting_requirements)}
                native = draft.data.get("requirements", {}).get(str(contract.pk), {})
                rows = [
                    (facets[name].label, display_value(facets[name], native.get(name)))
                    for name in product["posting_requirements"]
                    if name in facets
                ]
                boards.append(
                    {
                        "contract": contract,
                        "product": product,
                        "rows": rows,
                        "errors": provider_errors.get("requirements", {}).get(str(contract.pk), {}),
                    }
                )
        return render(
            request,
            self.template_name,
            {
                "draft": draft,
                "job": draft.job,
                "document": document,
                "boards": boards,
                "refusal": refusal,
                "warning": warning,
                "provider_errors": provider_errors,
                "has_provider_errors": has_errors(provider_errors),
            },
        )


class OrderView(OrganizationMixin, View):
    """Order campaign. A resubmitted form (double click, Back then submit) lands on the
    campaign already placed from this draft."""

    def post(self, request, draft_id):
        org = request.organization
        existing = selectors.campaign_for_draft(org=org, draft_id=draft_id)
        if existing is not None:
            return redirect("campaign_detail", campaign_id=existing.pk)
        draft = selectors.draft_get(org=org, draft_id=draft_id)  # 404 for others' drafts
        try:
            campaign = ordering.campaign_order(org=org, by=request.user, draft_id=draft.pk)
        except OrderRefused as refusal:
            messages.error(request, refusal.message)
            if refusal.field_errors:
                ordering.draft_record_provider_errors(
                    draft=draft, errors={"fields": refusal.field_errors}
                )
                return redirect("campaign_draft_target_group", draft_id=draft.pk)
            return redirect("campaign_draft_review", draft_id=draft.pk)
        messages.success(
            request,
            _("Campaign ordered. It is being delivered to the job boards; statuses update here."),
        )
        return redirect("campaign_detail", campaign_id=campaign.pk)


class DiscardView(OrganizationMixin, View):
    def post(self, request, draft_id):
        self.draft = selectors.draft_get(org=request.organization, draft_id=draft_id)
        job_id = self.draft.job_id
        ordering.draft_discard(draft=self.draft)
        messages.success(request, _("Campaign draft discarded."))
        return redirect("job_sourcing_boards", job_id=job_id)


class AutocompleteView(OrganizationMixin, DraftMixin, View):
    """Provider-backed suggestions for an AUTOCOMPLETE facet (an htmx partial)."""

    template_name = "campaigns/wizard/autocomplete_options.html"

    def get(self, request, draft_id):
        contract_id = request.GET.get("contract", "")
        facet_name = request.GET.get("facet", "")
        term = request.GET.get("term") or request.GET.get(f"req{contract_id}-{facet_name}", "")
        term = term.strip()
        context = {"options": [], "message": "", "list_id": request.GET.get("list", "")}
        contract = next(
            (c for c in ordering.draft_contracts(self.draft) if str(c.pk) == contract_id), None
        )
        facet = None
        if contract is not None:
            facet = next(
                (f for f in parse_facets(contract.posting_requirements) if f.name == facet_name),
                None,
            )
        if facet is None or not facet.autocomplete:
            context["message"] = _("No suggestions for this field.")
        elif len(term) < 2:
            context["message"] = _("Type at least two characters.")
        else:
            try:
                client = provider_client(org=request.organization, language=get_language())
                context["options"] = client.autocomplete(
                    contract.provider_contract_id, facet.name, term
                )
            except ProviderError:
                context["message"] = _(
                    "Suggestions are unavailable right now. Try again in a moment, or type "
                    "the exact value the job board expects."
                )
            else:
                if not context["options"]:
                    context["message"] = _("No match: try another spelling.")
        return render(request, self.template_name, context)
