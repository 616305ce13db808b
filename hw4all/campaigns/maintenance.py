"""Housekeeping run by `manage.py campaigns_maintain` and by the self-rescheduling task
`campaigns_maintain_task`: expire unconfirmed signatures, delete signers' personal data once a
campaign's retention period ends (keeping anonymous counts), and flag suspicious bursts.

The thresholds are settings, with generous defaults, because a flag only asks the secretariat
to look: nothing is ever dropped automatically."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from .models import ArchivedCount, CampaignPage, Signature, SignatureStatus, SuspicionFlag
from .queries import signatures_counted

# Ten minutes: long enough to see a scripted burst, short enough that a busy day is not one.
SUSPICION_WINDOW_MINUTES = 10
# Per window. An office or campus behind one address can bring dozens of real people in a few
# minutes when a petition is shared on its mailing list, so the network threshold is high.
SUSPICION_NETWORK_THRESHOLD = 50
SUSPICION_DOMAIN_THRESHOLD = 100
# Webmail providers host a large share of all signers: a burst from them is not a signal.
SUSPICION_DOMAIN_IGNORED = (
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "yahoo.fr",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "aol.com",
    "mail.ru",
)


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass
class MaintenanceReport:
    expired: int = 0
    archived_campaigns: int = 0
    deleted: int = 0
    flags: int = 0


def signatures_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete unconfirmed signatures older than CAMPAIGNS_PENDING_DAYS; they never counted."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.CAMPAIGNS_PENDING_DAYS)
    deleted, _ = Signature.objects.filter(status=SignatureStatus.PENDING, created_at__lt=limit).delete()
    return deleted


def campaigns_due_for_archive(*, now: datetime.datetime | None = None) -> list[CampaignPage]:
    now = now or timezone.now()
    closed = CampaignPage.objects.filter(closes_at__isnull=False, closes_at__lt=now, signatures__isnull=False)
    return [
        campaign
        for campaign in closed.distinct()
        if campaign.closes_at + datetime.timedelta(days=campaign.retention_days) <= now
    ]


@transaction.atomic
def campaign_archive(*, campaign_id: int) -> int:
    """Turn what a campaign's signatures count into anonymous counts by country and day of
    confirmation, then delete every signature of it (personal data gone, counts unchanged)."""
    rows = (
        signatures_counted(campaign_id=campaign_id)
        .values_list("country", "confirmed_at")
        .order_by()
        .iterator()
    )
    per_day: dict[tuple[str, datetime.date], int] = {}
    for country, confirmed_at in rows:
        key = (country, timezone.localdate(confirmed_at))
        per_day[key] = per_day.get(key, 0) + 1
    for (country, day), count in per_day.items():
        updated = ArchivedCount.objects.filter(campaign_id=campaign_id, country=country, day=day).update(
            count=F("count") + count
        )
        if not updated:
            archived = ArchivedCount(campaign_id=campaign_id, country=country, day=day, count=count)
            archived.full_clean()
            archived.save()
    deleted, _ = Signature.objects.filter(campaign_id=campaign_id).delete()
    return deleted


def _window_start(at: datetime.datetime, minutes: int) -> datetime.datetime:
    seconds = minutes * 60
    return datetime.datetime.fromtimestamp(int(at.timestamp()) // seconds * seconds, tz=datetime.UTC)


def suspicion_scan(*, now: datetime.datetime | None = None, lookback_hours: int = 1) -> int:
    """Flag each window (aligned to CAMPAIGNS_SUSPICION_WINDOW_MINUTES) of the last hours in which
    one network or one email domain brought more signatures to a campaign than its threshold.
    Running it again updates the same flags: one flag per campaign, value and window."""
    now = now or timezone.now()
    minutes = _setting("CAMPAIGNS_SUSPICION_WINDOW_MINUTES", SUSPICION_WINDOW_MINUTES)
    checks = (
        (
            SuspicionFlag.Reason.NETWORK,
            "ip_hash",
            _setting("CAMPAIGNS_SUSPICION_NETWORK_THRESHOLD", SUSPICION_NETWORK_THRESHOLD),
            (),
        ),
        (
            SuspicionFlag.Reason.DOMAIN,
            "email_domain",
            _setting("CAMPAIGNS_SUSPICION_DOMAIN_THRESHOLD", SUSPICION_DOMAIN_THRESHOLD),
            _setting("CAMPAIGNS_SUSPICION_DOMAIN_IGNORED", SUSPICION_DOMAIN_IGNORED),
        ),
    )
    window = datetime.timedelta(minutes=minutes)
    start = _window_start(now - datetime.timedelta(hours=lookback_hours), minutes)
    flagged = 0
    while start <= now:
        end = start + window
        in_window = Signature.objects.filter(created_at__gte=start, created_at__lt=end)
        for reason, field, threshold, ignored in checks:
            groups = (
                in_window.exclude(**{field: ""})
                .exclude(**{f"{field}__in": ignored})
                .values("campaign_id", field)
                .annotate(n=Count("id"))
                .filter(n__gte=threshold)
                .order_by()
            )
            for group in groups:
                SuspicionFlag.objects.update_or_create(
                    campaign_id=group["campaign_id"],
                    reason=reason,
                    value=group[field],
                    window_start=start,
                    defaults={"count": group["n"], "window_end": end},
                )
                flagged += 1
        start = end
    return flagged


def campaigns_maintain(*, now: datetime.datetime | None = None) -> MaintenanceReport:
    now = now or timezone.now()
    report = MaintenanceReport(expired=signatures_expire(now=now))
    for campaign in campaigns_due_for_archive(now=now):
        report.deleted += campaign_archive(campaign_id=campaign.pk)
        report.archived_campaigns += 1
    report.flags = suspicion_scan(now=now)
    return report
