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
from campaigns.services.provider_errors import (
    has_errors,
    vacancy_field_name,
    wizard_field_errors,
)
from campaigns.services.requirement_defaults import (
    draft_requirement_defaults,
    values_from_default,
)
from campaigns.services.requirements import (
    board_facets,
    requirement_rows,
    vacancy_fields_required,
)
from campaigns.views.suggestions import suggestions_context
from campaigns.wizard.facets import (
    LABEL_SUFFIX,
    SHOW_SUFFIX,
    RequirementsForm,
    connect_suggestions,
    initial_from_native,
)
from campaigns.wizard.forms import TargetGroupForm, raw_values, storable
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
            field = f"req{contract_id}-{name}"
            if isinstance(value, dict):  # a suggestion: its key, label and revealed fields
                data[field + LABEL_SUFFIX] = value.get("label") or ""
                data[field + SHOW_SUFFIX] = json.dumps(value.get("show") or [])
                value = value.get("key") or ""
            data[field] = value
    return data


def build_forms(draft, contracts, data=None):
    values = draft.data.get("values", {})
    target_group = TargetGroupForm(
        data,
        initial=values,
        missing_on_job={field.name for field in job_missing_fields(draft.job)},
    )
    language = get_language()
    autocomplete_url = reverse("campaign_draft_autocomplete", kwargs={"draft_id": draft.pk})
    boards = []
    for contract in contracts:
        board = board_facets(contract, language=language)
        native = draft.data.get("requirements", {}).get(str(contract.pk), {})
        if data is None:
            # Fields the draft has no value for start from the contract's defaults.
            native = {**native, **draft_requirement_defaults(draft=draft, contract=contract)}
        form = RequirementsForm(
            data,
            facets=board.facets,
            contract=contract,
            feed_url=board.feed_url,
            prefix=f"req{contract.pk}",
            initial=initial_from_native(board.facets, native),
        )
        form.from_default = values_from_default(
            contract, native if data is None else form.raw_values()
        )
        connect_suggestions(form, url=autocomplete_url, extra={"contract": contract.pk})
        boards.append(form)
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


def _check_required_vacancy_fields(target_group, boards) -> bool:
    """A board's chosen option may make a job field required (its ``requires``): say so at
    that field now rather than have the provider refuse the order at the review."""
    ok = True
    values = getattr(target_group, "cleaned_data", {})
    for form in boards:
        if not hasattr(form, "_native"):
            continue
        needed = vacancy_fields_required(form.facets, form.native_values())
        for path, labels in needed.items():
            name = vacancy_field_name(path)
            missing = name in target_group.fields and values.get(name) in (None, "")
            if missing and name not in target_group.errors:
                ok = False
                target_group.add_error(
                    name,
                    _("%(board)s needs this for your choice of %(fields)s.")
                    % {"board": form.contract.channel.name, "fields": ", ".join(labels)},
                )
    return ok


def error_summary(target_group, boards) -> list[dict]:
    """Every error of the step, in page order, with the id of the field it concerns."""
    entries = []
    for form, board in [(target_group, ""), *((b, b.contract.channel.name) for b in boards)]:
        errors = form.errors if form.is_bound else {}
        entries += [{"target": "", "label": board, "message": e} for e in errors.get("__all__", [])]
        for name in form.fields:
            if name not in errors:
                continue
            bound = form[name]
            label = " · ".join(part for part in (board, str(bound.label)) if part)
            target = bound.auto_id
            if bound.widget_type == "checkboxselectmultiple":
                target = f"{bound.auto_id}_0"
            entries += [{"target": target, "label": label, "message": e} for e in errors[name]]
    return entries


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
                "error_summary": error_summary(target_group, boards),
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
        valid = _check_required_vacancy_fields(target_group, boards) and valid
        if valid:
            values = target_group.json_values()
            requirements = {str(form.contract.pk): form.native_values() for form in boards}
        else:
            values = {**self.draft.data.get("values", {}), **raw_values(request.POST)}
            requirements = {str(form.contract.pk): storable(form.raw_values()) for form in boards}
        # Whichever way the person leaves the step, what was typed is kept.
        self.draft = ordering.draft_save(
            draft=self.draft, values=values, requirements=requirements, complete=valid
        )
        if request.POST.get("step") == "back":
            messages.info(request, _("Your answers are kept in the campaign draft."))
            return redirect("job_sourcing_boards", job_id=self.draft.job_id)
        if not valid:
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
            language = get_language()
            for product in document["products"]:
                contract = by_id[product["contract"]]
                board = board_facets(contract, language=language)
                native = draft.data.get("requirements", {}).get(str(contract.pk), {})
                boards.append(
                    {
                        "contract": contract,
                        "product": product,
                        # In the person's language: the provider's labels where it has them.
                        "rows": requirement_rows(board.facets, native),
                        "feed_url": board.feed_url,
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
                # The user's drafts of this job in other groups: one campaign each.
                "other_drafts": [
                    other
                    for other in selectors.drafts_for_job(
                        org=request.organization, job=draft.job, user=request.user
                    )
                    if other.pk != draft.pk
                ],
                "live_channel_ids": selectors.live_channel_ids_for_job(
                    org=request.organization, job=draft.job
                ),
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
    """Suggestions for a board field whose options the provider gives on demand (an htmx
    partial). A dependent field's request carries the values it depends on."""

    template_name = "campaigns/wizard/autocomplete_options.html"

    def get(self, request, draft_id):
        contract_id = request.GET.get("contract", "")
        contract = next(
            (c for c in ordering.draft_contracts(self.draft) if str(c.pk) == contract_id), None
        )
        context = suggestions_context(
            request,
            contract=contract,
            prefix=f"req{contract_id}-",
            vacancy=self.draft.data.get("values", {}),
        )
        return render(request, self.template_name, context)
