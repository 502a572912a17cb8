"""The one way to tell which client sent a request: every rate limit (allauth's logins and
sign-ups, the career page's applications) and every record of a client address uses it.

Behind a load balancer ``REMOTE_ADDR`` is the balancer, so one visitor's junk would lock out
everyone. allauth's two settings say which proxies to trust (README, environment table):

- ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER`` (``JOBCAST_CLIENT_IP_HEADER``): a header that the
  trusted proxy sets and overwrites, e.g. ``X-Real-IP``;
- ``ALLAUTH_TRUSTED_PROXY_COUNT`` (``JOBCAST_TRUSTED_PROXY_COUNT``): how many proxies of ours
  append to ``X-Forwarded-For``; the client is the entry that many places from the end,
  so addresses a client writes at the front are never believed.

With neither set (the default, and ``make run``) only ``REMOTE_ADDR`` counts and forwarding
headers are ignored. Unlike allauth's own helper, a header that does not hold a valid address
never raises: the request is then keyed on the nearest proxy, which cannot be spoofed.
"""

import ipaddress

from allauth import app_settings as allauth_settings
from django.http import HttpRequest

UNKNOWN_CLIENT = "unknown"


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[2001:db8::1]:443"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "203.0.113.7:51234"
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as the configured trusted proxies report it."""
    header = allauth_settings.TRUSTED_CLIENT_IP_HEADER
    if header:
        found = _valid(request.headers.get(header))
        if found:
            return found
    proxies = allauth_settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("X-Forwarded-For", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            found = _valid(hops[-proxies])
            if found:
                return found
    return _valid(request.META.get("REMOTE_ADDR")) or UNKNOWN_CLIENT
