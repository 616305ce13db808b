"""Registrations for events made with an address. Erasing one that holds a place cancels it
first, as the person would, so the first one waiting gets the place and is told."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record

from .models import EventRegistration, RegistrationStatus
from .services import registration_cancel


def _registrations(address: str):
    return EventRegistration.objects.filter(email__iexact=address).select_related("event")


def _export(address: str) -> list[Record]:
    return [
        {
            "type": str(_("Event registration")),
            "event": row.event.title,
            "event_start": row.event.start.isoformat(),
            "name": row.name,
            "email": row.email,
            "organisation": row.organisation,
            "status": row.status,
            "language": row.language,
            "registered_at": row.created_at.isoformat(),
        }
        for row in _registrations(address).order_by("created_at", "pk")
    ]


def _erase(address: str) -> int:
    erased = 0
    for row in _registrations(address):
        if row.status == RegistrationStatus.CONFIRMED:
            registration_cancel(registration=row)
        row.delete()
        erased += 1
    return erased


REGISTRATIONS = PersonalDataProvider(key="events", label=_("Events"), export=_export, erase=_erase)
