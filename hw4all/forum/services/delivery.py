"""Email for notifications: at once, or gathered in daily and weekly digests. A notification is
emailed at most once: it is claimed (emailed_at) in the transaction that queues its email, so two
deliveries or two digest runs at once send it once. Every email carries a one-click unsubscribe
link and the List-Unsubscribe headers mail clients act on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from hw4all.core.email import email_enqueue

from ..models import Notification, Participant
from ..queries.notifications import activities_visible, notification_items
from . import access

Frequency = Participant.EmailFrequency
# Weekly digests go out on Mondays (datetime.weekday()); a digest missed for longer than
# WEEKLY_CATCH_UP (the scheduler was down on a Monday) goes out on the next run.
WEEKLY_DIGEST_WEEKDAY = 0
WEEKLY_CATCH_UP = datetime.timedelta(days=8)
# A digest lists this many notifications and points to the site for the rest.
DIGEST_MAX_ITEMS = 50


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(participant: Participant) -> dict[str, str]:
    """The addresses every email ends with, in the language active when called."""
    return {
        "unsubscribe_url": _absolute(
            reverse("forum:unsubscribe", kwargs={"token": participant.unsubscribe_token})
        ),
        "settings_url": _absolute(reverse("forum:notification_settings")),
        "notifications_url": _absolute(reverse("forum:notifications")),
        "site_url": settings.SITE_URL,
    }


def _headers(links: dict[str, str]) -> dict[str, str]:
    # RFC 8058: the client posts "List-Unsubscribe=One-Click" to the address, without a session.
    return {
        "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _items(notifications, language: str) -> list:
    with translation.override(language):
        items = notification_items(notifications)
        for item in items:
            item.url = _absolute(item.url)
            item.what, item.reason = str(item.what), str(item.reason)
    return items


def _send(participant: Participant, *, template: str, context: dict) -> None:
    user = participant.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        links = _links(participant)
    email_enqueue(
        to=[user.email],
        template=template,
        context={**context, **links},
        language=language,
        headers=_headers(links),
    )


def _visible(notifications, user):
    return activities_visible(notifications, user, prefix="activity__")


def notifications_deliver(*, activity_id: int) -> None:
    """Send the activity's notifications to those who want an email at once."""
    notifications = Notification.objects.filter(
        activity_id=activity_id,
        emailed_at__isnull=True,
        user__is_active=True,
        user__participant__email_frequency=Frequency.IMMEDIATE,
    ).select_related("user__participant", "activity__space", "activity__comment")
    for notification in notifications:
        user = notification.user
        if not user.email or not _visible(Notification.objects.filter(pk=notification.pk), user).exists():
            continue
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            language = user.preferred_language or settings.LANGUAGE_CODE
            (item,) = _items([notification], language)
            _send(user.participant, template="forum/email/notification", context={"item": item})


@dataclass
class DigestReport:
    daily: int = 0
    weekly: int = 0


def _due_frequencies(now: datetime.datetime) -> Q:
    due = Q(email_frequency=Frequency.DAILY)
    if now.weekday() == WEEKLY_DIGEST_WEEKDAY:
        due |= Q(email_frequency=Frequency.WEEKLY)
    else:
        due |= Q(email_frequency=Frequency.WEEKLY, last_digest_at__lt=now - WEEKLY_CATCH_UP)
    return due


def digests_send(*, now: datetime.datetime | None = None) -> DigestReport:
    """One digest per person due one (daily, or weekly on its day) with notifications not yet
    emailed. Safe to run twice, or twice at once: each digest claims what it sends."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now, user__is_active=True)
    user_ids = set(waiting.values_list("user_id", flat=True).distinct())
    # People who never chose have the default (daily) and no Participant row yet.
    known = set(Participant.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    for user in get_user_model().objects.filter(pk__in=user_ids - known):
        access.participant_for(user)
    report = DigestReport()
    participants = Participant.objects.filter(user_id__in=user_ids).filter(_due_frequencies(now))
    for participant_id, frequency in participants.values_list("pk", "email_frequency"):
        if digest_send(participant_id=participant_id, now=now):
            if frequency == Frequency.DAILY:
                report.daily += 1
            else:
                report.weekly += 1
    return report


def digest_send(*, participant_id: int, now: datetime.datetime) -> bool:
    """The digest of one person, if anything is waiting; whether one was queued."""
    with transaction.atomic():
        # The lock makes a second run at once wait, then find nothing left to send.
        participant = Participant.objects.select_for_update().select_related("user").get(pk=participant_id)
        if participant.email_frequency not in (Frequency.DAILY, Frequency.WEEKLY):
            return False
        user = participant.user
        waiting = Notification.objects.filter(user=user, emailed_at__isnull=True, created_at__lte=now)
        shown = _visible(waiting, user)
        if participant.last_digest_at is not None:
            shown = shown.filter(created_at__gt=participant.last_digest_at)
        total = shown.count()
        shown = list(
            shown.select_related("activity__space", "activity__comment").order_by("created_at", "pk")[
                :DIGEST_MAX_ITEMS
            ]
        )
        claimed = waiting.update(emailed_at=now)
        if not claimed:
            return False
        participant.last_digest_at = now
        participant.save(update_fields=["last_digest_at"])
        if not shown or not user.email:
            return False
        language = user.preferred_language or settings.LANGUAGE_CODE
        # Grouped by space in the email, each space's in the order they happened.
        items = sorted(_items(shown, language), key=lambda item: item.space)
        more = total - len(items)
        _send(
            participant,
            template="forum/email/digest",
            context={
                "items": items,
                "more": more,
                "total": total,
                "weekly": participant.email_frequency == Frequency.WEEKLY,
            },
        )
    return True
