"""History routes, included from ``campaigns/urls.py``."""

from django.urls import path

from campaigns.history import views

_history = "administration/job-boards/history/"

urlpatterns = [
    path(_history, views.HistoryListView.as_view(), name="campaign_history"),
    path(f"{_history}jobs/", views.HistoryJobSearchView.as_view(), name="campaign_history_jobs"),
    path(f"{_history}export.csv", views.HistoryCsvView.as_view(), name="campaign_history_csv"),
    path(
        f"{_history}campaigns/<int:campaign_id>/",
        views.CampaignHistoryDetailView.as_view(),
        name="campaign_history_detail",
    ),
]
