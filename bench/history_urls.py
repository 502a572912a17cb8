"""The product's URLs plus the History benchmark's baseline: a bare view running one query.
Selected only by ``bench.history_settings``; never part of the product's URLconf."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.models import Organization


def baseline(request):
    name = Organization.objects.values_list("name", flat=True).order_by("pk").first()
    return HttpResponse(name or "", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("config.urls")),
]
