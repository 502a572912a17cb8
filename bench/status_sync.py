"""Status sync at installation scale: staleness, budget and interactive wait, by simulation.

An accelerated clock runs in this process: simulated minutes pass as fast as the work takes.
The database is real (PostgreSQL when ``DATABASE_URL`` is set, else SQLite) with one row per
organisation, campaign and posting; the schedule is the product's (``poll_schedule.poll_plan``
and ``poll_budget``, fed the simulated ``now``) and every status reaches the database through
the product's one write path (``posting_apply_status``). The provider is modelled: its
postings change at the times below, its webhooks are lost with probability 10 % (5 % of the
others are sent twice, and dropped by their request id), and each call it answers is counted
through a model of the shared limiter (a sliding window of ``limit`` calls a minute; background
calls leave ``reserve`` slots free for people, and take none while a person waits).

The workload per organisation and day: 2 orders of 2 boards (each board goes online 1 to 5
minutes after the order), 0.5 take-downs (offline 1 to 3 minutes after the request), 0.2
unforeseeable changes (a board ends an ad early), 10 people waiting for a provider call (an
autocomplete, a contract check) per organisation and day, and the postings reaching the end of
their duration (published + 30 days, spread evenly).

The product works in one of two ways, and both are measured:

- **partner level** (the provider lists every customer's campaigns for the partner token, as
  its guides say): a delivered webhook schedules a *sweep* ``CAMPAIGNS_WEBHOOK_SWEEP_SECONDS``
  later unless one is already scheduled (``sync.webhook_follow_up``), and the sweep, like each
  poll run, reads every campaign changed since the shared cursor: one call per page of
  ``CAMPAIGNS_POLL_PAGE_SIZE`` (the boundary campaign read again included), within its
  budget, what it leaves going to the next read, oldest first. A change is applied by the
  first read after it, whether its webhook arrived or not.
- **customer by customer** (the provider refuses that level, as its OpenAPI document's
  security says): a delivered webhook costs one call (the campaign is fetched) and is applied
  when that call is granted; a lost one by the first poll of its organisation picked by
  ``poll_plan``.

Staleness = applied - changed at the provider.
"""

import bisect
import heapq
import json
import math
import os
import random
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import django

from bench.stats import goals_verdict, percentile

RESULTS = Path(__file__).resolve().parent / "results"

LIMIT, WINDOW, RESERVE = 60, 60.0, 5
POSTINGS_PER_ORG = 10
LOST, DUPLICATE = 0.10, 0.05
PER_ORG_DAY = {"orders": 2.0, "take_downs": 0.5, "unforeseen": 0.2, "interactive": 10.0}
CALL_SECONDS = 0.2  # one provider call's round trip, in simulated time

GOALS = {
    "poll_share_of_limit": ("<=", 0.35),
    "staleness_delivered_p95_s": ("<=", 60.0),
    "staleness_lost_p99_s": ("<=", 15 * 60.0),
    "interactive_wait_p95_s": ("<=", 2.0),
}


class Limiter:
    """The shared sliding window, in simulated seconds, with the product's two priority rules
    (``distribution.ratelimit``): background calls leave ``RESERVE`` slots free, and take no
    slot while a person's call waits for one.

    A person's call is granted at the first moment the window has room (it may book a slot
    in the future: nothing goes before it). A background call is only *tried*: refused, it is
    tried again when a slot may free up, as the real limiter's callers retry, so that a
    person coming meanwhile goes first.
    """

    def __init__(self):
        self.grants: list[float] = []  # sorted
        self.people_waiting: list[tuple[float, float]] = []  # (from, until) of each wait

    def forget_before(self, moment: float) -> None:
        """Drop grants no window from ``moment`` on can hold, and waits over before
        ``moment`` (event times only grow)."""
        del self.grants[: bisect.bisect_left(self.grants, moment - WINDOW)]
        self.people_waiting = [wait for wait in self.people_waiting if wait[1] > moment]

    def _in_window(self, moment: float) -> tuple[int, int]:
        return (
            bisect.bisect_right(self.grants, moment - WINDOW),
            bisect.bisect_right(self.grants, moment),
        )

    def person(self, at: float) -> float:
        """A person's call: granted at the first moment the window holds fewer than LIMIT."""
        granted = at
        while True:
            oldest, newest = self._in_window(granted)
            if newest - oldest < LIMIT:
                bisect.insort(self.grants, granted)
                if granted > at:
                    self.people_waiting.append((at, granted))
                return granted
            granted = self.grants[newest - LIMIT] + WINDOW + 1e-6

    def background(self, at: float) -> float | None:
        """A background call tried at ``at``: None when granted (its slot taken at ``at``),
        else when to try again."""
        held = [until for since, until in self.people_waiting if since <= at < until]
        if held:
            return max(held) + 1e-6
        oldest, newest = self._in_window(at)
        cap = LIMIT - RESERVE
        if newest - oldest >= cap:
            return self.grants[newest - cap] + WINDOW + 1e-6
        bisect.insort(self.grants, at)
        return None


def populate(orgs: int, now, rng: random.Random) -> dict:
    """Organisations with live postings, online, due offline over the next 30 days, and
    poll cursors as a steady state leaves them (polled at some point of the last cycle)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Organization, User
    from campaigns.models import Campaign, Posting, PostingStatus, StatusPollCursor
    from jobs.models import Job

    tag = uuid.uuid4().hex[:6]
    created = Organization.objects.bulk_create(
        [Organization(name=f"Org {i}", slug=f"sync-{tag}-{i}") for i in range(orgs)],
        batch_size=2000,
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"r{i}@sync-{tag}.test", password=password) for i in range(orgs)],
        batch_size=2000,
    )
    jobs = Job.objects.bulk_create(
        [
            Job(organization=org, title="Job", city="Lyon", country="FR", recruiter=user)
            for org, user in zip(created, users, strict=True)
        ],
        batch_size=2000,
    )
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                organization=org,
                job=job,
                name=f"Campaign {c}",
                ordered_by=job.recruiter,
                order_reference=uuid.uuid4().hex,
                provider_campaign_id=uuid.uuid4().hex,
                status="online",
                payload={"products": []},
                delivered_at=now - timedelta(days=15),
            )
            for org, job in zip(created, jobs, strict=True)
            for c in range(POSTINGS_PER_ORG // 2)
        ],
        batch_size=2000,
    )
    postings = []
    for campaign in campaigns:
        for board in range(2):
            published = now - timedelta(seconds=rng.uniform(0, 30 * 86400))
            postings.append(
                Posting(
                    organization_id=campaign.organization_id,
                    campaign=campaign,
                    board_name=f"Board {board}",
                    provider_contract_id="c",
                    product_id=str(board),
                    utm_content=f"p{uuid.uuid4().hex[:20]}",
                    status=PostingStatus.ONLINE,
                    published_at=published,
                    due_offline_at=published + timedelta(days=30),
                )
            )
    Posting.objects.bulk_create(postings, batch_size=5000)
    StatusPollCursor.objects.bulk_create(
        [
            StatusPollCursor(
                organization=org,
                modified_since=now,
                polled_at=now - timedelta(seconds=rng.uniform(0, 3 * 3600)),
            )
            for org in created
        ],
        batch_size=2000,
    )
    return {"orgs": created, "jobs": {job.organization_id: job for job in jobs}}


def simulate(*, orgs: int, minutes: int, seed: int = 13, partner_level: bool = True) -> dict:
    """Run ``minutes`` simulated minutes for ``orgs`` organisations; return the figures.
    ``partner_level``: whether the provider allows the partner-level campaign list (else
    the poll goes customer by customer)."""
    from django.conf import settings
    from django.utils import timezone

    from campaigns.models import (
        Campaign,
        EventSource,
        Posting,
        PostingStatus,
        StatusPollCursor,
    )
    from campaigns.services.list_poll import POLL_MAX_PAGES, poll_page_size
    from campaigns.services.poll_schedule import poll_budget, poll_plan
    from campaigns.services.status import posting_apply_status

    rng = random.Random(seed)
    start = timezone.now().replace(microsecond=0)
    world = populate(orgs, start, rng)
    org_ids = [org.pk for org in world["orgs"]]

    def at(seconds: float):
        return start + timedelta(seconds=seconds)

    events: list = []  # (time s, seq, kind, data)
    seq = 0

    def push(time: float, kind: str, data=None) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (time, seq, kind, data))

    horizon = minutes * 60.0
    for kind, per_day in PER_ORG_DAY.items():
        rate = orgs * per_day / 86400  # per second
        t = rng.expovariate(rate)
        while t < horizon:
            push(t, kind)
            t += rng.expovariate(rate)
    for posting_id, org_id, due in Posting.objects.filter(
        due_offline_at__lt=at(horizon)
    ).values_list("pk", "organization_id", "due_offline_at"):
        push(
            (due - start).total_seconds(),
            "change",
            (posting_id, org_id, PostingStatus.OFFLINE, "foreseen"),
        )
    every = 60.0
    for run in range(1, minutes + 1):
        push(run * every, "poll")

    limiter = Limiter()
    pending: dict[int, list] = defaultdict(list)  # org -> [(changed at, posting, status)]
    # The partner-level list: every change at the provider, in time order (lost or not),
    # how far the cursor has read it, which changes are applied, and until when a sweep is
    # already scheduled (the product's cache mark).
    provider_changes: list[tuple[float, int, int, str, str, bool]] = []
    partner_cursor = 0
    applied: set[int] = set()
    sweep_mark_until = -1.0
    page_size = poll_page_size()
    sweep_seconds = float(settings.CAMPAIGNS_WEBHOOK_SWEEP_SECONDS)
    calls: dict[str, int] = defaultdict(int)
    stale = {"delivered": [], "lost": [], "lost_foreseen": [], "lost_unforeseen": []}
    interactive_waits: list[float] = []
    webhooks = {"sent": 0, "lost": 0, "duplicates": 0}
    budget = poll_budget(every_seconds=every)
    poll_reasons: dict[str, int] = defaultdict(int)

    def apply(posting_id: int, status: str, changed: float, source: str) -> None:
        posting = Posting.objects.get(pk=posting_id)
        posting_apply_status(posting=posting, status=status, source=source, observed_at=at(changed))

    def apply_lost(org_id: int, change: tuple, read_at: float) -> None:
        changed, posting_id, status, foreseen = change
        apply(posting_id, status, changed, EventSource.POLL)
        stale["lost"].append(read_at - changed)
        stale[f"lost_{foreseen}"].append(read_at - changed)

    def online_posting():
        query = Posting.objects.filter(status=PostingStatus.ONLINE, take_down_requested_at=None)
        count = query.count()
        return query[rng.randrange(count)] if count else None

    def background(now: float, action: str, payload) -> None:
        """A background call asked for at ``now``: tried through the limiter, again and
        again, until granted; then ``action`` runs at the moment it was granted."""
        push(now, "background", (action, payload))

    def order_placed(now: float, org_id: int) -> None:
        job = world["jobs"][org_id]
        calls["order"] += 1
        campaign = Campaign.objects.create(
            organization_id=org_id,
            job=job,
            name="Burst",
            ordered_by_id=job.recruiter_id,
            provider_campaign_id=uuid.uuid4().hex,
            status="in_progress",
            payload={"products": []},
            delivered_at=at(now),
        )
        for board in range(2):
            posting = Posting.objects.create(
                organization_id=org_id,
                campaign=campaign,
                board_name=f"Board {board}",
                provider_contract_id="c",
                product_id=str(board),
                status=PostingStatus.IN_PROGRESS,
            )
            online = now + rng.uniform(60, 300)
            push(online, "change", (posting.pk, org_id, PostingStatus.ONLINE, "foreseen"))

    def partner_read(now: float, max_pages: int, kind: str) -> None:
        """A read of the partner-level list asked for at ``now``: the changes made by then,
        in pages of ``page_size`` (the boundary campaign read again), each page a call."""
        first = partner_cursor
        unread = [change for change in provider_changes[first:] if change[0] <= now]
        pages = min(max_pages, max(1, math.ceil((len(unread) + 1) / page_size)))
        last = first + min(len(unread), pages * page_size - 1)
        background(now, "partner_page", (kind, pages, first, last))

    def partner_page(now: float, kind: str, pages: int, first: int, last: int) -> None:
        """One page granted at ``now``; after the last, every change read is applied (the
        first read after a change applies it, whether its webhook came or not)."""
        nonlocal partner_cursor
        calls[kind] += 1
        if kind == "poll":
            poll_reasons["partner_level"] += 1
        if pages > 1:
            background(now + CALL_SECONDS, "partner_page", (kind, pages - 1, first, last))
            return
        read_at = now + CALL_SECONDS
        for index in range(first, last):
            if index in applied:
                continue
            applied.add(index)
            changed, posting_id, org_id, status, foreseen, lost = provider_changes[index]
            if lost:
                change = (changed, posting_id, status, foreseen)
                pending[org_id].remove(change)
                apply_lost(org_id, change, read_at)
            else:
                apply(posting_id, status, changed, EventSource.POLL)
                stale["delivered"].append(read_at - changed)
        partner_cursor = max(partner_cursor, last)

    def org_poll(now: float, planned: list) -> None:
        """The first planned organisation's list call, granted at ``now``; then the next."""
        (org_id, reason), rest = planned[0], planned[1:]
        calls["poll"] += 1
        poll_reasons[reason] += 1
        read_at = now + CALL_SECONDS
        for change in [c for c in pending[org_id] if c[0] <= read_at]:
            pending[org_id].remove(change)
            apply_lost(org_id, change, read_at)
        if rest:
            background(read_at, "org_poll", rest)

    while events:
        now, _seq, kind, data = heapq.heappop(events)
        if now > horizon:
            break  # a change after the end (an order's board going online later)
        limiter.forget_before(now)
        if kind == "background":
            retry_at = limiter.background(now)
            if retry_at is not None:
                push(retry_at, kind, data)
                continue
            action, payload = data
            if action == "order":
                order_placed(now, payload)
            elif action == "webhook_fetch":
                posting_id, _org_id, status, changed = payload
                calls["webhook"] += 1
                apply(posting_id, status, changed, EventSource.WEBHOOK)
                stale["delivered"].append(now + CALL_SECONDS - changed)
            elif action == "partner_page":
                partner_page(now, *payload)
            else:
                org_poll(now, payload)
        elif kind == "orders":
            background(now, "order", rng.choice(org_ids))
        elif kind == "take_downs":
            posting = online_posting()
            if posting is None:
                continue
            granted = limiter.person(now)
            interactive_waits.append(granted - now)
            calls["interactive"] += 1
            Posting.objects.filter(pk=posting.pk).update(take_down_requested_at=at(now))
            push(
                granted + rng.uniform(60, 180),
                "change",
                (posting.pk, posting.organization_id, PostingStatus.OFFLINE, "foreseen"),
            )
        elif kind == "unforeseen":
            posting = online_posting()
            if posting is not None:
                change = (posting.pk, posting.organization_id, PostingStatus.OFFLINE, "unforeseen")
                push(now, "change", change)
        elif kind == "interactive":
            granted = limiter.person(now)
            interactive_waits.append(granted - now)
            calls["interactive"] += 1
        elif kind == "change":
            posting_id, org_id, status, foreseen = data
            lost = rng.random() < LOST
            provider_changes.append((now, posting_id, org_id, status, foreseen, lost))
            if lost:
                webhooks["lost"] += 1
                pending[org_id].append((now, posting_id, status, foreseen))
            else:
                webhooks["sent"] += 1
                if rng.random() < DUPLICATE:
                    webhooks["duplicates"] += 1  # dropped by its request_id: no call
                push(now + rng.uniform(1, 5), "webhook", (posting_id, org_id, status, now))
        elif kind == "webhook" and partner_level:
            if now >= sweep_mark_until:
                sweep_mark_until = now + sweep_seconds
                push(sweep_mark_until, "sweep")
        elif kind == "webhook":
            background(now, "webhook_fetch", data)
        elif kind == "sweep":
            partner_read(now, POLL_MAX_PAGES, "webhook")
        elif kind == "poll" and partner_level:
            partner_read(now, budget, "poll")
        elif kind == "poll":
            plan = poll_plan(budget=budget, now=at(now))
            if plan.orgs:
                background(now, "org_poll", list(plan.orgs))
            StatusPollCursor.objects.filter(organization_id__in=plan.org_ids()).update(
                polled_at=at(now)
            )
    never = [horizon - c[0] for changes in pending.values() for c in changes]
    stuck = [
        {
            "org": org_id,
            "changed_s": round(c[0], 1),
            "kind": c[3],
            "polled_at_s": round((polled - start).total_seconds(), 1) if polled else None,
            "org_has_live_campaigns": Campaign.objects.filter(organization_id=org_id)
            .filter(status__in=("submitted", "in_progress", "online"))
            .exclude(provider_campaign_id="")
            .exists(),
        }
        for org_id, changes in pending.items()
        for c in changes
        for polled in [
            StatusPollCursor.objects.filter(organization_id=org_id)
            .values_list("polled_at", flat=True)
            .first()
        ]
    ]
    minutes_run = horizon / 60
    result = {
        "poll": "partner level" if partner_level else "customer by customer",
        "organisations": orgs,
        "live_postings_at_start": orgs * POSTINGS_PER_ORG,
        "simulated_minutes": minutes,
        "poll_budget_per_run": budget,
        "calls_per_minute": {k: round(v / minutes_run, 2) for k, v in sorted(calls.items())},
        "share_of_limit": {k: round(v / minutes_run / LIMIT, 3) for k, v in sorted(calls.items())},
        "poll_calls_by_reason": dict(sorted(poll_reasons.items())),
        "webhooks": webhooks,
        "changes": {name: len(values) for name, values in stale.items()},
        "lost_changes_not_yet_applied": len(never),
        "lost_not_yet_applied_max_age_s": round(max(never, default=0.0), 1),
        "lost_not_yet_applied": stuck[:10],
        "interactive_wait_p95_s": round(percentile(interactive_waits, 0.95), 3),
    }
    for name, values in stale.items():
        for label, fraction in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)):
            result[f"staleness_{name}_{label}_s"] = round(percentile(values, fraction), 1)
    result["poll_share_of_limit"] = result["share_of_limit"].get("poll", 0.0)
    result["goals"] = goals_verdict(result, GOALS)
    return result


def run(*, quick: bool = False) -> dict:
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(old_name).with_name("bench.sqlite3"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        sizes = [(100, 30)] if quick else [(100, 240), (1000, 240), (5000, 60)]
        if os.environ.get("STATUS_SYNC_SIZES"):  # e.g. "5000:60": organisations:minutes
            sizes = [
                (int(orgs), int(minutes))
                for orgs, minutes in (
                    size.split(":") for size in os.environ["STATUS_SYNC_SIZES"].split(",")
                )
            ]
        rows = {}
        for orgs, minutes in sizes:
            for partner_level, key in ((True, "partner_level"), (False, "customer_by_customer")):
                print(f"   {orgs} organisations, {minutes} simulated minutes, {key}", flush=True)
                call_command("flush", interactive=False, verbosity=0)  # each run on its own rows
                row = simulate(orgs=orgs, minutes=minutes, partner_level=partner_level)
                rows.setdefault(key, {})[str(orgs)] = row
                print(f"   {row['goals']}", flush=True)
        vendor = connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    # Sizes not run this time keep their last figures.
    previous = RESULTS / "status_sync.json"
    if previous.exists() and not quick:
        kept = json.loads(previous.read_text())
        for key in rows:
            rows[key] = {**kept.get(key, {}), **rows[key]}
    return {
        "database": vendor,
        "quick": quick,
        **{
            key: dict(sorted(by_size.items(), key=lambda r: int(r[0])))
            for key, by_size in rows.items()
        },
    }
