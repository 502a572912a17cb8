"""The product's URLs plus the History benchmark's own: a bare view running one query (the
baseline), and two ways of reaching the History past its caches. Selected only by
``bench.history_settings``; never part of the product's URLconf."""

from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from accounts.models import Organization
from campaigns.history.page_cache import history_changed
from campaigns.history.views import HistoryListView


def baseline(request):
    name = Organization.objects.values_list("name", flat=True).order_by("pk").first()
    return HttpResponse(name or "", content_type="text/plain")


class HistoryAfterChange(HistoryListView):
    """The first view of the History after a change: the organisation's history version is
    replaced first, as a status change does (rows whose posting did not change stay cached)."""

    def get(self, request):
        history_changed(org_id=request.organization.pk)
        return super().get(request)


class HistoryWithoutCache(HistoryListView):
    """The History rendered whole on every request: no page, row, filter or choice cache.
    (Settings overridden per request: gunicorn's sync workers serve one request at a time.)"""

    def get(self, request):
        with override_settings(HISTORY_CACHE_SECONDS=0):
            return super().get(request)


urlpatterns = [
    path("bench/baseline/", baseline),
    path("bench/history-after-change/", HistoryAfterChange.as_view()),
    path("bench/history-without-cache/", HistoryWithoutCache.as_view()),
    path("", include("config.urls")),
]
