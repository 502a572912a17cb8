from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Support staff without an organisation land in the Django admin.
        user = request.user
        if user.is_staff and getattr(user, "membership", None) is None:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)
