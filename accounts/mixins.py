"""The one gate for organisation pages: it sets ``request.organization`` and checks the role.

Views declare ``required_role = Role.ADMIN`` for admin-only pages; everything else is open to
every active member (admins and recruiters). Anonymous visitors are sent to log in; a user
without an organisation (support staff) gets a 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import Role


class OrganizationMixin(LoginRequiredMixin):
    required_role: str = Role.RECRUITER

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = getattr(request.user, "membership", None)
        if membership is None:
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
