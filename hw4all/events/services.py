from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from hw4all.core.email import email_enqueue
from hw4all.core.pagetree import child_page_ensure

from .models import EventIndexPage, EventPage, EventRegistration, RegistrationStatus
from .tokens import registration_manage_url

if TYPE_CHECKING:
    from hw4all.coalition.models import Organisation


@transaction.atomic
def events_index_ensure(*, home: Page, title: str = "Events", intro: str = "") -> EventIndexPage:
    """Idempotent: the home page's existing event index is returned unchanged."""
    return child_page_ensure(
        parent=home, page=EventIndexPage(title=title, slug="events", intro=intro, show_in_menus=True)
    )


@transaction.atomic
def event_create(
    *,
    index: EventIndexPage,
    title: str,
    start: datetime,
    end: datetime,
    time_zone: str,
    summary: str,
    venue: str = "",
    address: str = "",
    online_url: str = "",
    country: str = "",
    body: list | None = None,
    programme: str = "",
    organisers: Iterable[Organisation] = (),
    co_promoters: Iterable[Organisation] = (),
    capacity: int | None = None,
    registration_open: bool = False,
    recording_url: str = "",
    resources: str = "",
    publish: bool = True,
    slug: str | None = None,
) -> EventPage:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Event times must carry their time zone."))
    event = EventPage(
        title=title,
        start=start,
        end=end,
        time_zone=time_zone,
        summary=summary,
        venue=venue,
        address=address,
        online_url=online_url,
        country=country,
        body=body or [],
        programme=programme,
        capacity=capacity,
        registration_open=registration_open,
        recording_url=recording_url,
        resources=resources,
        live=publish,
    )
    if slug:
        event.slug = slug
    event.organisers = list(organisers)
    event.co_promoters = list(co_promoters)
    # add_child saves through Page.save, which runs full_clean() first.
    index.add_child(instance=event)
    revision = event.save_revision()
    if publish:
        revision.publish()
    return event


def _registration_email(registration: EventRegistration, *, promoted: bool = False) -> None:
    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    email_enqueue(
        to=[registration.email],
        template="events/email/registration_confirmed" if confirmed else "events/email/registration_waiting",
        context={
            "registration": registration,
            "event": event,
            "event_url": event.get_full_url(),
            "manage_url": registration_manage_url(registration),
            "promoted": promoted,
        },
        language=registration.language,
    )


def _confirmed_count(event: EventPage) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _event_locked(event_id: int) -> EventPage:
    # Every registration write for an event locks its row first, so two people can never take the
    # last place at once. SQLite has no row locks: its IMMEDIATE transactions serialise writers.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def registration_create(
    *, event: EventPage, name: str, email: str, organisation: str = "", language: str
) -> EventRegistration:
    """Confirmed while places remain, otherwise on the waiting list; emails the registrant."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            event = _event_locked(event.pk)
            if event.has_ended:
                raise ValidationError(_("This event has ended: registration is closed."), code="ended")
            if not event.registration_open:
                raise ValidationError(_("Registration for this event is closed."), code="closed")
            if event.capacity == 0:
                raise ValidationError(_("This event takes no registrations."), code="no_places")
            registration = event.registrations.filter(email=email).first()
            if registration is not None and registration.status != RegistrationStatus.CANCELLED:
                raise ValidationError(
                    {"email": _("This email address is already registered for this event.")}, code="duplicate"
                )
            if registration is None:
                registration = EventRegistration(event=event, email=email)
            else:
                # Someone who cancelled comes back at the end of the queue.
                registration.created_at = timezone.now()
            registration.name = name.strip()
            registration.organisation = organisation.strip()
            registration.language = language
            full = event.capacity is not None and _confirmed_count(event) >= event.capacity
            registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
            registration.full_clean()
            registration.save()
            # Enqueued in the same transaction: with the database task backend the email and the
            # registration are stored together or not at all.
            _registration_email(registration)
    except IntegrityError as error:
        # The unique constraint is the last word when two requests race on one address.
        raise ValidationError(
            {"email": _("This email address is already registered for this event.")}, code="duplicate"
        ) from error
    return registration


def registration_cancel(*, registration: EventRegistration) -> EventRegistration | None:
    """Cancel (idempotent) and give the freed place to the first person waiting, who is emailed.
    Returns the promoted registration, if any."""
    with transaction.atomic():
        event = _event_locked(registration.event_id)
        registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            return None
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        if event.has_ended or (event.capacity is not None and _confirmed_count(event) >= event.capacity):
            return None
        promoted = (
            event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk").first()
        )
        if promoted is None:
            return None
        promoted.status = RegistrationStatus.CONFIRMED
        promoted.save(update_fields=["status"])
        _registration_email(promoted, promoted=True)
        return promoted
