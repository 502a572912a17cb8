from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Role


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus the person's name and their new organisation's name."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organization_name = forms.CharField(
        label=_("Organisation name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["full_name", "organization_name", "email", "password1", "password2"]

    def save(self, request):
        # The user, their organisation and their membership exist together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user):
        services.user_signup_complete(
            user=user,
            full_name=self.cleaned_data["full_name"],
            organization_name=self.cleaned_data["organization_name"],
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.RECRUITER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        elif cleaned.get("password1"):
            try:
                password_validation.validate_password(cleaned["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
