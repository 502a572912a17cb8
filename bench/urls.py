"""The two views the catalogue benchmark requests: channel search and a bare baseline."""

from django.http import HttpResponse, JsonResponse
from django.urls import path

from distribution.selectors import channel_search


def bare(request):
    return HttpResponse("ok")


def search(request):
    channels = channel_search(term=request.GET.get("q", ""), limit=20)
    return JsonResponse({"results": [{"id": c.provider_id, "name": c.name} for c in channels]})


urlpatterns = [path("bench/bare/", bare), path("bench/search/", search)]
