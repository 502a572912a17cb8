"""Requests refused before a view sees them.

Bodies over ``settings.REQUEST_BODY_MAX_BYTES`` are refused from their ``Content-Length``
before a byte of them is read: an anonymous visitor cannot make the server write gigabytes
to disk only to be told afterwards that the CV was too large.

A query string holding a NUL character is refused with a 400: nobody types one, and
PostgreSQL cannot compare text with it, so any view searching with the raw value (the board
search did) would answer 500. Form fields already refuse it with a message.

A view may explain the refusal on its own page (the career page's apply form does): it
names a function ``(request, *args, **kwargs) -> HttpResponse`` with
``@oversized_body_response(function)``. Every other view answers with the 413 page.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve

_HANDLER_ATTRIBUTE = "oversized_body_response"


def oversized_body_response(handler):
    """Decorate a view with the response it gives to a body that is too large."""

    def decorate(view):
        setattr(view, _HANDLER_ATTRIBUTE, handler)
        return view

    return decorate


def declared_body_size(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django itself treats a malformed length as an empty body


def too_large_response(request):
    return render(
        request,
        "413.html",
        {"limit": settings.REQUEST_BODY_MAX_BYTES},
        status=413,
    )


def has_nul_in_query(request) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists())  # fmt: skip


class RequestLimitsMiddleware:
    """A body over the size limit or a query string with NUL: refused unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul_in_query(request):
            return render(request, "400.html", status=400)
        if declared_body_size(request) <= settings.REQUEST_BODY_MAX_BYTES:
            return self.get_response(request)
        # Nothing reads the body from here on, so it is never stored; the WSGI server then
        # drops the rest of it (a hop-by-hop "Connection" header is not ours to send).
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        handler = getattr(match.func, _HANDLER_ATTRIBUTE, None) if match else None
        if handler is not None:
            return handler(request, *match.args, **match.kwargs)
        return too_large_response(request)
