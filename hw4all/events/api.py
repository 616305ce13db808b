import datetime
import zoneinfo
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Locale

from hw4all.core.apilanguage import LANG_DESCRIPTION, api_language
from hw4all.core.apipagination import CursorPagination

from . import queries
from .models import EventPage

MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error

router = Router(tags=["events"])


class EventFilters(Schema):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="upcoming (soonest first) or past (most recent first)"
    )
    country: str = Field(
        "", description="ISO 3166 alpha-2 code of where it takes place, such as KE", max_length=2
    )
    online: bool | None = Field(
        None, description="true: events one can join online; false: those without an online link"
    )
    lang: str | None = Field(None, description=LANG_DESCRIPTION, max_length=10)


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
    country: str = Field(description="ISO 3166 alpha-2 code of where it takes place; empty when online only")
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
    def resolve_country(obj: EventPage) -> str:
        return obj.country.code or ""

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


class EventPagination(CursorPagination):
    """Cursor pages in the order the list's query gives: upcoming events soonest first, past
    ones most recent first."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        ordered = CursorPagination(ordering=queryset.query.order_by, page_size=self.page_size)
        return ordered.paginate_queryset(queryset, pagination, request, **params)


@router.get(
    "", response=list[EventOut], summary="List published events, upcoming soonest first or past latest first"
)
@paginate(EventPagination)
def event_list(request: HttpRequest, filters: Query[EventFilters]):
    """Upcoming events (those not yet ended) by start, soonest first; with `when=past`, ended
    events by start, most recent first; ties by id. Drafts and private events are never listed."""
    locale = None
    if api_language(filters.lang):
        locale = Locale.objects.filter(language_code=filters.lang).first()
        if locale is None:
            return EventPage.objects.none()
    events = (
        queries.events_past(locale=locale)
        if filters.when == "past"
        else queries.events_upcoming(locale=locale)
    )
    if filters.country:
        events = events.filter(country=filters.country.upper())
    if filters.online is not None:
        events = events.exclude(online_url="") if filters.online else events.filter(online_url="")
    return _events_for_api(events)


@router.get("/{event_id}", response=EventOut, summary="One published event")
def event_detail(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = _events_for_api(queries.events_live()).filter(pk=event_id).first()
    if event is None:
        raise Http404("No published event has this id")
    return event
