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
