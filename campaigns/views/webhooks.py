"""The provider's status notifications: public, checked by a shared secret, answered at once.

The work (fetching the campaign and applying its statuses) is done by a task; a duplicate
``request_id`` is acknowledged and dropped. If the broker is down the poll catches up.
"""

import hmac
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.services.sync import webhook_record
from config.queue import enqueue_on_commit

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Jobcast-Webhook-Secret"  # noqa: S105 - a header name, not a secret


def _secret_ok(request) -> bool:
    expected = settings.PROVIDER_WEBHOOK_SECRET or ""
    given = request.headers.get(SECRET_HEADER, "")
    # compare_digest on bytes: constant time whatever the content.
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt
@require_POST
def provider_webhook(request):
    if not _secret_ok(request):
        return JsonResponse({"detail": "Forbidden"}, status=403)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "Invalid JSON"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"detail": "Invalid JSON"}, status=400)
    request_id = str(body.get("request_id") or "").strip()
    campaign_id = str(body.get("campaign_id") or "").strip()
    if not request_id or not campaign_id:
        return JsonResponse({"detail": "request_id and campaign_id are required"}, status=400)
    if not webhook_record(
        request_id=request_id,
        provider_campaign_id=campaign_id,
        modified_on=str(body.get("modified_on") or ""),
    ):
        return JsonResponse({"status": "duplicate"}, status=200)
    enqueue_on_commit("campaigns.tasks.campaign_refresh_task", campaign_id)
    return JsonResponse({"status": "accepted"}, status=202)
