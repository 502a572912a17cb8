"""Administration → Job boards: the My Own Contracts card, the access-request conversation,
contract groups and contracts. Admins only (recruiters get 403 from the mixin)."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from accounts.mixins import AdminRequiredMixin
from contracts import access_requests, crypto, oauth, selectors, services
from contracts.access import AccessState, my_own_contracts_state
from contracts.forms import (
    NEW_GROUP,
    AccessMessageForm,
    ContractAddForm,
    ContractEditForm,
    GroupForm,
)
from contracts.models import CredentialKind
from distribution import errors as provider_errors
from distribution.models import Channel
from distribution.selectors import channel_search
from distribution.services import channel_details

CONTRACTS_PER_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class FeatureEnabledMixin(AdminRequiredMixin):
    """Contract pages need the feature; otherwise the admin is sent to the card, which says
    why (the same decision as everywhere: contracts.access). Objects named in the URL are
    looked up first, so another organisation's object is a 404 whatever the feature state."""

    def lookup(self, request, **kwargs) -> dict:
        return kwargs

    def _feature_refusal(self, request) -> HttpResponseRedirect | None:
        if my_own_contracts_state(request.organization) != AccessState.ENABLED:
            messages.info(request, _("My Own Contracts is not enabled for your organisation."))
            return redirect("job_boards")
        return None

    def get(self, request, *args, **kwargs):
        objects = self.lookup(request, **kwargs)
        return self._feature_refusal(request) or self.enabled_get(request, **objects)

    def post(self, request, *args, **kwargs):
        objects = self.lookup(request, **kwargs)
        return self._feature_refusal(request) or self.enabled_post(request, **objects)

    def enabled_get(self, request, **kwargs):
        raise NotImplementedError

    def enabled_post(self, request, **kwargs):
        raise NotImplementedError


class GroupLookupMixin:
    def lookup(self, request, group_id):
        return {"group": selectors.contract_group_get(org=request.organization, group_id=group_id)}


class ContractLookupMixin:
    def lookup(self, request, contract_id):
        return {
            "contract": selectors.contract_get(org=request.organization, contract_id=contract_id)
        }


# --- the card and the access request --------------------------------------------------------


class JobBoardsView(AdminRequiredMixin, TemplateView):
    template_name = "contracts/job_boards.html"

    def get_context_data(self, **kwargs):
        org = self.request.organization
        return super().get_context_data(
            state=my_own_contracts_state(org),
            access_request=selectors.access_request_for_org(org=org),
            support_email=settings.SUPPORT_EMAIL,
            **kwargs,
        )


class AccessRequestView(AdminRequiredMixin, View):
    template_name = "contracts/access_request.html"

    def get(self, request, form=None):
        org = request.organization
        access_request = selectors.access_request_for_org(org=org)
        return render(
            request,
            self.template_name,
            {
                "access_request": access_request,
                "conversation": (
                    selectors.access_request_messages(access_request=access_request)
                    if access_request
                    else []
                ),
                "form": form or AccessMessageForm(),
                "state": my_own_contracts_state(org),
            },
            status=400 if form is not None else 200,
        )

    def post(self, request):
        form = AccessMessageForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        try:
            access_requests.access_request_post_message(
                org=request.organization, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.get(request, form=form)
        messages.success(request, _("Message sent. Support will answer here and by email."))
        return redirect("access_request")


class AccessRequestMessagesView(AdminRequiredMixin, View):
    """The conversation alone, polled by htmx so replies appear without a reload."""

    def get(self, request):
        access_request = selectors.access_request_for_org(org=request.organization)
        return render(
            request,
            "contracts/includes/conversation.html",
            {
                "access_request": access_request,
                "conversation": (
                    selectors.access_request_messages(access_request=access_request)
                    if access_request
                    else []
                ),
                "poll_url": reverse("access_request_messages"),
            },
        )


# --- groups and the contract list --------------------------------------------------------------


def _render_contract_list(request, group_form=None):
    org = request.organization
    services.contract_group_default(org=org)
    page = Paginator(selectors.contract_list(org=org), CONTRACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "contracts/contract_list.html",
        {
            "groups": selectors.contract_groups(org=org),
            "page": page,
            "group_form": group_form or GroupForm(),
        },
        status=400 if group_form is not None else 200,
    )


class ContractListView(FeatureEnabledMixin, View):
    def enabled_get(self, request):
        return _render_contract_list(request)


class ContractGroupCreateView(FeatureEnabledMixin, View):
    def enabled_get(self, request):
        return redirect("contract_list")

    def enabled_post(self, request):
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.contract_group_create(
                    org=request.organization, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
                return redirect("contract_list")
        return _render_contract_list(request, group_form=form)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ContractGroupRenameView(GroupLookupMixin, FeatureEnabledMixin, View):
    template_name = "contracts/group_rename.html"

    def enabled_get(self, request, group, form=None):
        form = form or GroupForm(initial={"name": group.name})
        return render(
            request,
            self.template_name,
            {"group": group, "form": form},
            status=400 if form.is_bound else 200,
        )

    def enabled_post(self, request, group):
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                services.contract_group_rename(group=group, name=form.cleaned_data["name"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Group renamed."))
                return redirect("contract_list")
        return self.enabled_get(request, group, form=form)


class ContractGroupDeleteView(GroupLookupMixin, FeatureEnabledMixin, View):
    template_name = "contracts/group_delete.html"

    def enabled_get(self, request, group):
        return render(
            request,
            self.template_name,
            {"group": group, "blockers": services.contract_group_delete_blockers(group=group)},
        )

    def enabled_post(self, request, group):
        try:
            services.contract_group_delete(group=group)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("contract_group_delete", group_id=group.pk)
        messages.success(request, _("Group “%(name)s” deleted.") % {"name": group.name})
        return redirect("contract_list")


# --- adding a contract ---------------------------------------------------------------------


class ChannelSearchView(FeatureEnabledMixin, View):
    """Search results as a listbox fragment (htmx, as the admin types)."""

    def enabled_get(self, request):
        term = (request.GET.get("q") or "").strip()
        channels = channel_search(term=term, limit=20) if term else []
        return render(
            request, "contracts/includes/channel_results.html", {"channels": channels, "term": term}
        )


def _active_channel(channel_pk) -> Channel | None:
    try:
        return Channel.objects.filter(pk=int(channel_pk)).first()
    except (TypeError, ValueError):
        return None


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContractAddView(FeatureEnabledMixin, View):
    template_name = "contracts/contract_add.html"

    def _details(self, request, channel):
        """The board's details, or a response explaining why it cannot be added."""
        if channel is None or not channel.is_active:
            messages.error(request, _("This job board is no longer available in the catalogue."))
            return None, redirect("contract_add")
        try:
            return channel_details(channel.provider_id), None
        except provider_errors.ProviderNotFound:
            messages.error(request, _("This job board is no longer available in the catalogue."))
        except provider_errors.ProviderError:
            messages.error(
                request,
                _("The job-distribution provider did not answer. Try again in a moment."),
            )
        return None, redirect("contract_add")

    def enabled_get(self, request):
        org = request.organization
        if "channel" not in request.GET:
            term = (request.GET.get("q") or "").strip()
            return render(
                request,
                "contracts/contract_search.html",
                {"term": term, "channels": channel_search(term=term, limit=20) if term else []},
            )
        channel = _active_channel(request.GET.get("channel"))
        details, refusal = self._details(request, channel)
        if refusal:
            return refusal
        draft_id = request.GET.get("draft")
        draft = oauth.draft_get(request.session, draft_id)
        if draft is not None and draft.get("channel") != channel.pk:
            draft, draft_id = None, None
        services.contract_group_default(org=org)
        groups = list(selectors.contract_groups(org=org))
        initial = {"nonce": secrets.token_urlsafe(24), "group": str(groups[0].pk)}
        if draft is not None:
            initial.update(
                {key: draft[key] for key in ("group", "new_group_name", "alias", "nonce")}
            )
            initial["draft"] = draft_id
            if draft.get("followed_instructions"):
                initial["followed_instructions"] = True
        form = ContractAddForm(initial=initial, groups=groups, details=details)
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
                "new_group_value": NEW_GROUP,
            },
            status=status,
        )

    def enabled_post(self, request):
        org = request.organization
        channel = _active_channel(request.POST.get("channel"))
        details, refusal = self._details(request, channel)
        if refusal:
            return refusal
        groups = list(selectors.contract_groups(org=org))
        form = ContractAddForm(request.POST, groups=groups, details=details)
        draft_id = request.POST.get("draft")
        draft = oauth.draft_get(request.session, draft_id)
        if draft is not None and draft.get("channel") != channel.pk:
            draft = None
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
            contract = services.contract_create(
                org=org,
                by=request.user,
                channel=channel,
                credentials=credentials,
                group=form.chosen_group,
                new_group_name=form.cleaned_data.get("new_group_name", ""),
                alias=form.cleaned_data.get("alias", ""),
                followed_instructions=form.cleaned_data.get("followed_instructions", False),
                nonce=form.cleaned_data["nonce"],
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
class ContractOAuthStartView(FeatureEnabledMixin, View):
    """Keep the half-filled form as a draft, then send the admin to the board's consent page."""

    def enabled_get(self, request):
        return redirect("contract_add")

    def enabled_post(self, request):
        channel = _active_channel(request.POST.get("channel"))
        if channel is None:
            messages.error(request, _("Choose a job board first."))
            return redirect("contract_add")
        try:
            details = channel_details(channel.provider_id)
        except provider_errors.ProviderError:
            messages.error(
                request, _("The job-distribution provider did not answer. Try again in a moment.")
            )
            return redirect(f"{reverse('contract_add')}?channel={channel.pk}")
        name = request.POST.get("connect", "")
        definition = next(
            (d for d in details.credentials if d.name == name and d.kind == CredentialKind.OAUTH),
            None,
        )
        if definition is None or not definition.url:
            messages.error(request, _("This job board has no account to connect."))
            return redirect(f"{reverse('contract_add')}?channel={channel.pk}")
        # Only non-secret answers are kept in the draft; typed secrets are asked again.
        draft_id = oauth.draft_save(
            request.session,
            draft_id=request.POST.get("draft") or None,
            data={
                "channel": channel.pk,
                "group": request.POST.get("group", ""),
                "new_group_name": request.POST.get("new_group_name", "")[:100],
                "alias": request.POST.get("alias", "")[:100],
                "nonce": request.POST.get("nonce", "")[:64] or secrets.token_urlsafe(24),
                "followed_instructions": bool(request.POST.get("followed_instructions")),
            },
        )
        state = oauth.state_issue(request.session, draft_id=draft_id, credential=name)
        callback = request.build_absolute_uri(
            reverse("contract_oauth_callback", kwargs={"oauth_state": state})
        )
        return HttpResponseRedirect(oauth.consent_url(definition.url, callback))


class ContractOAuthCallbackView(FeatureEnabledMixin, View):
    """The board sends the admin back here with the token in ``hash``."""

    def enabled_get(self, request, oauth_state):
        try:
            issued = oauth.state_consume(request.session, oauth_state)
        except oauth.OAuthStateError:
            return render(
                request,
                "contracts/oauth_refused.html",
                {
                    "reason": _(
                        "This connection link is not valid: it was already used, has expired, "
                        "or was started from another browser session. Start the connection "
                        "again from the Add contract form."
                    )
                },
                status=400,
            )
        draft = oauth.draft_get(request.session, issued["draft"])
        token = (request.GET.get("hash") or "").strip()
        if draft is None or not token:
            return render(
                request,
                "contracts/oauth_refused.html",
                {
                    "reason": _(
                        "The job board did not confirm the connection. Start the connection "
                        "again from the Add contract form."
                    )
                },
                status=400,
            )
        oauth.draft_store_token(
            request.session, draft_id=issued["draft"], credential=issued["credential"], token=token
        )
        messages.success(request, _("Your account is connected. Finish adding the contract."))
        return redirect(
            f"{reverse('contract_add')}?channel={draft['channel']}&draft={issued['draft']}"
        )

    def enabled_post(self, request, oauth_state):
        return self.enabled_get(request, oauth_state)


# --- one contract ------------------------------------------------------------------------------


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContractDetailView(ContractLookupMixin, FeatureEnabledMixin, View):
    template_name = "contracts/contract_detail.html"

    def _render(self, request, contract, form, details, status=200):
        context = {
            "contract": contract,
            "form": form,
            "details": details,
            "stored": selectors.contract_credentials(contract=contract),
            "events": selectors.contract_events(org=request.organization, contract=contract)[:100],
        }
        return render(request, self.template_name, context, status=status)

    def _details(self, contract):
        try:
            return channel_details(contract.channel.provider_id)
        except provider_errors.ProviderError:
            return None

    def enabled_get(self, request, contract):
        details = self._details(contract)
        form = None
        if details is not None:
            form = ContractEditForm(
                initial={"alias": contract.alias},
                details=details,
                stored=selectors.contract_credentials(contract=contract),
            )
        return self._render(request, contract, form, details)

    def enabled_post(self, request, contract):
        details = self._details(contract)
        if details is None:
            messages.error(
                request,
                _("The job-distribution provider did not answer. Nothing was changed; try again."),
            )
            return redirect("contract_detail", contract_id=contract.pk)
        stored = selectors.contract_credentials(contract=contract)
        form = ContractEditForm(request.POST, details=details, stored=stored)
        if form.is_valid():
            try:
                services.contract_update(
                    contract=contract,
                    by=request.user,
                    alias=form.cleaned_data.get("alias"),
                    credentials=form.credential_values(),
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(request, _("Contract saved."))
                return redirect("contract_detail", contract_id=contract.pk)
        return self._render(request, contract, form, details, status=400)


class ContractDeleteView(ContractLookupMixin, FeatureEnabledMixin, View):
    template_name = "contracts/contract_delete.html"

    def enabled_get(self, request, contract):
        return render(
            request,
            self.template_name,
            {
                "contract": contract,
                "blockers": services.contract_delete_blockers(contract=contract),
            },
        )

    def enabled_post(self, request, contract):
        try:
            services.contract_delete(contract=contract, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("contract_delete", contract_id=contract.pk)
        messages.success(request, _("Contract deleted."))
        return redirect("contract_list")
