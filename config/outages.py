"""A database or cache that cannot be reached is an outage, not a bug: people get a 503 page
that says so and that nothing they saved is lost, never a 500.

PostgreSQL or Redis restarting drops every open connection; Django opens a new one on the
next request (``CONN_HEALTH_CHECKS``), so the page only has to ask the person to try again.
The page is rendered without the request's context processors: they would ask the database
that is away.
"""

import logging
import sys

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def is_service_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def service_unavailable(request) -> HttpResponse:
    """The 503 page, with a way back to where the person was."""
    back = request.path if request.method == "GET" else request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    context = {"back_url": back, "was_post": request.method == "POST"}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ServiceOutageMiddleware:
    """Answers a view that lost its database or cache connection with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_service_outage(exception):
            return None
        log.warning(
            "%s %s answered 503: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            exception,
        )
        return service_unavailable(request)


def server_error(request):
    """``handler500``: an outage met outside a view (in a middleware) is still a 503."""
    if is_service_outage(sys.exception()):
        return service_unavailable(request)
    return django_server_error(request)
