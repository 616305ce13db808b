"""Counts are aggregated from the signatures, never kept in a counter row that every signature
would have to update (that row would serialise the writes). An aggregate is cached for
CAMPAIGNS_COUNT_SECONDS and then recomputed by one request while the others keep the previous
value (stale-while-revalidate), so a shown count is at most about a minute old."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import Locale

from .models import (
    ArchivedCount,
    CampaignIndexPage,
    CampaignPage,
    Signature,
    SignatureStatus,
    SignerKind,
)


def signatures_counted(*, campaign_id: int) -> QuerySet[Signature]:
    """What counts: confirmed, not hidden, and, for organisations, verified by the secretariat."""
    return Signature.objects.filter(
        campaign_id=campaign_id, status=SignatureStatus.CONFIRMED, hidden=False
    ).filter(Q(signer_kind=SignerKind.INDIVIDUAL) | Q(verified=True))


@dataclass
class CampaignCounts:
    total: int = 0
    by_country: list[tuple[str, int]] = field(default_factory=list)
    computed_at: float = 0.0


def campaign_counts_compute(*, campaign_id: int) -> CampaignCounts:
    by_country: dict[str, int] = {}
    for row in signatures_counted(campaign_id=campaign_id).values("country").annotate(n=Count("id")):
        by_country[row["country"]] = row["n"]
    for row in (
        ArchivedCount.objects.filter(campaign_id=campaign_id).values("country").annotate(n=Sum("count"))
    ):
        by_country[row["country"]] = by_country.get(row["country"], 0) + row["n"]
    ordered = sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
    return CampaignCounts(total=sum(by_country.values()), by_country=ordered, computed_at=time.time())


def campaign_counts(*, campaign: CampaignPage) -> CampaignCounts:
    campaign_id = campaign.source_campaign_id()
    key = f"campaigns:counts:{campaign_id}"
    cached: CampaignCounts | None = cache.get(key)
    fresh_for = settings.CAMPAIGNS_COUNT_SECONDS
    if cached is not None and time.time() - cached.computed_at < fresh_for:
        return cached
    # One request recomputes; the others serve the value they have while it does.
    if cached is not None and not cache.add(f"{key}:lock", 1, fresh_for):
        return cached
    counts = campaign_counts_compute(campaign_id=campaign_id)
    cache.set(key, counts, None)
    cache.delete(f"{key}:lock")
    return counts


def signatures_latest_public(*, campaign: CampaignPage, limit: int = 10) -> list[Signature]:
    return list(
        signatures_counted(campaign_id=campaign.source_campaign_id())
        .filter(public=True)
        .only("name", "country", "city", "organisation_name", "signer_kind", "confirmed_at")
        .order_by("-confirmed_at")[:limit]
    )


def endorsers_verified(*, campaign: CampaignPage) -> QuerySet[Signature]:
    return (
        signatures_counted(campaign_id=campaign.source_campaign_id())
        .filter(signer_kind=SignerKind.ORGANISATION)
        .select_related("organisation", "organisation__logo")
        .order_by("organisation_name")
    )


def campaign_counts_many(*, campaign_ids: list[int]) -> dict[int, CampaignCounts]:
    """Counts of several campaigns (by their source ids) from the same cache as
    campaign_counts; the missing or stale ones are computed together in two queries."""
    keys = {campaign_id: f"campaigns:counts:{campaign_id}" for campaign_id in campaign_ids}
    cached = cache.get_many(list(keys.values()))
    now = time.time()
    result: dict[int, CampaignCounts] = {}
    missing: list[int] = []
    for campaign_id, key in keys.items():
        counts = cached.get(key)
        if counts is not None and now - counts.computed_at < settings.CAMPAIGNS_COUNT_SECONDS:
            result[campaign_id] = counts
        else:
            missing.append(campaign_id)
    if not missing:
        return result
    by_campaign: dict[int, dict[str, int]] = {campaign_id: {} for campaign_id in missing}
    counted = (
        Signature.objects.filter(campaign_id__in=missing, status=SignatureStatus.CONFIRMED, hidden=False)
        .filter(Q(signer_kind=SignerKind.INDIVIDUAL) | Q(verified=True))
        .values("campaign_id", "country")
        .annotate(n=Count("id"))
    )
    archived = (
        ArchivedCount.objects.filter(campaign_id__in=missing)
        .values("campaign_id", "country")
        .annotate(n=Sum("count"))
    )
    for rows in (counted, archived):
        for row in rows:
            countries = by_campaign[row["campaign_id"]]
            countries[row["country"]] = countries.get(row["country"], 0) + row["n"]
    fresh = {}
    for campaign_id, countries in by_campaign.items():
        ordered = sorted(countries.items(), key=lambda item: (-item[1], item[0]))
        counts = CampaignCounts(total=sum(countries.values()), by_country=ordered, computed_at=now)
        result[campaign_id] = counts
        fresh[keys[campaign_id]] = counts
    cache.set_many(fresh, None)
    return result


def campaign_current(*, locale: Locale) -> CampaignPage | None:
    """The most recently opened campaign that is open now, in the given language."""
    now = timezone.now()
    return (
        CampaignPage.objects.live()
        .public()
        .filter(locale=locale, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("-opens_at", "-pk")
        .first()
    )


def campaigns_listed(*, index: CampaignIndexPage) -> list[CampaignPage]:
    """The index's campaigns: open ones first (newest first), then closed ones (latest closed first)."""
    now = timezone.now()
    campaigns = list(CampaignPage.objects.child_of(index).live().public().specific())
    open_ = sorted((c for c in campaigns if c.is_open(now)), key=lambda c: c.opens_at, reverse=True)
    closed = sorted(
        (c for c in campaigns if not c.is_open(now)), key=lambda c: c.closes_at or c.opens_at, reverse=True
    )
    return open_ + closed


def campaign_source_ids(*, campaigns: list[CampaignPage]) -> dict[int, int]:
    """Each campaign's source_campaign_id, for a whole list in one query."""
    default = Locale.get_default()
    translations = [c.translation_key for c in campaigns if c.locale_id != default.pk]
    sources = dict(
        CampaignPage.objects.filter(translation_key__in=translations, locale=default).values_list(
            "translation_key", "pk"
        )
        if translations
        else []
    )
    result: dict[int, int] = {}
    for c in campaigns:
        source = sources.get(c.translation_key) if c.locale_id != default.pk else None
        result[c.id] = source or c.id
    return result


def signatures_daily(*, campaign: CampaignPage) -> QuerySet:
    """Signatures by the day they were made and by what became of them, newest day first: one
    aggregation, whatever the number of signatures. Rows are dicts with day, confirmed,
    pending, withdrawn and hidden."""
    return (
        Signature.objects.filter(campaign_id=campaign.source_campaign_id())
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            confirmed=Count("id", filter=Q(status=SignatureStatus.CONFIRMED, hidden=False)),
            pending=Count("id", filter=Q(status=SignatureStatus.PENDING)),
            withdrawn=Count("id", filter=Q(status=SignatureStatus.WITHDRAWN)),
            hidden=Count("id", filter=Q(hidden=True)),
        )
        .order_by("-day")
    )


# A viral petition brings hundreds of signatures a second to one campaign: each process keeps the
# campaign it looked up for a few seconds. Publishing or saving a campaign forgets it at once in
# this process (signals.py); other processes see an editor's change at most this much later.
CAMPAIGN_MEMO_SECONDS = 5.0
_campaign_memo: dict[int, tuple[float, CampaignPage | None]] = {}


def campaign_for_signing(*, campaign_id: int) -> CampaignPage | None:
    fetched_at, campaign = _campaign_memo.get(campaign_id, (0.0, None))
    if time.monotonic() - fetched_at > CAMPAIGN_MEMO_SECONDS:
        campaign = (
            CampaignPage.objects.live().public().select_related("locale").filter(pk=campaign_id).first()
        )
        _campaign_memo[campaign_id] = (time.monotonic(), campaign)
    return campaign


def campaign_memo_forget() -> None:
    _campaign_memo.clear()
