"""Deployment checks (``manage.py check --deploy``) for what Django's own checks cannot know:
production needs a cache shared by every web process (allauth's login rate limits),
PostgreSQL, and an https base URL for the links we email."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
