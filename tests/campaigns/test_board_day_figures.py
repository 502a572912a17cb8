"""The Performance page's roll-up of career page views and applications per contract, board
and day: written by the career page's own write paths, in their transaction, and equal to what
the counters and applications add up to."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from campaigns.models import BoardDayFigures, Posting
from campaigns.services.board_day_figures import board_day_figures_rebuild
from jobs import services as jobs_services
from jobs.models import JobStatus, JobViewCounter
from jobs.pdf import minimal_pdf
from jobs.services import application_create, job_view_record
from jobs.utm import Utm
from tests.campaigns.factories import PostingFactory
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

backfill_migration = importlib.import_module("campaigns.migrations.0006_board_day_figures")


def rows(org) -> set[tuple]:
    return set(
        BoardDayFigures.objects.filter(organization=org).values_list(
            "contract_key", "board_name", "day", "views", "applications"
        )
    )


def posting_of(org, *, board="Indeed", contract=True):
    posting = PostingFactory(
        online=True,
        campaign__job__organization=org,
        board_name=board,
        contract=ContractFactory(group__organization=org, channel__name=board),
    )
    if not contract:  # as once its contract is deleted
        Posting.objects.filter(pk=posting.pk).update(contract=None)
        posting.refresh_from_db()
    posting.campaign.job.status = JobStatus.OPEN
    posting.campaign.job.save(update_fields=["status"])
    return posting


def apply_through(posting):
    return application_create(
        job=posting.campaign.job,
        name="Jane Doe",
        email="jane@example.test",
        cv=SimpleUploadedFile("cv.pdf", minimal_pdf(["Jane Doe"]), "application/pdf"),
        utm=Utm(utm_source="indeed", utm_content=posting.utm_content),
    )


def test_each_view_and_application_adds_to_its_board_and_day(org):
    posting = posting_of(org)
    utm = Utm(utm_source="indeed", utm_content=posting.utm_content)
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    job_view_record(job=posting.campaign.job, utm=utm)
    job_view_record(job=posting.campaign.job, utm=utm)
    job_view_record(job=posting.campaign.job, utm=utm, day=yesterday)
    apply_through(posting)
    assert rows(org) == {
        (posting.contract_id, "Indeed", today, 2, 1),
        (posting.contract_id, "Indeed", yesterday, 1, 0),
    }


def test_views_without_an_ad_or_of_another_organisation_add_nothing(org, other_org):
    posting = posting_of(org)
    foreign = posting_of(other_org)
    job = posting.campaign.job
    job_view_record(job=job, utm=Utm())  # straight to the career page
    job_view_record(job=job, utm=Utm(utm_content="p-not-an-ad"))
    job_view_record(job=job, utm=Utm(utm_content=foreign.utm_content))  # another org's ad
    assert JobViewCounter.objects.filter(job=job).count() == 3
    assert not BoardDayFigures.objects.exists()


def test_a_posting_without_contract_adds_up_in_one_row(org):
    posting = posting_of(org, contract=False)
    utm = Utm(utm_content=posting.utm_content)
    for _ in range(3):
        job_view_record(job=posting.campaign.job, utm=utm)
    assert rows(org) == {(0, "Indeed", timezone.localdate(), 3, 0)}


def test_the_view_and_its_roll_up_are_one_transaction(org, monkeypatch):
    """When the roll-up cannot be written, the view is not counted either."""
    posting = posting_of(org)

    def fails(**kwargs):
        raise RuntimeError("roll-up unavailable")

    monkeypatch.setattr(
        jobs_services, "ATTRIBUTION_RECORDERS", [*jobs_services.ATTRIBUTION_RECORDERS, fails]
    )
    with pytest.raises(RuntimeError):
        job_view_record(job=posting.campaign.job, utm=Utm(utm_content=posting.utm_content))
    assert not JobViewCounter.objects.exists()
    assert not BoardDayFigures.objects.exists()
    with pytest.raises(RuntimeError):
        apply_through(posting)
    assert not posting.campaign.job.applications.exists()


def test_rebuild_and_backfill_give_the_rows_the_write_paths_wrote(org, other_org):
    first, second = posting_of(org), posting_of(org, board="Welcome", contract=False)
    for posting, days in ((first, 3), (second, 2)):
        for back in range(days):
            day = timezone.localdate() - timedelta(days=back)
            utm = Utm(utm_content=posting.utm_content)
            job_view_record(job=posting.campaign.job, utm=utm, day=day)
            tagged = Utm(utm_source="indeed", utm_content=posting.utm_content)
            job_view_record(job=posting.campaign.job, utm=tagged, day=day)  # another counter
        apply_through(posting)
    job_view_record(job=posting_of(other_org).campaign.job, utm=Utm())
    written = rows(org)
    assert len(written) == 5
    board_day_figures_rebuild(org_id=org.pk)
    assert rows(org) == written
    BoardDayFigures.objects.all().delete()
    # The migration's function reads only the editor's connection.
    backfill_migration.backfill(None, SimpleNamespace(connection=connection))
    assert rows(org) == written
