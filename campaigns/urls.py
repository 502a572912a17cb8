urlpatterns: list = []

# --- history (admin History screen) ---
from django.urls import include, path  # noqa: E402

urlpatterns += [path("", include("campaigns.history.urls"))]
