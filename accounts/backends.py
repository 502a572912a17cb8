"""Authentication backends that load the user together with their membership and organisation.

Every private page needs all three (OrganizationMixin, the side menu), so loading them in the
one query that authenticates the session saves two queries on every request.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipLoadingMixin:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("membership__organization").get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class EmailModelBackend(MembershipLoadingMixin, ModelBackend):
    """Django's model backend (used by the admin, tests and invitation sign-in)."""


class EmailAllauthBackend(MembershipLoadingMixin, AllauthBackend):
    """django-allauth's backend (log in with email, rate limits)."""
