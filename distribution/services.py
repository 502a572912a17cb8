"""Writes of the distribution app: mirroring the provider's catalogue and taxonomy.

Both mirrors are idempotent upserts keyed by the provider's ids, run under a lease so that
two runs at once are safe (the second one skips), and never delete rows: what the provider
no longer lists is marked inactive so that old jobs and contracts still display.
"""

import logging
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from .client import provider_client
from .errors import ProviderError, ProviderNotFound
from .messages import ChannelDetail, ChannelSummary, TaxonomyEntry
from .models import Channel, SyncState, TaxonomyKind, TaxonomyTerm
from .ratelimit import Priority

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
CHANNELS = "channels"
TAXONOMY = "taxonomy"
CHANNEL_FIELDS = ("name", "search_name", "url", "type", "logo_url", "mc_enabled", "is_active")


@dataclass(frozen=True)
class SyncResult:
    skipped: str = ""  # why nothing was done ("" when the sync ran)
    calls: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    complete: bool = False


def normalize_search(text: str) -> str:
    """Lower-cased, accents removed, spaces collapsed: how names are stored for search and
    how search terms are compared with them ("Arbetsförmedlingen" ← "arbetsform")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


@contextmanager
def _lease(name: str) -> Iterator[SyncState | None]:
    """The sync state row if we got its lease (one conditional UPDATE), else None."""
    SyncState.objects.get_or_create(name=name)
    holder = uuid.uuid4().hex
    now = timezone.now()
    taken = (
        SyncState.objects.filter(name=name)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + LEASE, lease_holder=holder)
    )
    if not taken:
        yield None
        return
    try:
        yield SyncState.objects.get(name=name)
    finally:
        SyncState.objects.filter(name=name, lease_holder=holder).update(
            leased_until=None, lease_holder=""
        )


def catalogue_sync(*, full: bool = False) -> SyncResult:
    """Mirror the provider's channel list into Channel.

    Incremental: a pass pages through the list from a stored cursor, so a run stopped by
    the rate limit (ProviderRateLimited propagates) goes on where it stopped next time; a new
    pass starts when the last complete one is older than PROVIDER_CATALOGUE_MAX_AGE, or at
    once with ``full``. Only new or changed rows are written. At the end of a complete pass,
    active channels the pass did not list are retired.
    """
    with _lease(CHANNELS) as state:
        if state is None:
            return SyncResult(skipped="another catalogue sync is running")
        now = timezone.now()
        max_age = timedelta(seconds=settings.PROVIDER_CATALOGUE_MAX_AGE)
        if (
            not full
            and state.cursor == 0
            and state.completed_at
            and now - state.completed_at < max_age
        ):
            return SyncResult(skipped="the catalogue is up to date")
        if full or state.cursor == 0:
            state.pass_number += 1
            state.cursor = 0
            state.pass_count = -1
            state.pass_started_at = now
            state.save(update_fields=["pass_number", "cursor", "pass_count", "pass_started_at"])
        client = provider_client(priority=Priority.BACKGROUND)
        page_size = settings.PROVIDER_CATALOGUE_PAGE_SIZE
        calls = created = updated = 0
        count = state.pass_count
        while True:
            page = client.list_channels(limit=page_size, offset=state.cursor)
            calls += 1
            if count == -1:
                count = page.count
            new, changed = _upsert_channels(page.channels, state.pass_number)
            created += new
            updated += changed
            state.cursor += len(page.channels)
            state.pass_count = count
            state.leased_until = timezone.now() + LEASE
            state.save(update_fields=["cursor", "pass_count", "leased_until"])
            if not page.channels or state.cursor >= page.count:
                break
        retired = 0
        if page.count == count:
            retired = (
                Channel.objects.filter(is_active=True)
                .exclude(seen_in_pass=state.pass_number)
                .update(is_active=False)
            )
        else:
            log.warning(
                "catalogue changed during the pass (%s then %s channels): nothing retired",
                count,
                page.count,
            )
        state.cursor = 0
        state.completed_at = timezone.now()
        state.save(update_fields=["cursor", "completed_at"])
        log.info(
            "catalogue sync: %s calls, %s new, %s changed, %s retired",
            calls,
            created,
            updated,
            retired,
        )
        return SyncResult(
            calls=calls, created=created, updated=updated, retired=retired, complete=True
        )


def _channel_values(summary: ChannelSummary) -> dict:
    return {
        "name": summary.name[:200],
        "search_name": normalize_search(summary.name)[:200],
        "url": summary.url[:500],
        "type": summary.type[:60],
        "logo_url": summary.logo_url[:500],
        "mc_enabled": summary.mc_enabled,
        "is_active": True,
    }


def channel_find_by_name(name: str) -> Channel | None:
    """The provider's board called ``name`` (case and accents aside), asked of the provider
    itself and mirrored: for data written with another provider's channel ids in mind (the
    demo data names the sandbox's boards). None when its catalogue lists no such board."""
    wanted = normalize_search(name)
    client = provider_client(priority=Priority.BACKGROUND)
    page = client.list_channels(search=name, limit=100)
    match = next((s for s in page.channels if normalize_search(s.name) == wanted), None)
    if match is None:
        return None
    channel, _ = Channel.objects.update_or_create(
        provider_id=match.provider_id, defaults=_channel_values(match)
    )
    return channel


@transaction.atomic
def _upsert_channels(summaries: list[ChannelSummary], pass_number: int) -> tuple[int, int]:
    """Write the new and changed channels of one page; mark all of them seen in this pass."""
    wanted = {s.provider_id: _channel_values(s) for s in summaries}
    existing = {
        row["provider_id"]: row
        for row in Channel.objects.filter(provider_id__in=wanted).values(
            "provider_id", *CHANNEL_FIELDS
        )
    }
    to_write = [
        Channel(provider_id=pid, seen_in_pass=pass_number, **values)
        for pid, values in wanted.items()
        if pid not in existing or any(existing[pid][f] != values[f] for f in CHANNEL_FIELDS)
    ]
    if to_write:
        Channel.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["provider_id"],
            update_fields=[*CHANNEL_FIELDS, "seen_in_pass", "synced_at"],
        )
    Channel.objects.filter(provider_id__in=wanted).exclude(seen_in_pass=pass_number).update(
        seen_in_pass=pass_number
    )
    created = sum(1 for c in to_write if c.provider_id not in existing)
    return created, len(to_write) - created


def taxonomy_sync(*, force: bool = False) -> SyncResult:
    """Mirror the four taxonomies into TaxonomyTerm (industries and job functions in both
    languages, industries page by page). Everything is fetched before anything is written;
    ids no longer listed are retired, never deleted."""
    with _lease(TAXONOMY) as state:
        if state is None:
            return SyncResult(skipped="another taxonomy sync is running")
        now = timezone.now()
        max_age = timedelta(seconds=settings.PROVIDER_TAXONOMY_MAX_AGE)
        if not force and state.completed_at and now - state.completed_at < max_age:
            return SyncResult(skipped="the taxonomy is up to date")
        client = provider_client(priority=Priority.BACKGROUND)
        fetched = {
            TaxonomyKind.INDUSTRY: client.list_industries(),
            TaxonomyKind.JOB_FUNCTION: client.list_job_functions(),
            TaxonomyKind.EDUCATION_LEVEL: client.list_education_levels(),
            TaxonomyKind.SENIORITY: client.list_seniorities(),
        }
        created = updated = retired = 0
        with transaction.atomic():
            for kind, entries in fetched.items():
                new, changed, gone = taxonomy_store(kind=kind, entries=entries, retire=True)
                created, updated, retired = created + new, updated + changed, retired + gone
        state.completed_at = timezone.now()
        state.save(update_fields=["completed_at"])
        return SyncResult(
            calls=client.calls, created=created, updated=updated, retired=retired, complete=True
        )


def _flatten(entries: list[TaxonomyEntry], parent: int | None = None):
    for entry in entries:
        yield entry, parent
        yield from _flatten(entry.children, entry.id)


@transaction.atomic
def taxonomy_store(
    *, kind: str, entries: list[TaxonomyEntry], retire: bool = False
) -> tuple[int, int, int]:
    """Upsert one taxonomy (a tree for job functions); with ``retire``, ids not in
    ``entries`` become inactive. Returns (created, updated, retired)."""
    flat = list(_flatten(entries))
    if not flat:
        log.warning("the provider listed no %s terms: nothing changed", kind)
        return 0, 0, 0
    existing = {t.provider_id: t for t in TaxonomyTerm.objects.filter(kind=kind)}
    created = updated = 0
    for entry, _parent in flat:
        term = existing.get(entry.id)
        if term is None:
            existing[entry.id] = TaxonomyTerm.objects.create(
                kind=kind,
                provider_id=entry.id,
                name_en=entry.name_en[:200],
                name_fr=entry.name_fr[:200],
            )
            created += 1
        elif (term.name_en, term.name_fr, term.is_active) != (
            entry.name_en[:200],
            entry.name_fr[:200],
            True,
        ):
            term.name_en, term.name_fr, term.is_active = (
                entry.name_en[:200],
                entry.name_fr[:200],
                True,
            )
            term.save(update_fields=["name_en", "name_fr", "is_active", "synced_at"])
            updated += 1
    for entry, parent in flat:
        term = existing[entry.id]
        parent_pk = existing[parent].pk if parent is not None else None
        if term.parent_id != parent_pk:
            term.parent_id = parent_pk
            term.save(update_fields=["parent", "synced_at"])
    retired = 0
    if retire:
        listed = [entry.id for entry, _parent in flat]
        retired = (
            TaxonomyTerm.objects.filter(kind=kind, is_active=True)
            .exclude(provider_id__in=listed)
            .update(is_active=False)
        )
    return created, updated, retired


def channel_details(
    channel_id: int, *, language: str | None = None, refresh: bool = False, retire: bool = True
) -> ChannelDetail:
    """A board's details (credentials, posting requirements, product), fetched when someone
    picks the board and then cached for PROVIDER_CHANNEL_DETAIL_TTL seconds. A board the
    provider no longer knows is retired and ProviderNotFound propagates."""
    language = (language or get_language() or "en")[:2]
    key = _detail_key(channel_id, language)
    if not refresh:
        cached = cache.get(key)
        if isinstance(cached, ChannelDetail):
            return cached
    try:
        detail = provider_client(language=language).get_channel(channel_id)
    except ProviderNotFound:
        if retire:  # a page that only reads labels (retire=False) changes no catalogue state
            Channel.objects.filter(provider_id=channel_id, is_active=True).update(is_active=False)
        cache.delete(key)
        raise
    cache.set(key, detail, settings.PROVIDER_CHANNEL_DETAIL_TTL)
    return detail


def customer_feed_url(org, channel_id: int) -> str:
    """The job feed address of ``org`` on a feed board, or "" when it cannot be had now. The
    provider makes one per customer, so it is asked with the organisation's customer id and
    cached like the board's details (read by Add contract and by the wizard)."""
    key = f"distribution:feed-url:v1:{org.provider_customer_id}:{int(channel_id)}"
    feed_url = cache.get(key)
    if feed_url is None:
        try:
            feed_url = provider_client(org=org).get_channel(channel_id).feed_url
        except ProviderError as error:
            log.info("feed address unavailable for board %s: %s", channel_id, error)
            return ""
        cache.set(key, feed_url, settings.PROVIDER_CHANNEL_DETAIL_TTL)
    return feed_url


def _detail_key(channel_id: int, language: str) -> str:
    # v2: details carry the full facet model (autocomplete, option "show", feed_url).
    return f"distribution:channel-detail:v2:{int(channel_id)}:{language}"
