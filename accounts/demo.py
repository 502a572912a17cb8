"""Demo organisations and users. Every password is ``jobcast-demo``."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Plan, Role, User

DEMO_PASSWORD = "jobcast-demo"  # noqa: S105 - documented demo login, refused in production

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
    return user


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
    _user("support@jobcast.test", "Sam Support", is_staff=True, is_superuser=True)
    log("support staff support@jobcast.test")
