"""Demo organisations and users. Every password is ``jobcast-demo``.

Every demo address counts as confirmed. The support login has two-factor authentication, as
support staff must, with an authenticator secret that the README publishes for the demo
only (``manage.py demo_totp_code`` prints its current code).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Plan, Role, User

DEMO_PASSWORD = "jobcast-demo"  # noqa: S105 - documented demo login, refused in production
DEMO_SUPPORT_EMAIL = "support@jobcast.test"
# Published in the README for the demo only; production refuses demo data.
DEMO_SUPPORT_TOTP_SECRET = "JOBCASTDEMOTOTPSECRETFORSUPPORT2"  # noqa: S105

DEMO_ORGANIZATIONS = [
    # (name, slug, plan, verified, career page, [(email, full name, role)])
    (
        "Acme Talent",
        "acme-talent",
        Plan.SUBSCRIBER,
        True,
        True,
        [
            ("admin@acme.test", "Alice Admin", Role.ADMIN),
            ("recruiter@acme.test", "Rob Recruiter", Role.RECRUITER),
        ],
    ),
    (
        "Initech Recruiting",
        "initech",
        Plan.SUBSCRIBER,
        True,
        True,
        [
            ("admin@initech.test", "Irene Initech", Role.ADMIN),
        ],
    ),
    (
        "Globex Hiring",
        "globex",
        Plan.TRIAL,
        False,
        False,
        [
            ("admin@globex.test", "Gary Globex", Role.ADMIN),
        ],
    ),
]


def _user(email: str, full_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    return user


def _two_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_SUPPORT_TOTP_SECRET)
    RecoveryCodes.activate(user)


def demo_support_totp_code(*, counter: int) -> str:
    """The demo support login's authenticator code for a TOTP time step."""
    user = User.objects.get(email=DEMO_SUPPORT_EMAIL)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return format_hotp_value(hotp_value(decrypt(totp.data["secret"]), counter))


@transaction.atomic
def seed(*, log) -> None:
    for name, slug, plan, verified, career_page, people in DEMO_ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "plan": plan,
                "career_page_enabled": career_page,
                "verified_at": timezone.now() if verified else None,
            },
        )
        for email, full_name, role in people:
            user = _user(email, full_name)
            Membership.objects.get_or_create(
                user=user, defaults={"organization": org, "role": role}
            )
        log(f"{'created' if created else 'kept'} organisation {name}")
    support = _user(DEMO_SUPPORT_EMAIL, "Sam Support", is_staff=True, is_superuser=True)
    _two_factor(support)
    log(f"support staff {DEMO_SUPPORT_EMAIL} (two-factor authentication on)")
