import datetime
import zoneinfo
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from wagtail.models import Locale

from . import queries
from .models import EventPage

router = Router(tags=["events"])


class EventFilters(Schema):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="upcoming (soonest first) or past (most recent first)"
    )
    lang: str | None = Field(None, description="Language code of the events (en, fr, ...); all when empty")


class RegistrationOut(Schema):
    open: bool = Field(description="Whether the event takes registrations now")
    capacity: int | None = Field(description="Number of places; null when there is no limit")
    places_left: int | None = Field(description="Places not yet taken; null when there is no limit")


class EventOut(Schema):
    id: int
    title: str
    start: datetime.datetime = Field(description="ISO 8601, with the offset of the event's time zone")
    end: datetime.datetime = Field(description="ISO 8601, with the offset of the event's time zone")
    time_zone: str = Field(description="IANA name of the zone the event's times are announced in")
    venue: str
    online_url: str
    summary: str
    organisers: list[str] = Field(description="Names of the organising organisations")
    co_promoters: list[str] = Field(description="Names of the co-promoting organisations")
    language: str
    url: str = Field(description="Absolute address of the event page")
    ics_url: str = Field(description="Absolute address of the event's iCalendar file")
    registration: RegistrationOut

    @staticmethod
    def resolve_start(obj: EventPage) -> datetime.datetime:
        return obj.start.astimezone(zoneinfo.ZoneInfo(obj.time_zone))

    @staticmethod
    def resolve_end(obj: EventPage) -> datetime.datetime:
        return obj.end.astimezone(zoneinfo.ZoneInfo(obj.time_zone))

    @staticmethod
    def resolve_organisers(obj: EventPage) -> list[str]:
        return [organisation.name for organisation in obj.organisers.all()]

    @staticmethod
    def resolve_co_promoters(obj: EventPage) -> list[str]:
        return [organisation.name for organisation in obj.co_promoters.all()]

    @staticmethod
    def resolve_language(obj: EventPage) -> str:
        return obj.locale.language_code

    @staticmethod
    def resolve_url(obj: EventPage, context: dict) -> str:
        request = context["request"]
        return request.build_absolute_uri(obj.get_url(request=request))

    @staticmethod
    def resolve_ics_url(obj: EventPage, context: dict) -> str:
        request = context["request"]
        return request.build_absolute_uri(f"{obj.get_url(request=request)}event.ics")

    @staticmethod
    def resolve_registration(obj: EventPage) -> dict:
        places_left = None if obj.capacity is None else max(obj.capacity - obj.confirmed_count, 0)
        return {
            "open": obj.registration_open and not obj.has_ended and obj.capacity != 0,
            "capacity": obj.capacity,
            "places_left": places_left,
        }


def _events_for_api(events: QuerySet[EventPage]) -> QuerySet[EventPage]:
    # Counts only: who registered is never part of the API.
    return (
        queries.events_with_places(events)
        .select_related("locale")
        .prefetch_related("organisers", "co_promoters")
    )


@router.get("", response=list[EventOut], summary="List published events")
@paginate(PageNumberPagination, page_size=20)
def event_list(request: HttpRequest, filters: Query[EventFilters]):
    locale = None
    if filters.lang:
        locale = Locale.objects.filter(language_code=filters.lang).first()
        if locale is None:
            return EventPage.objects.none()
    events = (
        queries.events_past(locale=locale)
        if filters.when == "past"
        else queries.events_upcoming(locale=locale)
    )
    return _events_for_api(events)


@router.get("/{event_id}", response=EventOut, summary="One published event")
def event_detail(request: HttpRequest, event_id: int):
    event = _events_for_api(queries.events_live()).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event
