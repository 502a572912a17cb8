"""Support staff reach every organisation, so their pages ask for more than a password.

- They log in through allauth's login only (the Django admin's own login page sends them
  there, ``config/urls.py``), which is rate limited and asks for the authenticator code of
  an account that has one.
- ``/support/`` (the Django admin) and the support desk open only to staff whose account has
  two-factor authentication (an authenticator app, with recovery codes); until then they are
  sent to set it up.
- Turning two-factor authentication on ends the account's other sessions: a session opened
  with the password alone before must not inherit the new protection.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import F
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import User

STAFF_NAMESPACES = frozenset({"admin", "supportdesk"})
# Leaving must stay possible without a second factor.
OPEN_STAFF_VIEWS = frozenset({"admin:logout"})


def staff_has_two_factor(user: User) -> bool:
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class StaffTwoFactorMiddleware:
    """Sends support staff without two-factor authentication to set it up before any staff
    page (the Django admin, the support desk). Who is staff at all is the pages' own check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not STAFF_NAMESPACES.intersection(match.namespaces):
            return None
        if match.view_name in OPEN_STAFF_VIEWS:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or staff_has_two_factor(user):
            return None
        messages.warning(
            request,
            _(
                "Support staff pages reach every organisation: turn on two-factor "
                "authentication with an authenticator app first."
            ),
        )
        return redirect("mfa_activate_totp")


def end_other_sessions_on_new_authenticator(sender, request, user, **kwargs) -> None:
    """allauth's ``authenticator_added`` signal: every other session of the account ends
    (the session hash includes ``session_generation``); this one stays logged in."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if request is not None and getattr(getattr(request, "user", None), "pk", None) == user.pk:
        update_session_auth_hash(request, user)
