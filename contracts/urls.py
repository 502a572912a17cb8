from django.urls import include, path

from contracts import supportdesk
from contracts.views import access, contracts, groups, oauth

_boards = "administration/job-boards/"

support_patterns = [
    path("", supportdesk.RequestListView.as_view(), name="request_list"),
    path(
        "requests/<int:access_request_id>/",
        supportdesk.RequestDetailView.as_view(),
        name="request_detail",
    ),
    path(
        "requests/<int:access_request_id>/messages/",
        supportdesk.RequestMessagesView.as_view(),
        name="request_messages",
    ),
    path(
        "requests/<int:access_request_id>/enable/",
        supportdesk.RequestEnableView.as_view(),
        name="request_enable",
    ),
]

urlpatterns = [
    path(_boards, access.JobBoardsView.as_view(), name="job_boards"),
    path(f"{_boards}access/", access.AccessRequestView.as_view(), name="access_request"),
    path(
        f"{_boards}access/messages/",
        access.AccessRequestMessagesView.as_view(),
        name="access_request_messages",
    ),
    path(f"{_boards}contracts/", groups.ContractListView.as_view(), name="contract_list"),
    path(
        f"{_boards}groups/new/",
        groups.ContractGroupCreateView.as_view(),
        name="contract_group_create",
    ),
    path(
        f"{_boards}groups/<int:group_id>/rename/",
        groups.ContractGroupRenameView.as_view(),
        name="contract_group_rename",
    ),
    path(
        f"{_boards}groups/<int:group_id>/delete/",
        groups.ContractGroupDeleteView.as_view(),
        name="contract_group_delete",
    ),
    path(f"{_boards}contracts/add/", contracts.ContractAddView.as_view(), name="contract_add"),
    path(
        f"{_boards}contracts/add/search/",
        contracts.ChannelSearchView.as_view(),
        name="contract_channel_search",
    ),
    path(
        f"{_boards}contracts/add/connect/",
        oauth.ContractOAuthStartView.as_view(),
        name="contract_oauth_start",
    ),
    path(
        f"{_boards}contracts/oauth/<str:oauth_state>/",
        oauth.ContractOAuthCallbackView.as_view(),
        name="contract_oauth_callback",
    ),
    path(
        f"{_boards}contracts/<int:contract_id>/",
        contracts.ContractDetailView.as_view(),
        name="contract_detail",
    ),
    path(
        f"{_boards}contracts/<int:contract_id>/check/",
        contracts.ContractCheckView.as_view(),
        name="contract_check",
    ),
    path(
        f"{_boards}contracts/<int:contract_id>/delete/",
        contracts.ContractDeleteView.as_view(),
        name="contract_delete",
    ),
    path("support-desk/", include((support_patterns, "supportdesk"))),
]
