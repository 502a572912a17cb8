"""factory-boy factories. Every tenant-owned object leads to one OrganizationFactory."""

import time
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, Plan, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    plan = Plan.SUBSCRIBER
    verified_at = factory.LazyFunction(timezone.now)
    career_page_enabled = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def confirmed_email(obj, create, extracted, **kwargs):
        """Logging in needs a confirmed address; ``confirmed_email=False`` for one that is not."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.RECRUITER


class AdminMembershipFactory(MembershipFactory):
    role = Role.ADMIN


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.RECRUITER
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def enrol_two_factor(user: User, secret: str | None = None) -> str:
    """Give ``user`` an authenticator app (TOTP) and recovery codes, as support staff must
    have; returns the authenticator secret, from which tests compute codes."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The authenticator code for ``secret`` at time ``at`` (now by default)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


class StaffUserFactory(UserFactory):
    """Support staff with two-factor authentication (``user.totp_secret``)."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.totp_secret = enrol_two_factor(obj)
