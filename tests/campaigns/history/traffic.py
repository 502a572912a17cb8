"""Postings made by factories (around the ordering and status services) rolled up for the
Performance page (``rolled_up``), and career page traffic through a posting's ad, written as
the career page writes it: the view counter or the application, and the Performance page's
roll-up (``board_day_figures_add``, which ``job_view_record`` and ``application_create``
call; those calls are tested in tests/campaigns/test_board_day_figures.py). ``count`` views
are one increment here, not ``count`` requests."""

from django.db.models import F
from django.utils import timezone

from campaigns.services.board_day_figures import board_day_figures_add
from campaigns.services.board_posting_figures import board_posting_figures_rebuild
from jobs.models import JobViewCounter
from tests.jobs.factories import ApplicationFactory


def record_views(posting, count: int, *, day=None) -> None:
    day = day or timezone.localdate()
    counter, _created = JobViewCounter.objects.get_or_create(
        job=posting.campaign.job,
        day=day,
        utm_content=posting.utm_content,
        defaults={"organization_id": posting.organization_id, "count": 0},
    )
    JobViewCounter.objects.filter(pk=counter.pk).update(count=F("count") + count)
    board_day_figures_add(
        org_id=posting.organization_id, utm_content=posting.utm_content, day=day, views=count
    )


def record_applications(posting, count: int = 1) -> None:
    for _ in range(count):
        application = ApplicationFactory(job=posting.campaign.job, utm_content=posting.utm_content)
        board_day_figures_add(
            org_id=posting.organization_id,
            utm_content=posting.utm_content,
            day=timezone.localdate(application.created_at),
            applications=1,
        )


def rolled_up(org) -> None:
    """The postings' roll-up of ``org`` computed again from its postings, after tests wrote
    them with factories and updates (campaign_order and posting_apply_status keep it
    themselves: tests/campaigns/history/test_board_posting_figures.py)."""
    board_posting_figures_rebuild(org_id=org.pk)
