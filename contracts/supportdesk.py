"""Support staff's desk (staff only, outside any organisation): open access requests, the
conversation with each organisation's admins, and enabling My Own Contracts.

URL namespace ``supportdesk``: excluded from the tenant URL sweep, checked by its own tests.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from contracts import access_requests, selectors
from contracts.access import AccessState, my_own_contracts_state
from contracts.forms import AccessMessageForm
from contracts.models import AccessRequestStatus


class StaffRequiredMixin(LoginRequiredMixin):
    """Support staff only: anonymous visitors log in; everyone else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("Support staff only.")
        return super().dispatch(request, *args, **kwargs)


class RequestListView(StaffRequiredMixin, View):
    def get(self, request):
        status = request.GET.get("status", AccessRequestStatus.OPEN)
        if status not in AccessRequestStatus.values:
            status = None
        page = Paginator(selectors.access_requests_for_support(status=status), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "contracts/supportdesk/request_list.html",
            {"page": page, "status": status, "statuses": AccessRequestStatus},
        )


class RequestDetailView(StaffRequiredMixin, View):
    template_name = "contracts/supportdesk/request_detail.html"

    def get(self, request, access_request_id, form=None):
        access_request = selectors.access_request_for_support(access_request_id=access_request_id)
        return render(
            request,
            self.template_name,
            {
                "access_request": access_request,
                "conversation": access_request.messages.all(),
                "org_state": my_own_contracts_state(access_request.organization),
                "states": AccessState,
                "form": form or AccessMessageForm(),
                "poll_url": reverse(
                    "supportdesk:request_messages",
                    kwargs={"access_request_id": access_request.pk},
                ),
            },
            status=400 if form is not None else 200,
        )

    def post(self, request, access_request_id):
        access_request = selectors.access_request_for_support(access_request_id=access_request_id)
        form = AccessMessageForm(request.POST)
        if form.is_valid():
            try:
                access_requests.access_request_reply(
                    access_request=access_request, by=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Reply sent."))
                return redirect("supportdesk:request_detail", access_request_id=access_request.pk)
        return self.get(request, access_request_id, form=form)


class RequestMessagesView(StaffRequiredMixin, View):
    def get(self, request, access_request_id):
        access_request = selectors.access_request_for_support(access_request_id=access_request_id)
        return render(
            request,
            "contracts/includes/conversation.html",
            {
                "access_request": access_request,
                "conversation": access_request.messages.all(),
                "poll_url": request.path,
                "viewer_is_support": True,
            },
        )


class RequestEnableView(StaffRequiredMixin, View):
    def post(self, request, access_request_id):
        access_request = selectors.access_request_for_support(access_request_id=access_request_id)
        try:
            access_requests.access_request_enable(access_request=access_request, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("My Own Contracts is enabled for %(org)s.")
                % {"org": access_request.organization.name},
            )
        return redirect("supportdesk:request_detail", access_request_id=access_request.pk)
