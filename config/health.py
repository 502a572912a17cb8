"""``/healthz``: is the database reachable, is the broker reachable. 200 or 503, JSON.

Both checks answer within a few seconds even when a service is down, so a load balancer's
probe never hangs.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(url: str | None = None) -> bool:
    """Can we open a connection to the broker at ``url`` (the configured one by default)?"""
    try:
        with celery_app.connection_for_write(url or settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


@never_cache
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
