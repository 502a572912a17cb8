"""The posting state machine: out-of-order, duplicate and stale updates change nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from campaigns.models import CampaignStatus, EventSource, PostingEvent, PostingStatus
from campaigns.services.status import (
    campaign_status_from_postings,
    can_transition,
    posting_apply_status,
)
from notifications.models import Notification
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.factories import AdminMembershipFactory

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


def at(seconds: int):
    return T0 + timedelta(seconds=seconds)


def apply(posting, status, seconds=None, **extra):
    return posting_apply_status(
        posting=posting,
        status=status,
        source=extra.pop("source", EventSource.POLL),
        observed_at=None if seconds is None else at(seconds),
        **extra,
    )


def statuses(posting):
    return list(
        PostingEvent.objects.filter(posting=posting).values_list("from_status", "to_status")
    )


def test_the_happy_path_records_every_change():
    posting = PostingFactory()
    assert apply(posting, PostingStatus.IN_PROGRESS, source=EventSource.SUBMIT)
    assert apply(posting, PostingStatus.ONLINE, 10, job_board_link="https://b.test/ad/1")
    assert apply(posting, PostingStatus.OFFLINE, 20)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.OFFLINE
    assert posting.job_board_link == "https://b.test/ad/1"
    assert posting.published_at == at(10) and posting.offline_at == at(20)
    assert statuses(posting) == [
        ("submitted", "in_progress"),
        ("in_progress", "online"),
        ("online", "offline"),
    ]


def test_a_duplicate_update_changes_nothing():
    posting = PostingFactory(status=PostingStatus.IN_PROGRESS)
    assert apply(posting, PostingStatus.ONLINE, 10, job_board_link="https://b.test/ad/1")
    before = PostingEvent.objects.count()
    assert not apply(posting, PostingStatus.ONLINE, 10, job_board_link="https://b.test/ad/1")
    assert PostingEvent.objects.count() == before


def test_a_stale_update_is_ignored():
    posting = PostingFactory(status=PostingStatus.IN_PROGRESS)
    assert apply(posting, PostingStatus.ONLINE, 20)
    # An older observation arriving late (an old webhook) would move the posting back.
    assert not apply(posting, PostingStatus.IN_PROGRESS, 10)
    # Even one that would be a legal move is ignored when it is older than what we know.
    assert not apply(posting, PostingStatus.OFFLINE, 15)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.ONLINE
    assert posting.status_observed_at == at(20)


def test_out_of_order_updates_never_move_backwards():
    posting = PostingFactory()
    # The poll saw it online before the delivery recorded "in progress" (our clock).
    assert apply(posting, PostingStatus.ONLINE, 10)
    assert not apply(posting, PostingStatus.IN_PROGRESS, source=EventSource.SUBMIT)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.ONLINE
    assert statuses(posting) == [("submitted", "online")]


def test_final_statuses_are_final():
    failed = PostingFactory(status=PostingStatus.IN_PROGRESS)
    assert apply(failed, PostingStatus.FAILED, 5, description="Bad login", solution="<b>Fix</b>")
    assert not apply(failed, PostingStatus.ONLINE, 10)
    failed.refresh_from_db()
    assert failed.status == PostingStatus.FAILED
    assert failed.status_solution == "<b>Fix</b>"  # kept as text; templates escape it

    offline = PostingFactory(status=PostingStatus.ONLINE)
    assert apply(offline, PostingStatus.OFFLINE, source=EventSource.TAKE_DOWN)
    assert not apply(offline, PostingStatus.ONLINE, 30)
    offline.refresh_from_db()
    assert offline.status == PostingStatus.OFFLINE


def test_online_never_becomes_failed():
    assert not can_transition(PostingStatus.ONLINE, PostingStatus.FAILED)
    posting = PostingFactory(status=PostingStatus.ONLINE)
    assert not apply(posting, PostingStatus.FAILED, 10)


def test_clicks_only_grow_and_add_no_event():
    posting = PostingFactory(status=PostingStatus.ONLINE)
    assert apply(posting, PostingStatus.ONLINE, 10, clicks=5)
    assert not apply(posting, PostingStatus.ONLINE, 11, clicks=3)
    posting.refresh_from_db()
    assert posting.clicks == 5
    assert PostingEvent.objects.filter(posting=posting).count() == 0


def test_campaign_status_is_derived_from_its_postings():
    campaign = CampaignFactory()
    first = PostingFactory(campaign=campaign)
    second = PostingFactory(campaign=campaign)
    apply(first, PostingStatus.IN_PROGRESS)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.IN_PROGRESS
    apply(second, PostingStatus.ONLINE, 5)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ONLINE
    apply(first, PostingStatus.FAILED, 6)
    apply(second, PostingStatus.OFFLINE, 7)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OFFLINE


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["submitted", "submitted"], "submitted"),
        (["submitted", "in_progress"], "in_progress"),
        (["failed", "online"], "online"),
        (["failed", "failed"], "failed"),
        (["failed", "offline"], "offline"),
    ],
)
def test_campaign_status_rules(statuses, expected):
    assert campaign_status_from_postings(statuses) == expected


def test_the_recruiter_is_emailed_when_a_board_goes_online_or_fails(
    django_capture_on_commit_callbacks, tasks_run_here
):
    campaign = CampaignFactory()
    online = PostingFactory(campaign=campaign, status=PostingStatus.IN_PROGRESS)
    failed = PostingFactory(campaign=campaign, status=PostingStatus.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        apply(online, PostingStatus.ONLINE, 5, job_board_link="https://b.test/ad/9")
        apply(failed, PostingStatus.FAILED, 5, description="Login refused")
    with django_capture_on_commit_callbacks(execute=True):
        apply(online, PostingStatus.ONLINE, 6)  # a duplicate: no second email
        apply(online, PostingStatus.OFFLINE, 7)  # nobody is told about this one
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {campaign.ordered_by.email}
    online_mail, failed_mail = sorted(mail.outbox, key=lambda m: "could not" in m.subject)
    assert "is online on" in online_mail.subject and "https://b.test/ad/9" in online_mail.body
    assert "could not be published" in failed_mail.subject
    assert "Login refused" in failed_mail.body
    assert f"/campaigns/{campaign.pk}/" in online_mail.body
    # Each email is an outbox row, written once per board and status, and recorded as sent.
    assert Notification.objects.filter(state="sent").count() == 2


def test_the_email_is_written_with_the_status_change_and_rolled_back_with_it():
    posting = PostingFactory(status=PostingStatus.IN_PROGRESS)
    with pytest.raises(RuntimeError), transaction.atomic():
        apply(posting, PostingStatus.ONLINE, 5)
        assert Notification.objects.filter(key__startswith=f"posting:{posting.pk}:").exists()
        raise RuntimeError("the surrounding work failed")
    assert not Notification.objects.exists()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.IN_PROGRESS


def test_a_deactivated_recruiter_is_not_emailed_but_the_admins_are(org):
    campaign = CampaignFactory(job__organization=org)
    admin = AdminMembershipFactory(organization=org).user
    campaign.ordered_by.is_active = False
    campaign.ordered_by.save()
    posting = PostingFactory(campaign=campaign, status=PostingStatus.IN_PROGRESS)
    apply(posting, PostingStatus.FAILED, 5, description="Login refused")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [admin.pk]
