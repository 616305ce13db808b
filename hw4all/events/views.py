"""Views behind the event pages' routes and the iCalendar files."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from wagtail.models import Site

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limited

from . import queries, services
from .forms import RegistrationForm
from .ical import IcsEvent, calendar_render
from .models import EventIndexPage, EventPage, RegistrationStatus
from .tokens import registration_from_token

PER_PAGE = 12


def event_index(request: HttpRequest, index: EventIndexPage) -> HttpResponse:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    events = (
        queries.events_past(locale=index.locale)
        if when == "past"
        else queries.events_upcoming(locale=index.locale)
    )
    page_obj = paginate(events.only(*CARD_FIELDS), request.GET.get("page"), PER_PAGE)
    template = "events/results.html" if request.headers.get("HX-Request") else "events/event_index_page.html"
    return index.render(request, template=template, context_overrides={"when": when, "page_obj": page_obj})


# What the event card and its link need, so a long list loads no body or programme.
CARD_FIELDS = (
    "id",
    "title",
    "url_path",
    "locale_id",
    "start",
    "end",
    "time_zone",
    "venue",
    "online_url",
    "summary",
)


def _registration_state(event: EventPage) -> dict:
    places = queries.event_places(event)
    return {
        "places": places,
        "can_register": event.registration_open and not event.has_ended and event.capacity != 0,
        "full": places["places_left"] == 0,
    }


def event_detail(request: HttpRequest, event: EventPage) -> HttpResponse:
    return event.render(
        request,
        context_overrides={
            "organisers": event.organisers.all(),
            "co_promoters": event.co_promoters.all(),
            **_registration_state(event),
        },
    )


@rate_limited("event-registration")
def registration_form(request: HttpRequest, event: EventPage) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{event.url}register/thanks/?{urlencode({'status': registration.status})}")
    response = event.render(
        request,
        template="events/register.html",
        context_overrides={"form": form, **_registration_state(event)},
    )
    # The form carries a CSRF token: never keep it in a shared cache.
    add_never_cache_headers(response)
    return response


def registration_thanks(request: HttpRequest, event: EventPage) -> HttpResponse:
    status = request.GET.get("status")
    if status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return redirect(f"{event.url}register/")
    return event.render(request, template="events/register_thanks.html", context_overrides={"status": status})


@rate_limited("email-link")
def registration_manage(request: HttpRequest, event: EventPage) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    registration = registration_from_token(token)
    if registration is None or registration.event_id != event.pk:
        response = event.render(request, template="events/registration_invalid.html")
        response.status_code = 400
        return response
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return redirect(f"{event.url}registration/?{urlencode({'token': token})}")
    response = event.render(
        request,
        template="events/registration.html",
        context_overrides={"registration": registration, "token": token},
    )
    add_never_cache_headers(response)
    return response


def _ics_event(event: EventPage, request: HttpRequest) -> IcsEvent:
    host = urlsplit(settings.SITE_URL).hostname or "hw4all"
    location = ", ".join(part for part in (event.venue, event.address) if part) or event.online_url
    description = event.summary
    if event.online_url:
        description += "\n\n" + _("Online: %(url)s") % {"url": event.online_url}
    return IcsEvent(
        # Translations of a page share its translation key: one event, one UID, in every language.
        uid=f"{event.translation_key}@{host}",
        start=event.start,
        end=event.end,
        summary=event.title,
        stamp=event.last_published_at or timezone.now(),
        description=description,
        location=location,
        url=event.get_full_url(request) or "",
    )


def _ics_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page_url_path(request: HttpRequest, path: str) -> str:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return f"{site.root_page.localized.url_path}{path}"


def event_ics(request: HttpRequest, path: str) -> HttpResponse:
    event = get_object_or_404(queries.events_live(), url_path=_page_url_path(request, path))
    return _ics_response(calendar_render([_ics_event(event, request)], name=event.title), f"{event.slug}.ics")


def calendar_ics(request: HttpRequest, path: str) -> HttpResponse:
    index = get_object_or_404(EventIndexPage.objects.live().public(), url_path=_page_url_path(request, path))
    events = queries.events_for_calendar(locale=index.locale).child_of(index)
    name = f"{index.title} · {settings.WAGTAIL_SITE_NAME}"
    return _ics_response(
        calendar_render([_ics_event(event, request) for event in events], name=name), "calendar.ics"
    )
