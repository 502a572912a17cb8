from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Support staff without an organisation land on the support desk.
        user = request.user
        if user.is_staff and getattr(user, "membership", None) is None:
            return reverse("supportdesk:request_list")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        # allauth's rate limits key on the same address as ours (accounts.client_ip).
        return client_ip(request)
