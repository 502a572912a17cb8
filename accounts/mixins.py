"""The one gate for organisation pages: it sets ``request.organization`` and checks the role.

Views declare ``required_role = Role.ADMIN`` for admin-only pages; everything else is open to
every active member (admins and recruiters). Anonymous visitors are sent to log in; support
staff (who belong to no organisation) are sent to the support desk; anyone else without an
organisation gets a 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.logging import SECRET_QUERY_PARAMETERS
from accounts.models import Role


class OrganizationMixin(LoginRequiredMixin):
    required_role: str = Role.RECRUITER

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            return super().handle_no_permission()
        # Back here after logging in, but without OAuth secrets in the ``next=`` link (a job
        # board's consent page sends the admin back with its token in the query string).
        query = self.request.GET.copy()
        for name in SECRET_QUERY_PARAMETERS:
            query.pop(name, None)
        path = self.request.path + (f"?{query.urlencode()}" if query else "")
        return redirect_to_login(path, self.get_login_url(), self.get_redirect_field_name())

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = getattr(request.user, "membership", None)
        if membership is None:
            if request.user.is_staff:
                return redirect("supportdesk:request_list")
            raise PermissionDenied(_("You are not a member of any organisation."))
        if self.required_role == Role.ADMIN and not membership.is_admin:
            raise PermissionDenied(
                _(
                    "Only admins of your organisation can open this page. "
                    "Ask one of them if you need access."
                )
            )
        request.membership = membership
        request.organization = membership.organization
        return super().dispatch(request, *args, **kwargs)


class AdminRequiredMixin(OrganizationMixin):
    required_role = Role.ADMIN
