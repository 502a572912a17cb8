"""Connecting a board account whose credential is a connection, not a typed value: the
half-filled Add contract form is kept as a draft in the session while the admin gives
consent on the board's page (``contracts.oauth``)."""

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from accounts.mixins import AdminRequiredMixin
from contracts import oauth
from contracts.forms import TERM_FIELDS
from contracts.models import CredentialKind
from contracts.views.contracts import board_details, channel_from_form
from contracts.views.mixins import FeatureRequiredMixin


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContractOAuthStartView(AdminRequiredMixin, FeatureRequiredMixin, View):
    """Keep the half-filled form as a draft, then send the admin to the board's consent page."""

    def get(self, request):
        return redirect("contract_add")

    def post(self, request):
        channel = channel_from_form(request.POST.get("channel"))
        if channel is None:
            messages.error(request, _("Choose a job board first."))
            return redirect("contract_add")
        add_form_url = f"{reverse('contract_add')}?channel={channel.pk}"
        details = board_details(request, channel)
        if details is None:
            return redirect(add_form_url)
        name = request.POST.get("connect", "")
        definition = next(
            (d for d in details.credentials if d.name == name and d.kind == CredentialKind.OAUTH),
            None,
        )
        if definition is None or not definition.url:
            messages.error(request, _("This job board has no account to connect."))
            return redirect(add_form_url)
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
                **{name: request.POST.get(name, "")[:20] for name in TERM_FIELDS},
            },
        )
        state = oauth.state_issue(request.session, draft_id=draft_id, credential=name)
        callback = request.build_absolute_uri(
            reverse("contract_oauth_callback", kwargs={"oauth_state": state})
        )
        return HttpResponseRedirect(oauth.consent_url(definition.url, callback))


def _refused(request, reason):
    return render(request, "contracts/oauth_refused.html", {"reason": reason}, status=400)


def _back_to_form(draft_id: str, draft: dict) -> HttpResponseRedirect:
    """The Add contract form, filled again from the draft."""
    return redirect(f"{reverse('contract_add')}?channel={draft['channel']}&draft={draft_id}")


INVALID_STATE = gettext_lazy(
    "This connection link is not valid: it was already used, has expired, or was started "
    "from another browser session. Start the connection again from the Add contract form."
)


@method_decorator(sensitive_post_parameters("hash"), name="dispatch")
class ContractOAuthCallbackView(AdminRequiredMixin, FeatureRequiredMixin, View):
    """The board sends the admin back here with the token in ``?hash=`` or, as the guides'
    contract-setup scenario describes, in the URL fragment (``#hash=``), which never reaches
    the server: then a page whose static script (``js/oauth_return.js``) reads the fragment
    POSTs the token here. The state is spent by the one request that carries the answer."""

    def get(self, request, oauth_state):
        if "hash" in request.GET or "error" in request.GET:
            return self._finish(request, oauth_state, request.GET)
        # No answer in the query: it may be in the fragment. The state is checked, not spent.
        try:
            oauth.state_check(request.session, oauth_state)
        except oauth.OAuthStateError:
            return _refused(request, INVALID_STATE)
        return render(request, "contracts/oauth_return.html")

    def post(self, request, oauth_state):
        return self._finish(request, oauth_state, request.POST)

    def _finish(self, request, oauth_state, answer):
        try:
            issued = oauth.state_consume(request.session, oauth_state)
        except oauth.OAuthStateError:
            return _refused(request, INVALID_STATE)
        draft_id = issued["draft"]
        draft = oauth.draft_get(request.session, draft_id)
        if draft is None:
            return _refused(
                request,
                _(
                    "The form this connection was started from has expired. Start the "
                    "connection again from the Add contract form."
                ),
            )
        token = str(answer.get("hash") or "").strip()
        if not token:
            # Consent denied (or nothing came back): the admin's form is kept as it was.
            messages.warning(
                request,
                _(
                    "The job board did not confirm the connection, so your account is not "
                    "connected. Your form is kept: connect again when you are ready."
                ),
            )
            return _back_to_form(draft_id, draft)
        oauth.draft_store_token(
            request.session, draft_id=draft_id, credential=issued["credential"], token=token
        )
        messages.success(request, _("Your account is connected. Finish adding the contract."))
        return _back_to_form(draft_id, draft)
