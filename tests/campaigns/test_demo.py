"""The demo campaigns: one per status, made through the services, idempotent."""

from datetime import timedelta

import pytest

from accounts import demo as accounts_demo
from accounts.models import Organization, User
from campaigns import demo
from campaigns.history.board_performance import Period, board_performance
from campaigns.models import Campaign, OrderOutbox
from tests.campaigns.sandbox_setup import sandbox_terms
from tests.contracts.factories import ContractFactory, ContractGroupFactory
from tests.jobs.factories import CareerPageFactory, JobFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded, pytest.mark.usefixtures("empty_cache")]


def test_demo_campaigns_cover_every_status_and_seed_twice_changes_nothing(
    django_capture_on_commit_callbacks,
):
    accounts_demo.seed(log=lambda message: None)
    acme = Organization.objects.get(slug="acme-talent")
    acme.my_own_contracts_enabled = True
    acme.save()
    sandbox_terms()
    CareerPageFactory(organization=acme, slug="acme")
    recruiter = User.objects.get(email="recruiter@acme.test")
    JobFactory(organization=acme, recruiter=recruiter, title="Data engineer")
    group = ContractGroupFactory(organization=acme)
    ContractFactory(group=group, product_id="p1")
    ContractFactory(group=group, product_id="p2")

    messages = []
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed(log=messages.append)
        demo.seed(log=messages.append)
    campaigns = Campaign.objects.for_org(acme)
    assert campaigns.count() == 4
    assert set(campaigns.values_list("status", flat=True)) == {
        "in_progress",
        "online",
        "offline",
        "failed",
    }
    assert set(OrderOutbox.objects.values_list("state", flat=True)) == {"done"}
    assert all(c.provider_campaign_id.startswith("demo-") for c in campaigns)
    assert "already there" in messages[-1]
    # The Performance page's charts are not empty: views and applications spread over weeks.
    figures = board_performance(org=acme, period=Period.last_days(60))
    assert sum(board.raw_views for board in figures.boards) > 0
    assert sum(board.raw_applications for board in figures.boards) > 0
    days_with_views = {p.day for s in figures.series for p in s.points if p.views}
    assert max(days_with_views) - min(days_with_views) >= timedelta(days=30)
