from datetime import timedelta
from typing import overload

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale

from hw4all.core.wagtail_types import PageQuerySet

from .models import EventPage, RegistrationStatus

# How far back the subscribable calendar reaches, so subscribers keep recent events.
CALENDAR_PAST_DAYS = 365


def events_live(*, locale: Locale | None = None) -> PageQuerySet[EventPage]:
    events = EventPage.objects.live().public()
    if locale is not None:
        events = events.filter(locale=locale)
    return events


@overload
def events_upcoming(*, locale: Locale | None = None, limit: None = None) -> PageQuerySet[EventPage]: ...


@overload
def events_upcoming(
    *, locale: Locale | None = None, limit: int
) -> PageQuerySet[EventPage] | list[EventPage]: ...


def events_upcoming(
    *, locale: Locale | None = None, limit: int | None = None
) -> PageQuerySet[EventPage] | list[EventPage]:
    """A list of at most `limit` events, or all of them as a query set when there is no limit."""
    events = events_live(locale=locale).filter(end__gte=timezone.now()).order_by("start", "pk")
    return list(events[:limit]) if limit else events


def events_past(*, locale: Locale | None = None) -> PageQuerySet[EventPage]:
    return events_live(locale=locale).filter(end__lt=timezone.now()).order_by("-start", "-pk")


def events_for_calendar(*, locale: Locale | None = None) -> PageQuerySet[EventPage]:
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    return events_live(locale=locale).filter(end__gte=since).order_by("start", "pk")


def events_with_places(events: QuerySet[EventPage]) -> QuerySet[EventPage]:
    """Annotate `confirmed_count` and `waiting_count`."""
    return events.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )


def event_places(event: EventPage) -> dict[str, int | None]:
    """Confirmed and waiting counts, and places left (None when there is no limit)."""
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    places_left = None if event.capacity is None else max(event.capacity - counts["confirmed"], 0)
    return {"confirmed": counts["confirmed"], "waiting": counts["waiting"], "places_left": places_left}
