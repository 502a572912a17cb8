"""Logging in now needs a confirmed address (ACCOUNT_EMAIL_VERIFICATION = "mandatory"). An
invited member confirmed theirs by following the emailed link: record it, so that they are
not asked again. Everyone else confirms theirs at their next log-in."""

from django.db import migrations


def confirm_invited(apps, schema_editor):
    Invitation = apps.get_model("accounts", "Invitation")
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    accepted = Invitation.objects.filter(accepted_at__isnull=False).values_list("email", flat=True)
    for user in User.objects.filter(email__in=set(accepted)).only("pk", "email"):
        if not EmailAddress.objects.filter(user_id=user.pk).exists():
            EmailAddress.objects.create(user_id=user.pk, email=user.email, primary=True, verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_logo_checked_by_content"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(confirm_invited, migrations.RunPython.noop)]
