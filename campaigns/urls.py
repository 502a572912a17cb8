from django.urls import include, path

from campaigns.views import campaigns, requirement_defaults, sourcing, webhooks, wizard

webhook_patterns = [
    # The secret is part of the address (the provider sends no header): see
    # campaigns.provider_webhook and `manage.py provider_webhook_url`.
    path("provider/<str:webhook_secret>/", webhooks.provider_webhook, name="provider"),
]

urlpatterns = [
    # Under the contract's own path: the page belongs to the contract, the form to campaigns.
    path(
        "administration/job-boards/contracts/<int:contract_id>/requirement-defaults/",
        requirement_defaults.ContractRequirementDefaultsView.as_view(),
        name="contract_requirement_defaults",
    ),
    path(
        "administration/job-boards/contracts/<int:contract_id>/requirement-defaults/suggestions/",
        requirement_defaults.ContractRequirementDefaultsSuggestionsView.as_view(),
        name="contract_requirement_defaults_suggestions",
    ),
    path(
        "jobs/<int:job_id>/sourcing/boards/",
        sourcing.JobBoardsView.as_view(),
        name="job_sourcing_boards",
    ),
    path(
        "jobs/<int:job_id>/campaigns/add/",
        sourcing.DraftAddContractsView.as_view(),
        name="campaign_draft_add",
    ),
    path(
        "jobs/<int:job_id>/campaigns/take-down/",
        sourcing.JobCampaignsTakeDownView.as_view(),
        name="job_campaigns_take_down",
    ),
    path(
        "campaigns/drafts/<int:draft_id>/target-group/",
        wizard.TargetGroupView.as_view(),
        name="campaign_draft_target_group",
    ),
    path(
        "campaigns/drafts/<int:draft_id>/review/",
        wizard.ReviewView.as_view(),
        name="campaign_draft_review",
    ),
    path(
        "campaigns/drafts/<int:draft_id>/order/",
        wizard.OrderView.as_view(),
        name="campaign_draft_order",
    ),
    path(
        "campaigns/drafts/<int:draft_id>/discard/",
        wizard.DiscardView.as_view(),
        name="campaign_draft_discard",
    ),
    path(
        "campaigns/drafts/<int:draft_id>/autocomplete/",
        wizard.AutocompleteView.as_view(),
        name="campaign_draft_autocomplete",
    ),
    path(
        "campaigns/<int:campaign_id>/",
        campaigns.CampaignDetailView.as_view(),
        name="campaign_detail",
    ),
    path(
        "campaigns/<int:campaign_id>/ordered/",
        campaigns.OrderPlacedView.as_view(),
        name="campaign_order_placed",
    ),
    path(
        "campaigns/<int:campaign_id>/take-down/",
        campaigns.CampaignTakeDownView.as_view(),
        name="campaign_take_down",
    ),
    path(
        "campaigns/<int:campaign_id>/order-again/",
        campaigns.OrderAgainView.as_view(),
        name="campaign_order_again",
    ),
    path(
        "postings/<int:posting_id>/repost/",
        campaigns.PostingRepostView.as_view(),
        name="posting_repost",
    ),
    path(
        "postings/<int:posting_id>/take-down/",
        campaigns.PostingTakeDownView.as_view(),
        name="posting_take_down",
    ),
    path("webhooks/", include((webhook_patterns, "webhooks"))),
]
urlpatterns += [path("", include("campaigns.history.urls"))]  # history (admin History screen)
