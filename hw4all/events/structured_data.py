"""An event as schema.org Event: where (a place, a link or both), when, and who organises it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import translation

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty

if TYPE_CHECKING:
    from .models import EventPage

OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"


def event_structured_data(event: EventPage, request: HttpRequest | None) -> dict[str, Any]:
    locations: list[dict[str, Any]] = []
    if event.venue or event.address:
        locations.append(without_empty({"@type": "Place", "name": event.venue, "address": event.address}))
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    in_person, online = bool(event.venue or event.address), bool(event.online_url)
    mode = MIXED if in_person and online else ONLINE if online else OFFLINE
    organisers = [
        {
            "@type": "Organization",
            "name": organisation.name,
            "url": absolute_url(request, organisation.get_absolute_url()),
        }
        for organisation in event.organisers.all()
    ]
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Event",
            "name": event.title,
            "description": event.summary,
            "url": absolute_url(request, event.url),
            "startDate": event.start.isoformat(),
            "endDate": event.end.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": mode,
            "location": locations[0] if len(locations) == 1 else locations,
            "organizer": organisers or coalition(request),
            "inLanguage": translation.get_language(),
        }
    )
