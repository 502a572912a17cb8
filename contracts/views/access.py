"""The My Own Contracts card and the access-request conversation with support."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.mixins import AdminRequiredMixin
from config.forms import form_add_service_errors
from contracts import access_requests, selectors
from contracts.access import AccessState, my_own_contracts_state
from contracts.forms import AccessMessageForm
from distribution.health import provider_outage


def _conversation(access_request) -> list:
    if access_request is None:
        return []
    return selectors.access_request_messages(access_request=access_request)


class JobBoardsView(AdminRequiredMixin, TemplateView):
    template_name = "contracts/job_boards.html"

    def get_context_data(self, **kwargs):
        org = self.request.organization
        return super().get_context_data(
            state=my_own_contracts_state(org),
            states=AccessState,
            access_request=selectors.access_request_for_org(org=org),
            support_email=settings.SUPPORT_EMAIL,
            provider_outage=provider_outage(),
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
                "conversation": _conversation(access_request),
                "form": form or AccessMessageForm(),
                "state": my_own_contracts_state(org),
                "states": AccessState,
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
            form_add_service_errors(form, error)
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
                "conversation": _conversation(access_request),
                "poll_url": reverse("access_request_messages"),
            },
        )
