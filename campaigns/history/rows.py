"""A row of the History list: what was read, and what a person sees of it."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from campaigns.history.performance import safe_url, shown_metric
from campaigns.models import LIVE_POSTING_STATUSES, TAKE_DOWN_REQUESTED

NOT_YET = "—"


def short_date(value: datetime | None) -> str:
    """The day of ``value`` in the current time zone and language, or "—"."""
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else NOT_YET


@dataclass(slots=True)
class HistoryRow:
    """One posting as the list shows it. The counts are what was counted; the properties
    are what a person sees (a count is None, shown as "—", where it does not exist yet)."""

    pk: int
    campaign_id: int
    campaign_name: str
    job_title: str
    recruiter_name: str
    recruiter_email: str
    board_name: str
    status: str
    job_board_link: str
    created_at: datetime
    published_at: datetime | None
    offline_at: datetime | None
    modified_at: datetime  # changes with every save of the posting: a row's cache key
    views_count: int
    clicks_count: int
    applications_count: int
    take_down_requested_at: datetime | None = None

    @property
    def shown_status(self) -> str:
        """The status, or "Take-down requested" while a take-down waits for the provider
        (as ``Posting.shown_status``)."""
        if self.take_down_requested_at is not None and self.is_live:
            return TAKE_DOWN_REQUESTED
        return self.status

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_POSTING_STATUSES

    @property
    def recruiter(self) -> str:
        return self.recruiter_name or self.recruiter_email

    @property
    def ad_url(self) -> str:
        return safe_url(self.job_board_link)

    @property
    def ordered_on(self) -> str:
        return short_date(self.created_at)

    @property
    def published_on(self) -> str:
        return short_date(self.published_at)

    @property
    def offline_on(self) -> str:
        return short_date(self.offline_at)

    @property
    def views(self) -> int | None:
        return shown_metric(self.views_count, status=self.status, published_at=self.published_at)

    @property
    def clicks(self) -> int | None:
        return shown_metric(self.clicks_count, status=self.status, published_at=self.published_at)

    @property
    def applications(self) -> int | None:
        return shown_metric(
            self.applications_count, status=self.status, published_at=self.published_at
        )
