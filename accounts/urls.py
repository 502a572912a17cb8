from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("administration/", views.AdministrationView.as_view(), name="administration"),
    path("administration/team/", views.TeamView.as_view(), name="team"),
    path(
        "administration/team/members/<int:member_id>/role/",
        views.MemberRoleView.as_view(),
        name="member_role",
    ),
    path(
        "administration/team/members/<int:member_id>/deactivate/",
        views.MemberDeactivateView.as_view(),
        name="member_deactivate",
    ),
    path(
        "administration/team/members/<int:member_id>/reactivate/",
        views.MemberReactivateView.as_view(),
        name="member_reactivate",
    ),
    path(
        "administration/team/invitations/<int:invitation_id>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"
    ),
]
