from django.urls import include, path

from jobs import career_views, views

career_patterns = [
    path("<slug:slug>/", career_views.career_list, name="list"),
    path("<slug:slug>/feed.xml", career_views.career_feed, name="feed"),
    path("<slug:slug>/logo", career_views.career_logo, name="logo"),
    path("<slug:slug>/jobs/<int:job_id>/", career_views.career_job, name="job"),
    path("<slug:slug>/jobs/<int:job_id>/applied/", career_views.career_applied, name="applied"),
]

urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/new/", views.JobCreateView.as_view(), name="job_create"),
    path("jobs/<int:job_id>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:job_id>/edit/", views.JobEditView.as_view(), name="job_edit"),
    path("jobs/<int:job_id>/sourcing/", views.JobSourcingView.as_view(), name="job_sourcing"),
    path(
        "jobs/<int:job_id>/applications/",
        views.JobApplicationsView.as_view(),
        name="job_applications",
    ),
    path("jobs/<int:job_id>/close/", views.JobCloseView.as_view(), name="job_close"),
    path("jobs/<int:job_id>/reopen/", views.JobReopenView.as_view(), name="job_reopen"),
    path(
        "applications/<int:application_id>/",
        views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:application_id>/cv/",
        views.ApplicationCvView.as_view(),
        name="application_cv",
    ),
    path(
        "administration/career-page/",
        views.CareerPageSettingsView.as_view(),
        name="career_page_settings",
    ),
    path("careers/", include((career_patterns, "careers"))),
]
