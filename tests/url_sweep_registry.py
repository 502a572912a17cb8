"""What the URL sweep needs to build a URL for every route, whatever app adds it.

OBJECT_MAKERS: for each URL keyword that names a tenant-owned object, a function that creates
such an object in the given organisation and returns it. A new route whose keyword is not
listed here makes the sweep fail with a message saying to add it: routes are never skipped.

PLAIN_VALUES: keywords that are not tenant-owned objects (tokens, public slugs) and the value
to use.
"""

from tests import factories
from tests.jobs import factories as job_factories

OBJECT_MAKERS = {
    "member_id": lambda org: factories.MembershipFactory(organization=org),
    "invitation_id": lambda org: factories.InvitationFactory(organization=org),
}

PLAIN_VALUES = {
    "token": "not-a-real-token",
    # django-allauth's links from emails (confirm an address, reset a password)
    "key": "not-a-real-key",
    "uidb36": "zz",
}

# --- jobs -------------------------------------------------------------------------------
OBJECT_MAKERS["job_id"] = lambda org: job_factories.JobFactory(organization=org)
OBJECT_MAKERS["application_id"] = lambda org: job_factories.ApplicationFactory(
    job=job_factories.JobFactory(organization=org)
)
PLAIN_VALUES["slug"] = "some-career-page"

# --- contracts ------------------------------------------------------------------------------
from contracts.models import AccessRequest  # noqa: E402
from tests.contracts import factories as contract_factories  # noqa: E402

OBJECT_MAKERS["group_id"] = lambda org: contract_factories.ContractGroupFactory(organization=org)
OBJECT_MAKERS["contract_id"] = lambda org: contract_factories.ContractFactory(
    group__organization=org
)
PLAIN_VALUES["oauth_state"] = "not-a-real-state"
# The support desk (staff only; the fuzzer visits it, tests/security/test_fuzz.py). One
# request per organisation: the routes of one organisation share it.
OBJECT_MAKERS["access_request_id"] = lambda org: (
    AccessRequest.objects.filter(organization=org).first()
    or contract_factories.AccessRequestFactory(organization=org)
)

# --- campaigns --------------------------------------------------------------------------------
from tests.campaigns import factories as campaign_factories  # noqa: E402

OBJECT_MAKERS["campaign_id"] = lambda org: campaign_factories.CampaignFactory(job__organization=org)
OBJECT_MAKERS["posting_id"] = lambda org: campaign_factories.PostingFactory(
    campaign__job__organization=org
)
OBJECT_MAKERS["draft_id"] = lambda org: campaign_factories.CampaignDraftFactory(
    job__organization=org
)
# The provider's webhook (a public route): a wrong secret segment, which answers 404.
PLAIN_VALUES["webhook_secret"] = "not-the-webhook-secret"

# --- pages in the browser (tests/test_pages_browser.py) ---------------------------------------
# The browser sweeps open every page of the showcase organisation (tests/showcase.py): each
# URL keyword names the showcase value to use. A new keyword missing here fails the sweep.
from tests.showcase import INVITATION_TOKEN  # noqa: E402

SHOWCASE_VALUES = {
    "member_id": lambda s: s.membership.pk,
    "invitation_id": lambda s: s.invitation.pk,
    "token": lambda s: INVITATION_TOKEN,
    "job_id": lambda s: s.job.pk,
    "application_id": lambda s: s.application.pk,
    "slug": lambda s: s.career_page.slug,
    "group_id": lambda s: s.group.pk,
    "contract_id": lambda s: s.contract.pk,
    "oauth_state": lambda s: "not-a-real-state",
    "access_request_id": lambda s: s.access_request.pk,
    "campaign_id": lambda s: s.campaign.pk,
    "posting_id": lambda s: s.posting.pk,
    "draft_id": lambda s: s.draft.pk,
    "webhook_secret": lambda s: "not-the-webhook-secret",
}

# Routes whose GET answer is not a page people read, and why. The browser sweeps check that
# each really answers something else than a page (a new page cannot hide here).
NOT_PAGES = {
    "healthz": "health check for the load balancer",
    "set_language": "target of the language switch's form",
    "application_cv": "CV download",
    "careers:feed": "XML job feed",
    "careers:logo": "the organisation's logo",
    "access_request_messages": "htmx fragment: the conversation, polled",
    "supportdesk:request_messages": "htmx fragment: the conversation, polled",
    "contract_channel_search": "htmx fragment: job board search results",
    "campaign_draft_autocomplete": "htmx fragment: suggestions",
    "contract_requirement_defaults_suggestions": "htmx fragment: suggestions for a default",
    "webhooks:provider": "the provider's webhook endpoint",
    "campaign_history_csv": "CSV download",
    "board_performance_csv": "CSV download of the job board performance",
    "campaign_history_jobs": "htmx fragment: job suggestions of the History's filter",
}
# Routes that need a key sent by email (django-allauth's regex routes): no URL to build.
EMAILED_KEY_ROUTES = {"account_confirm_email", "account_reset_password_from_key"}
