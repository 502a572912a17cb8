"""The provider's status notifications: public, at a URL whose secret segment is checked,
answered at once.

The provider sends no authentication header, so a wrong secret is a 404, as for any
unknown address. A notification is only a hint: the work (reading the campaign again,
whatever the notification said, and applying its statuses) is done by a task
(``webhook_follow_up``); a duplicate
``request_id`` is acknowledged and dropped. If the broker is down the poll catches up.
"""

import json
import logging

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.provider_webhook import webhook_secret_matches
from campaigns.services.sync import webhook_record
from campaigns.services.webhook_follow_up import webhook_follow_up
from distribution.wire import decode_notification

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def provider_webhook(request, webhook_secret: str):
    if not webhook_secret_matches(webhook_secret):
        raise Http404
    try:
        notification = decode_notification(json.loads(request.body or b"{}"))
    except ValueError:  # not JSON, or not a notification (ShapeError is a ValueError)
        return JsonResponse(
            {"detail": "Expected a JSON object with request_id and campaign_id."}, status=400
        )
    campaign_id = notification.campaign_id
    if not webhook_record(
        request_id=notification.request_id,
        provider_campaign_id=campaign_id,
        modified_on=notification.modified_on,
    ):
        return JsonResponse({"status": "duplicate"}, status=200)
    webhook_follow_up(provider_campaign_id=campaign_id)
    return JsonResponse({"status": "accepted"}, status=202)
