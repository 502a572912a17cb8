"""Deployment checks (``manage.py check --deploy``) for what Django's own checks cannot know:
production needs a cache shared by every web process (allauth's login rate limits),
PostgreSQL, an https base URL for the links we email, and the provider's secrets rather than
the public development values."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_services_check(app_configs, **kwargs):
    warnings = []
    cache_backend = settings.CACHES["default"]["BACKEND"]
    if not cache_backend.endswith("RedisCache"):
        warnings.append(
            Warning(
                "The cache is not Redis, so login rate limits are not shared by every web process.",
                hint="Set REDIS_URL.",
                id="jobcast.W001",
            )
        )
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        warnings.append(
            Warning(
                "The database is not PostgreSQL.",
                hint="Set DATABASE_URL=postgres://...",
                id="jobcast.W002",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        warnings.append(
            Warning(
                "JOBCAST_SITE_URL is not an https URL; emailed links would be wrong or insecure.",
                hint="Set JOBCAST_SITE_URL=https://your-domain.",
                id="jobcast.W003",
            )
        )
    return warnings


# The values the development settings, the Procfile and the sandbox fall back to: public, so
# production must never run with them (nor with nothing).
DEVELOPMENT_SECRET_VALUES = {
    "PROVIDER_WEBHOOK_SECRET": {"dev-webhook-secret"},
    "PROVIDER_TOKEN": {"sandbox-partner-token"},
}


@register(Tags.security, deploy=True)
def provider_secrets_check(app_configs, **kwargs):
    errors = []
    for name, public_values in DEVELOPMENT_SECRET_VALUES.items():
        value = (getattr(settings, name, "") or "").strip()
        if not value or value in public_values:
            errors.append(
                Error(
                    f"{name} is {'not set' if not value else 'a public development value'}.",
                    hint=f"Set {name} to the value agreed with the provider (README).",
                    id="jobcast.E001",
                )
            )
    return errors
