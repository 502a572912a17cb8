"""The campaign wizard: Target group → Order review → Order campaign, on a server-side draft."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import OrganizationMixin
from campaigns import selectors
from campaigns.services import batches, ordering
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


def _form_data(values: dict, requirements: dict) -> dict:
    """The draft's values as form data (to show errors found later at their fields)."""
    data = {k: v for k, v in values.items() if v not in (None, False)}
    for contract_id, values in requirements.items():
        for name, value in values.items():
            field = f"req{contract_id}-{name}"
            if isinstance(value, dict):  # a suggestion: its key, label and revealed fields
                data[field + LABEL_SUFFIX] = value.get("label") or ""
                data[field + SHOW_SUFFIX] = json.dumps(value.get("show") or [])
                value = value.get("key") or ""
            data[field] = value
    return data


def _batch_requirements(drafts) -> dict[str, dict]:
    """Each board's requirements, whichever draft of the batch holds its contract."""
    return {k: v for draft in drafts for k, v in draft.data.get("requirements", {}).items()}


def _batch_provider_errors(drafts) -> dict:
    """The provider errors of every draft of the batch, each said once."""
    merged: dict = {"general": [], "fields": {}, "requirements": {}}
    for draft in drafts:
        errors = draft.data.get("provider_errors") or {}
        merged["general"] += [e for e in errors.get("general", []) if e not in merged["general"]]
        for name, problems in errors.get("fields", {}).items():
            known = merged["fields"].setdefault(name, [])
            known += [p for p in problems if p not in known]
        merged["requirements"].update(errors.get("requirements", {}))
    return merged


def _draft_holding(drafts, contract):
    """The draft of the batch that holds ``contract`` (its board's answers live there)."""
    return next((d for d in drafts if contract.pk in d.data.get("contract_ids", [])), drafts[0])


def build_forms(draft, contracts, data=None, requirements=None, drafts=None):
    values = draft.data.get("values", {})
    if requirements is None:
        requirements = draft.data.get("requirements", {})
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
        native = requirements.get(str(contract.pk), {})
        if data is None:
            # Fields the draft has no value for start from the contract's defaults.
            holder = _draft_holding(drafts or [draft], contract)
            native = {**native, **draft_requirement_defaults(draft=holder, contract=contract)}
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
        chosen = sum(len(d.data.get("contract_ids", [])) for d in self.drafts)
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
                "contracts_lost": len(boards) != chosen,
                # Several groups' campaigns filled in at once: each board says its group.
                "batch": len(self.drafts) > 1,
            },
            status=status,
        )

    def get(self, request, draft_id):
        self.drafts = batches.batch_drafts(self.draft)
        contracts = batches.batch_contracts(self.drafts)
        requirements = _batch_requirements(self.drafts)
        errors = _batch_provider_errors(self.drafts)
        if has_errors(errors):
            data = _form_data(self.draft.data.get("values", {}), requirements)
            target_group, boards = build_forms(
                self.draft, contracts, data=data, requirements=requirements
            )
            target_group.is_valid()
            for form in boards:
                form.is_valid()
            general = _apply_provider_errors(target_group, boards, errors)
            return self.render_step(request, target_group, boards, general)
        target_group, boards = build_forms(
            self.draft, contracts, requirements=requirements, drafts=self.drafts
        )
        return self.render_step(request, target_group, boards)

    def post(self, request, draft_id):
        self.drafts = batches.batch_drafts(self.draft)
        contracts = batches.batch_contracts(self.drafts)
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
        # Whichever way the person leaves the step, what was typed is kept, on every draft
        # of the batch (one target group for all of them).
        self.drafts = batches.batch_save(
            drafts=self.drafts, values=values, requirements=requirements, complete=valid
        )
        self.draft = next(d for d in self.drafts if d.pk == self.draft.pk)
        if request.POST.get("step") == "back":
            messages.info(request, _("Your answers are kept in the campaign draft."))
            return redirect("job_sourcing_boards", job_id=self.draft.job_id)
        if not valid:
            return self.render_step(request, target_group, boards, status=400)
        return redirect("campaign_draft_review", draft_id=self.draft.pk)


def _review_section(request, draft) -> dict:
    """One campaign of the review: its order document, boards, and what stops it."""
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
            return {"draft": draft, "field_refusal": error.message}
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
    return {
        "draft": draft,
        "group": contracts[0].group.display_name if contracts else "",
        "document": document,
        "boards": boards,
        "refusal": refusal,
        "warning": warning,
        "provider_errors": provider_errors,
        "has_provider_errors": has_errors(provider_errors),
    }


class ReviewView(OrganizationMixin, DraftMixin, View):
    """Order review: the campaign of this draft, or every group's campaign of its batch,
    with one Order button for all of them."""

    template_name = "campaigns/wizard/review.html"

    def get(self, request, draft_id):
        draft = self.draft
        drafts = batches.batch_drafts(draft)
        if not all(d.data.get("complete") for d in drafts):
            messages.info(request, _("Complete the Target group step first."))
            return redirect("campaign_draft_target_group", draft_id=draft.pk)
        sections = [_review_section(request, d) for d in drafts]
        field_refusals = [s["field_refusal"] for s in sections if "field_refusal" in s]
        if field_refusals:
            for message in field_refusals:
                messages.error(request, message)
            return redirect("campaign_draft_target_group", draft_id=draft.pk)
        batch_ids = {d.pk for d in drafts}
        first = next((s for s in sections if s["document"] is not None), sections[0])
        return render(
            request,
            self.template_name,
            {
                "draft": draft,
                "job": draft.job,
                "sections": sections,
                "batch": len(sections) > 1,
                # The campaign and job details are the same for every draft of a batch.
                "document": first["document"],
                "boards": [board for section in sections for board in section["boards"]],
                "refusal": next((s["refusal"] for s in sections if s["refusal"]), None),
                "provider_errors": first["provider_errors"],
                "orderable": all(s["document"] is not None and not s["refusal"] for s in sections),
                "has_provider_errors": any(s["has_provider_errors"] for s in sections),
                # The user's drafts of this job in other groups, not in this batch.
                "other_drafts": [
                    other
                    for other in selectors.drafts_for_job(
                        org=request.organization, job=draft.job, user=request.user
                    )
                    if other.pk not in batch_ids
                ],
                "live_channel_ids": selectors.live_channel_ids_for_job(
                    org=request.organization, job=draft.job
                ),
            },
        )


def _placed_answer(campaign):
    """Where an order lands: the campaign's page, or the list of a batch's campaigns."""
    if campaign.batch_key is not None:
        return redirect("campaign_order_placed", campaign_id=campaign.pk)
    return redirect("campaign_detail", campaign_id=campaign.pk)


class OrderView(OrganizationMixin, View):
    """Order campaign: this draft's campaign, or every campaign of its batch at once. A
    resubmitted form (double click, Back then submit, a retry after a timeout) lands on the
    campaigns already placed from these drafts."""

    def post(self, request, draft_id):
        org = request.organization
        existing = selectors.campaign_for_draft(org=org, draft_id=draft_id)
        if existing is not None:
            return _placed_answer(existing)
        draft = selectors.draft_get(org=org, draft_id=draft_id)  # 404 for others' drafts
        try:
            if draft.batch_key is not None:
                placed = batches.batch_order(org=org, by=request.user, batch_key=draft.batch_key)
            else:
                placed = [ordering.campaign_order(org=org, by=request.user, draft_id=draft.pk)]
        except OrderRefused as refusal:
            messages.error(request, refusal.message)
            if refusal.field_errors:
                at_fault = selectors.draft_get(
                    org=org, draft_id=getattr(refusal, "draft_id", draft.pk)
                )
                ordering.draft_record_provider_errors(
                    draft=at_fault, errors={"fields": refusal.field_errors}
                )
                return redirect("campaign_draft_target_group", draft_id=draft.pk)
            return redirect("campaign_draft_review", draft_id=draft.pk)
        messages.success(
            request,
            ngettext(
                "Campaign ordered. It is being delivered to the job boards; statuses update here.",
                "%(count)d campaigns ordered, one per contract group. They are being delivered "
                "to the job boards.",
                len(placed),
            )
            % {"count": len(placed)},
        )
        return _placed_answer(placed[0])


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
        contracts = batches.batch_contracts(batches.batch_drafts(self.draft))
        contract = next((c for c in contracts if str(c.pk) == contract_id), None)
        context = suggestions_context(
            request,
            contract=contract,
            prefix=f"req{contract_id}-",
            vacancy=self.draft.data.get("values", {}),
        )
        return render(request, self.template_name, context)
