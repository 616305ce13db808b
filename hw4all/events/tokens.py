"""Signed links that let a registrant see or cancel their registration without an account."""

from urllib.parse import urlencode

from django.core import signing

from .models import EventRegistration

SALT = "hw4all.events.registration"


def registration_token(registration: EventRegistration) -> str:
    # The creation time goes in too, so a token never fits a later row that reuses a deleted id.
    return signing.dumps([registration.pk, registration.created_at.timestamp()], salt=SALT, compress=True)


def registration_from_token(token: str) -> EventRegistration | None:
    """The registration the token was made for, or None for a forged, damaged or stale token."""
    try:
        pk, created = signing.loads(token, salt=SALT)
        registration = EventRegistration.objects.select_related("event").get(pk=pk)
    except (signing.BadSignature, ValueError, TypeError, EventRegistration.DoesNotExist):
        return None
    if registration.created_at.timestamp() != created:
        return None
    return registration


def registration_manage_url(registration: EventRegistration) -> str:
    """Absolute, for emails."""
    query = urlencode({"token": registration_token(registration)})
    return f"{registration.event.get_full_url()}registration/?{query}"
