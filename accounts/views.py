from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import selectors, services
from accounts.forms import InvitationAcceptForm, InvitationForm, RoleForm
from accounts.mixins import AdminRequiredMixin, OrganizationMixin


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class DashboardView(OrganizationMixin, TemplateView):
    template_name = "accounts/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            overview=selectors.organization_overview(org=self.request.organization),
            support_email=settings.SUPPORT_EMAIL,
        )


class AdministrationView(AdminRequiredMixin, TemplateView):
    template_name = "accounts/administration.html"


class TeamView(AdminRequiredMixin, View):
    template_name = "accounts/team.html"
    members_per_page = 50

    def render_page(self, request, form, status=200):
        org = request.organization
        members = Paginator(selectors.team_members(org=org), self.members_per_page)
        return render(
            request,
            self.template_name,
            {
                "page_obj": members.get_page(request.GET.get("page")),
                "invitations": selectors.pending_invitations(org=org),
                "invite_form": form,
                "role_choices": RoleForm.base_fields["role"].choices,
                "invitation_valid_days": settings.INVITATION_VALID_DAYS,
            },
            status=status,
        )

    def get(self, request):
        return self.render_page(request, InvitationForm())

    def post(self, request):
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_create(
                    org=request.organization, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
                return redirect("team")
        return self.render_page(request, form, status=400)


class MemberRoleView(AdminRequiredMixin, View):
    def post(self, request, member_id):
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                membership = services.membership_change_role(
                    org=request.organization,
                    membership_id=member_id,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(
                    request,
                    _("%(email)s is now %(role)s.")
                    % {"email": membership.user.email, "role": membership.get_role_display()},
                )
                if membership.user_id == request.user.pk and not membership.is_admin:
                    # They just gave up Administration: the team page is closed to them now.
                    return redirect("dashboard")
        else:
            messages.error(request, _("Choose a valid role."))
        return redirect("team")


class MemberDeactivateView(AdminRequiredMixin, View):
    def post(self, request, member_id):
        try:
            membership = services.membership_deactivate(
                org=request.organization, membership_id=member_id, by=request.user
            )
            messages.success(
                request,
                _("%(email)s was deactivated and logged out.") % {"email": membership.user.email},
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("team")


class MemberReactivateView(AdminRequiredMixin, View):
    def post(self, request, member_id):
        membership = services.membership_reactivate(
            org=request.organization, membership_id=member_id
        )
        messages.success(
            request, _("%(email)s can log in again.") % {"email": membership.user.email}
        )
        return redirect("team")


class InvitationRevokeView(AdminRequiredMixin, View):
    def post(self, request, invitation_id):
        try:
            invitation = services.invitation_revoke(
                org=request.organization, invitation_id=invitation_id
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("The invitation for %(email)s was revoked.") % {"email": invitation.email},
            )
        return redirect("team")


class InvitationAcceptView(View):
    """Public: the invited person sets their name and password, then is logged in."""

    template_name = "accounts/invitation_accept.html"

    def get(self, request, token):
        invitation = services.invitation_get_by_token(token=token)
        if invitation is None:
            return render(request, "accounts/invitation_invalid.html", status=410)
        return render(
            request, self.template_name, {"invitation": invitation, "form": InvitationAcceptForm()}
        )

    def post(self, request, token):
        invitation = services.invitation_get_by_token(token=token)
        if invitation is None:
            return render(request, "accounts/invitation_invalid.html", status=410)
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, user, backend="accounts.backends.EmailModelBackend")
                messages.success(
                    request, _("Welcome to %(org)s!") % {"org": invitation.organization.name}
                )
                return redirect(reverse("dashboard"))
        return render(
            request, self.template_name, {"invitation": invitation, "form": form}, status=400
        )


def csrf_failure(request, reason=""):
    """Our friendly page instead of Django's technical one (CSRF_FAILURE_VIEW)."""
    return render(request, "errors/csrf.html", status=403)
