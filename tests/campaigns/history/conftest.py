"""History tests. Campaigns whose order document matters are placed through the real ordering
service (``ordered_campaign``), so their frozen document is the one
``campaigns.services.order_document`` builds; list tests use the project's factories."""

import pytest
from django.utils import translation

from campaigns.services.ordering import campaign_order
from tests.jobs.factories import CompleteJobFactory


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French leaves French active in the test's thread (LocaleMiddleware does
    not switch back): every History test starts, and leaves, in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


DESCRIPTION = (
    "<p>We hire every week.</p><p>Meaningful work &amp; fair pay.<br>Lyon or remote.</p>"
    "<ul><li>Python</li><li>Django</li></ul>"
)


@pytest.fixture
def job(enabled_org, recruiter):
    """The ordering fixtures' job (tests/campaigns/conftest.py), with a description of
    several paragraphs."""
    return CompleteJobFactory(
        organization=enabled_org,
        recruiter=recruiter,
        title="Data engineer",
        description=DESCRIPTION,
    )


@pytest.fixture
def ordered_campaign(ready_draft, recruiter):
    """A campaign on two boards (one with requirements), ordered by ``recruiter``."""
    return campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)
