from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Locale

from .models import EventPage


def events_live(*, locale: Locale | None = None) -> QuerySet[EventPage]:
    events = EventPage.objects.live().public()
    if locale is not None:
        events = events.filter(locale=locale)
    return events


def events_upcoming(*, locale: Locale | None = None, limit: int | None = None) -> QuerySet[EventPage] | list[EventPage]:
    events = events_live(locale=locale).filter(end__gte=timezone.now()).order_by("start")
    return list(events[:limit]) if limit else events


def events_past(*, locale: Locale | None = None) -> QuerySet[EventPage]:
    return events_live(locale=locale).filter(end__lt=timezone.now()).order_by("-start")
