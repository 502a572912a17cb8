"""Adding a contract (search a board, fill its credentials), editing and deleting one."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from accounts.mixins import AdminRequiredMixin
from contracts import crypto, oauth, selectors
from contracts.forms import NEW_GROUP, TERM_FIELDS, ContractAddForm, ContractEditForm
from contracts.health import contract_health
from contracts.models import CredentialKind
from contracts.pages import contract_page_sections
from contracts.refusals import provider_refusal_message
from contracts.services.contracts import (
    contract_create,
    contract_delete,
    contract_delete_blockers,
    contract_update,
)
from contracts.services.refresh import contract_check
from contracts.views.mixins import ContractMixin, FeatureRequiredMixin
from distribution.errors import ProviderError, ProviderNotFound
from distribution.messages import ChannelDetail
from distribution.models import Channel
from distribution.selectors import channel_search
from distribution.services import channel_details, customer_feed_url


def channel_from_form(value) -> Channel | None:
    """The board a form names by its primary key (None for anything else)."""
    try:
        return Channel.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def board_details(request, channel: Channel | None) -> ChannelDetail | None:
    """The board's details (credentials, posting requirements, setup instructions), or None
    with a message saying why they cannot be had."""
    if channel is None or not channel.is_active:
        messages.error(request, _("This job board is no longer available in the catalogue."))
        return None
    try:
        return channel_details(channel.provider_id)
    except ProviderNotFound:
        messages.error(request, _("This job board is no longer available in the catalogue."))
    except ProviderError as error:
        messages.error(request, provider_refusal_message(error))
    return None


def _oauth_draft(request, draft_id: str | None, channel: Channel) -> dict | None:
    """The half-filled form kept while the admin connected an account, if it is this
    board's."""
    draft = oauth.draft_get(request.session, draft_id)
    if draft is None or draft.get("channel") != channel.pk:
        return None
    return draft


class ChannelSearchView(AdminRequiredMixin, FeatureRequiredMixin, View):
    """Search results as a listbox fragment (htmx, as the admin types)."""

    def get(self, request):
        term = (request.GET.get("q") or "").strip()
        channels = channel_search(term=term, limit=20) if term else []
        return render(
            request, "contracts/includes/channel_results.html", {"channels": channels, "term": term}
        )


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContractAddView(AdminRequiredMixin, FeatureRequiredMixin, View):
    template_name = "contracts/contract_add.html"

    def get(self, request):
        if "channel" not in request.GET:
            term = (request.GET.get("q") or "").strip()
            return render(
                request,
                "contracts/contract_search.html",
                {"term": term, "channels": channel_search(term=term, limit=20) if term else []},
            )
        channel = channel_from_form(request.GET.get("channel"))
        details = board_details(request, channel)
        if details is None:
            return redirect("contract_add")
        draft_id = request.GET.get("draft")
        draft = _oauth_draft(request, draft_id, channel)
        initial = {"nonce": secrets.token_urlsafe(24)}
        if draft is not None:
            initial.update(
                {key: draft[key] for key in ("group", "new_group_name", "alias", "nonce")}
            )
            initial.update({key: draft[key] for key in TERM_FIELDS if draft.get(key)})
            initial["draft"] = draft_id
            if draft.get("followed_instructions"):
                initial["followed_instructions"] = True
        groups = list(selectors.contract_groups(org=request.organization))
        holding = selectors.groups_holding_board(org=request.organization, channel_id=channel.pk)
        form = ContractAddForm(initial=initial, groups=groups, details=details, holding=holding)
        return self._render(request, form, channel, details, draft)

    def _render(self, request, form, channel, details, draft, status=200):
        connected = oauth.draft_connected(draft)
        oauth_credentials = [
            {
                "definition": d,
                "connected": d.name in connected,
                "errors": form.oauth_errors.get(d.name, []),
            }
            for d in details.credentials
            if d.kind == CredentialKind.OAUTH
        ]
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "channel": channel,
                "details": details,
                "oauth_credentials": oauth_credentials,
                "feed_url": (
                    customer_feed_url(request.organization, channel.provider_id)
                    if details.needs_customer_feed
                    else ""
                ),
                "new_group_value": NEW_GROUP,
            },
            status=status,
        )

    def post(self, request):
        org = request.organization
        channel = channel_from_form(request.POST.get("channel"))
        details = board_details(request, channel)
        if details is None:
            return redirect("contract_add")
        groups = list(selectors.contract_groups(org=org))
        holding = selectors.groups_holding_board(org=org, channel_id=channel.pk)
        form = ContractAddForm(request.POST, groups=groups, details=details, holding=holding)
        draft_id = request.POST.get("draft")
        draft = _oauth_draft(request, draft_id, channel)
        if not form.is_valid():
            return self._render(request, form, channel, details, draft, status=400)
        credentials = form.credential_values()
        try:
            credentials.update(oauth.draft_tokens(draft))
        except crypto.CredentialDecryptionError:
            oauth.draft_discard(request.session, draft_id)
            form.add_error(None, _("The connection expired. Connect your account again."))
            return self._render(request, form, channel, details, None, status=400)
        try:
            contract = contract_create(
                org=org,
                by=request.user,
                channel=channel,
                credentials=credentials,
                group=form.chosen_group,
                new_group_name=form.group_to_create,
                alias=form.cleaned_data.get("alias", ""),
                followed_instructions=form.cleaned_data.get("followed_instructions", False),
                nonce=form.cleaned_data["nonce"],
                **form.terms,
            )
        except ValidationError as error:
            form.apply_service_errors(error)
            return self._render(request, form, channel, details, draft, status=400)
        oauth.draft_discard(request.session, draft_id)
        messages.success(
            request,
            _("%(board)s was added to My Contracts in the group “%(group)s”.")
            % {"board": channel.name, "group": contract.group.name},
        )
        return redirect(reverse("contract_list") + f"#contract-{contract.pk}")


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContractDetailView(AdminRequiredMixin, ContractMixin, FeatureRequiredMixin, View):
    template_name = "contracts/contract_detail.html"

    def _render(self, request, form, details, status=200):
        context = {
            "contract": self.contract,
            "form": form,
            "details": details,
            "kinds": CredentialKind,
            "sections": contract_page_sections(request, self.contract),
            "stored": selectors.contract_credentials(contract=self.contract),
            "events": selectors.contract_events(org=request.organization, contract=self.contract)[
                :100
            ],
        }
        return render(request, self.template_name, context, status=status)

    def _details(self) -> ChannelDetail | None:
        try:
            return channel_details(self.contract.channel.provider_id)
        except ProviderError:
            return None  # the page still shows the contract; editing waits for the provider

    def get(self, request, contract_id):
        details = self._details()
        form = None
        if details is not None:
            form = ContractEditForm(
                initial={"alias": self.contract.alias},
                details=details,
                stored=selectors.contract_credentials(contract=self.contract),
            )
        return self._render(request, form, details)

    def post(self, request, contract_id):
        try:
            details = channel_details(self.contract.channel.provider_id)
        except ProviderError as error:
            messages.error(request, provider_refusal_message(error))
            return redirect("contract_detail", contract_id=self.contract.pk)
        stored = selectors.contract_credentials(contract=self.contract)
        form = ContractEditForm(request.POST, details=details, stored=stored)
        if form.is_valid():
            try:
                contract_update(
                    contract=self.contract,
                    by=request.user,
                    alias=form.cleaned_data.get("alias"),
                    credentials=form.credential_values(),
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(request, _("Contract saved."))
                return redirect("contract_detail", contract_id=self.contract.pk)
        return self._render(request, form, details, status=400)


class ContractCheckView(AdminRequiredMixin, ContractMixin, FeatureRequiredMixin, View):
    """*Check now*: read the contract from the provider at once (credits, expiry, errors)."""

    def get(self, request, contract_id):
        return redirect("contract_detail", contract_id=self.contract.pk)

    def post(self, request, contract_id):
        try:
            contract = contract_check(contract=self.contract)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            health = contract_health(contract)
            text = _("Checked with the job-distribution provider just now: %(state)s.") % {
                "state": health.label
            }
            if health.reason:
                messages.warning(request, f"{text} {health.reason} {health.fix}")
            else:
                messages.success(request, text)
        return redirect("contract_detail", contract_id=self.contract.pk)


class ContractDeleteView(AdminRequiredMixin, ContractMixin, FeatureRequiredMixin, View):
    template_name = "contracts/contract_delete.html"

    def get(self, request, contract_id):
        return render(
            request,
            self.template_name,
            {
                "contract": self.contract,
                "blockers": contract_delete_blockers(contract=self.contract),
            },
        )

    def post(self, request, contract_id):
        try:
            contract_delete(contract=self.contract, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("contract_delete", contract_id=self.contract.pk)
        messages.success(request, _("Contract deleted."))
        return redirect("contract_list")
