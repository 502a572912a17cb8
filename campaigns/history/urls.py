"""History routes, included from ``campaigns/urls.py``."""

from django.urls import path

from campaigns.history import performance_views, views

_history = "administration/job-boards/history/"
_performance = "administration/job-boards/performance/"

urlpatterns = [
    path(_history, views.HistoryListView.as_view(), name="campaign_history"),
    path(f"{_history}jobs/", views.HistoryJobSearchView.as_view(), name="campaign_history_jobs"),
    path(f"{_history}export.csv", views.HistoryCsvView.as_view(), name="campaign_history_csv"),
    path(
        f"{_history}campaigns/<int:campaign_id>/",
        views.CampaignHistoryDetailView.as_view(),
        name="campaign_history_detail",
    ),
    path(_performance, performance_views.PerformanceView.as_view(), name="board_performance"),
    path(
        f"{_performance}export.csv",
        performance_views.PerformanceCsvView.as_view(),
        name="board_performance_csv",
    ),
]
