"""The HTTP transport to the provider: one request at a time, each counted against the shared
rate limiter first, with explicit timeouts, and every failure mapped to one of
``distribution.errors``.

``error_from_response`` is the one place that decides which error an answer is (in the
manner of Sentry's ``ApiError.from_response``): the status picks the class, the body gives
the field errors. Credentials and the partner token are never logged: a line says which
endpoint was called, how it ended and how long it took. Every call's end is recorded in the
provider's health (``distribution.health``), which tells people of an outage.
"""

import json
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import (
    ProviderAuthenticationError,
    ProviderError,
    ProviderForbidden,
    ProviderNotFound,
    ProviderProtocolError,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
    describe_field_errors,
    normalize_field_errors,
)
from .health import provider_answered, provider_failed
from .ratelimit import Priority, RateLimiter, rate_limiter

log = logging.getLogger("distribution.client")

USER_AGENT = "Jobcast/1"


class Transport:
    """Sends requests for one partner token and (optionally) one customer."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        customer_id: str | None = None,
        language: str = "en",
        priority: Priority = Priority.INTERACTIVE,
        connect_timeout: float = 3.05,
        read_timeout: float = 35.0,
        rate_wait: float = 10.0,
        limiter: RateLimiter | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.customer_id = customer_id
        self.language = (language or "en")[:2]
        self.priority = Priority(priority)
        self.timeout = (connect_timeout, read_timeout)
        self.rate_wait = rate_wait
        self._limiter = limiter
        self._session = requests.Session()

    def __repr__(self) -> str:
        return (
            f"<Transport {self.base_url} customer={self.customer_id} "
            f"language={self.language} priority={self.priority}>"
        )

    @property
    def limiter(self) -> RateLimiter:
        return self._limiter or rate_limiter()

    def send(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        params: dict | None = None,
        body=None,
        language: str | None = None,
    ):
        """Send one request; return its decoded JSON (None for an empty answer) or raise
        the ProviderError its answer (or the lack of one) means. ``endpoint`` names the
        call in messages and logs (``GET /contracts/single/{contract_id}/``)."""
        return self.exchange(
            method, path, endpoint=endpoint, params=params, body=body, language=language
        )[1]

    def exchange(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        params: dict | None = None,
        body=None,
        language: str | None = None,
    ) -> tuple[int, object]:
        """``send``, also giving the answer's status (for reports such as provider_check)."""
        self.limiter.acquire(self.priority, timeout=self.rate_wait)
        headers = self._headers(language)
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as error:
            log.warning("provider %s timed out", endpoint)
            provider_failed(reason=f"{endpoint}: {type(error).__name__}")
            raise ProviderUnavailable(
                _(
                    "The job distribution provider did not answer in time (%(seconds)s s). "
                    "Try again in a few minutes."
                )
                % {"seconds": self._timeout_hit(error)},
                never_sent=isinstance(error, requests.ConnectTimeout),
            ) from error
        except requests.RequestException as error:
            log.warning("provider %s failed: %s", endpoint, type(error).__name__)
            provider_failed(reason=f"{endpoint}: {type(error).__name__}")
            raise ProviderUnavailable(
                _(
                    "The job distribution provider could not be reached (%(reason)s). "
                    "Try again in a few minutes."
                )
                % {"reason": _connection_reason(error)},
                never_sent=_never_connected(error),
            ) from error
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info("provider %s -> %s in %.0f ms", endpoint, response.status_code, elapsed_ms)
        # Any answer below 500 (a refusal, a 429 too) says the provider is there.
        if response.status_code >= 500:
            provider_failed(reason=f"{endpoint}: HTTP {response.status_code}")
        else:
            provider_answered()
        if 200 <= response.status_code < 300:
            return response.status_code, _json(response, endpoint)
        raise error_from_response(response, endpoint=endpoint)

    def _headers(self, language: str | None) -> dict[str, str]:
        headers = {
            "X-Auth-Token": self._token,
            "Accept": "application/json",
            "Accept-Language": language or self.language,
            "User-Agent": USER_AGENT,
        }
        if self.customer_id:
            headers["X-Customer-Id"] = self.customer_id
        return headers

    def _timeout_hit(self, error: requests.Timeout) -> str:
        connect, read = self.timeout
        return f"{connect:g}" if isinstance(error, requests.ConnectTimeout) else f"{read:g}"


def _json(response: requests.Response, endpoint: str):
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        log.warning("provider %s answered a body that is not JSON", endpoint)
        raise ProviderProtocolError(
            _(
                "The job distribution provider sent an answer we cannot read (not JSON) "
                "to %(what)s. Try again later; if it persists, contact support."
            )
            % {"what": endpoint},
            endpoint=endpoint,
            expected="JSON",
        ) from None


def error_from_response(response: requests.Response, *, endpoint: str) -> ProviderError:
    """The exception a non-2xx answer stands for (its ``status`` set)."""
    error = _error_for(response, endpoint)
    error.status = response.status_code
    return error


def _error_for(response: requests.Response, endpoint: str) -> ProviderError:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if status == 401:
        return ProviderAuthenticationError(
            _(
                "The job distribution provider refused our partner token (401). An operator "
                "must check the PROVIDER_TOKEN setting."
            )
        )
    if status == 429:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        return ProviderRateLimited(
            _(
                "The job distribution provider is receiving too many calls from us; "
                "try again in %(seconds)d seconds."
            )
            % {"seconds": max(1, round(retry_after))},
            retry_after=retry_after,
        )
    if status >= 500:
        return ProviderUnavailable(
            _(
                "The job distribution provider has a problem on its side (%(status)d). "
                "Try again in a few minutes."
            )
            % {"status": status}
        )
    if 400 <= status < 500 and (status == 405 or (body is None and response.content.strip())):
        # Not an answer of the provider's API (whose refusals are JSON, and which documents
        # no 405): a proxy's or web server's page, e.g. a wrong PROVIDER_BASE_URL. Never read
        # as "not found" (which would retire boards) nor as a refusal of the person's input.
        log.error(
            "provider %s answered %d with %s, not a documented answer of the API",
            endpoint,
            status,
            response.headers.get("Content-Type") or "no content type",
        )
        return ProviderProtocolError(
            _(
                "The job distribution provider answered %(what)s with an error page we cannot "
                "read (%(status)d) instead of an answer of its API. Try again later; if it "
                "persists, an operator must check the PROVIDER_BASE_URL setting."
            )
            % {"what": endpoint, "status": status},
            endpoint=endpoint,
            expected=_("a JSON answer"),
        )
    if 400 <= status < 500:
        errors = normalize_field_errors(body) if body is not None else {}
        cls, message = _REFUSALS.get(status, _REFUSALS[400])
        message = str(message)
        details = describe_field_errors(errors)
        if details:
            message = f"{message} {details}"
        return cls(message, field_errors=errors, status=status)
    return ProviderProtocolError(
        _("The job distribution provider answered %(what)s with an unexpected status %(status)d.")
        % {"what": endpoint, "status": status},
        endpoint=endpoint,
        expected="a 2xx answer",
    )


# Messages are lazy: this module is imported before any language is active.
_REFUSALS: dict[int, tuple[type[ProviderRejected], object]] = {
    400: (ProviderRejected, gettext_lazy("The job distribution provider refused the request.")),
    403: (ProviderForbidden, gettext_lazy("The job distribution provider does not allow this.")),
    404: (ProviderNotFound, gettext_lazy("The job distribution provider does not know it.")),
    413: (ProviderRejected, gettext_lazy("The request is too large for the provider.")),
    415: (
        ProviderRejected,
        gettext_lazy("The provider does not accept the request's content type."),
    ),
}


def retry_after_seconds(value: str | None) -> float:
    """``Retry-After`` in seconds or as an HTTP date; without one, a whole window."""
    if not value:
        return float(getattr(settings, "PROVIDER_RATE_WINDOW", 60))
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return float(getattr(settings, "PROVIDER_RATE_WINDOW", 60))
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _never_connected(error: requests.RequestException) -> bool:
    """No connection was ever made (refused, unreachable, connect timeout): the request
    cannot have reached the provider, so a write's outcome is known: not done."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _connection_reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.exceptions.ChunkedEncodingError | ConnectionResetError):
        return _("the connection was dropped while reading the answer")
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        if "RemoteDisconnected" in text or "Connection aborted" in text:
            return _("the connection was closed without an answer")
        return _("connection refused or network unreachable")
    return type(error).__name__
