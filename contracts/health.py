"""A contract's health: the one state people see for it, computed in one place.

Ready / Expires in N days / Expired / Out of credits / Needs attention. The order of the
checks is the order of what to fix first: a contract the board refuses (the provider's
``errors``, or a board no longer in the catalogue) needs attention whatever its terms; an
expired one needs a new contract whatever its credits. Expired, out-of-credits and broken
contracts cannot be ordered (``orderable``); one about to expire still can.

The expiry date is the last day a contract can be used (the organisation's calendar).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy, ngettext, override
from django.utils.translation import gettext as _

from contracts.models import Contract

# How long before its expiry a contract is shown (and announced) as expiring.
EXPIRY_WARNING_DAYS = 14


class HealthState(models.TextChoices):
    READY = "ready", gettext_lazy("Ready")
    EXPIRING = "expiring", gettext_lazy("Expires soon")
    EXPIRED = "expired", gettext_lazy("Expired")
    OUT_OF_CREDITS = "out_of_credits", gettext_lazy("Out of credits")
    NEEDS_ATTENTION = "needs_attention", gettext_lazy("Needs attention")


# Bootstrap badge colour of each state (text-bg-<colour>).
_TONES = {
    HealthState.READY: "success",
    HealthState.EXPIRING: "warning",
    HealthState.EXPIRED: "danger",
    HealthState.OUT_OF_CREDITS: "danger",
    HealthState.NEEDS_ATTENTION: "danger",
}


@dataclass(frozen=True)
class ContractHealth:
    state: str
    days_left: int | None = None  # days until the expiry date (0: its last day)
    # The provider's errors and our own reasons, each worded in the language active where it
    # is shown (a page's, or the email's as it is written), not where this was computed.
    problems: list[str] = field(default_factory=list)
    expiry_date: datetime.date | None = None

    @property
    def orderable(self) -> bool:
        return self.state in (HealthState.READY, HealthState.EXPIRING)

    @property
    def tone(self) -> str:
        return _TONES[self.state]

    @property
    def label(self) -> str:
        if self.state == HealthState.EXPIRING:
            if self.days_left == 0:
                return _("Expires today")
            return ngettext(
                "Expires in %(days)s day", "Expires in %(days)s days", self.days_left
            ) % {"days": self.days_left}
        return str(HealthState(self.state).label)

    @property
    def reason(self) -> str:
        """Why the contract cannot be used (or soon will not), for anyone; empty when ready."""
        if self.state == HealthState.NEEDS_ATTENTION:
            return _("The job board refuses this contract: %(problems)s") % {
                "problems": " ".join(str(problem) for problem in self.problems)
            }
        if self.state == HealthState.EXPIRED:
            return _("This contract expired on %(date)s.") % {"date": self._date()}
        if self.state == HealthState.OUT_OF_CREDITS:
            return _("This contract has no credits left.")
        if self.state == HealthState.EXPIRING:
            return _("This contract can be used until %(date)s.") % {"date": self._date()}
        return ""

    @property
    def fix(self) -> str:
        """What to do about it, and who can."""
        if self.state == HealthState.NEEDS_ATTENTION:
            return _(
                "An admin can fix it in Administration → Job boards → Manage existing "
                "contracts: check the contract's credentials with the job board, save them "
                "again, then use Check now."
            )
        if self.state in (HealthState.EXPIRED, HealthState.OUT_OF_CREDITS):
            return _(
                "An admin can add a new contract for this job board in Administration → "
                "Job boards (the terms of a contract cannot change after it is created)."
            )
        if self.state == HealthState.EXPIRING:
            return _(
                "To keep publishing on this job board after that, an admin can add a new "
                "contract in Administration → Job boards."
            )
        return ""

    def _date(self) -> str:
        return date_format(self.expiry_date, "DATE_FORMAT") if self.expiry_date else ""


# The notices emailed to the admins, as each is reached.
NOTICE_EXPIRY_14 = "expiry-14"
NOTICE_EXPIRY_3 = "expiry-3"
NOTICE_EXPIRED = "expired"
NOTICE_OUT_OF_CREDITS = "out-of-credits"
NOTICE_NEEDS_ATTENTION = "needs-attention"
EXPIRY_LAST_NOTICE_DAYS = 3


def health_notice(health: ContractHealth) -> str:
    """The email this health calls for ("" for none): 14 and 3 days before expiry, on expiry,
    out of credits, needs attention (the provider's words are part of the notice, so a new
    problem is a new notice)."""
    if health.state == HealthState.NEEDS_ATTENTION:
        # In English, the provider's reference words: the same problems read in French are
        # not a new notice.
        with override("en"):
            problems = "\n".join(str(problem) for problem in health.problems)
        digest = hashlib.sha256(problems.encode()).hexdigest()[:12]
        return f"{NOTICE_NEEDS_ATTENTION}:{digest}"
    if health.state == HealthState.EXPIRED:
        return NOTICE_EXPIRED
    if health.state == HealthState.OUT_OF_CREDITS:
        return NOTICE_OUT_OF_CREDITS
    if health.state == HealthState.EXPIRING:
        if health.days_left <= EXPIRY_LAST_NOTICE_DAYS:
            return NOTICE_EXPIRY_3
        return NOTICE_EXPIRY_14
    return ""


def _provider_words(english: str, french: str) -> str:
    """The provider's words in the active language: French when it is French and we hold
    them, else the English reference."""
    if french and (get_language() or "").startswith("fr"):
        return french
    return english


# Chosen when shown: an email is written in its own language after the health is computed.
_in_reader_language = lazy(_provider_words, str)


def contract_health(contract: Contract, *, today: datetime.date | None = None) -> ContractHealth:
    """The one state of ``contract`` (its ``channel`` is read: select it with the contract)."""
    today = today or timezone.localdate()
    french = contract.provider_errors_french
    problems = [
        _in_reader_language(str(english), french[index] if french else "")
        for index, english in enumerate(contract.provider_errors or [])
    ]
    if not contract.channel.is_active:
        problems.append(gettext_lazy("This job board is no longer available in the catalogue."))
    expiry = contract.expiry_date
    if problems or not contract.is_ready:
        unnamed = gettext_lazy("The job-distribution provider reported a problem.")
        return ContractHealth(
            HealthState.NEEDS_ATTENTION, problems=problems or [unnamed], expiry_date=expiry
        )
    days_left = (expiry - today).days if expiry else None
    if days_left is not None and days_left < 0:
        return ContractHealth(HealthState.EXPIRED, days_left=days_left, expiry_date=expiry)
    if contract.credits is not None and contract.credits <= 0:
        return ContractHealth(HealthState.OUT_OF_CREDITS, days_left=days_left, expiry_date=expiry)
    if days_left is not None and days_left <= EXPIRY_WARNING_DAYS:
        return ContractHealth(HealthState.EXPIRING, days_left=days_left, expiry_date=expiry)
    return ContractHealth(HealthState.READY, days_left=days_left, expiry_date=expiry)
