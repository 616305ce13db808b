"""Registering for events is limited per network; a refused registration is given back."""

import pytest
from django.core.cache import cache

from hw4all.events.models import EventRegistration

pytestmark = pytest.mark.django_db
OFFICE = "203.0.113.7"


def _form(number: int) -> dict:
    return {
        "name": f"Amina Diallo {number}",
        "email": f"amina{number}@example.org",
        "organisation": "AMREF",
        "consent": "on",
    }


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "event-registration": "2/1h/network"}


def test_registrations_over_the_limit_are_refused_with_what_was_typed(client, make_event):
    event = make_event(capacity=None, registration_open=True)
    url = f"{event.url}register/"
    for number in range(2):
        assert client.post(url, _form(number), REMOTE_ADDR=OFFICE).status_code == 302

    refused = client.post(url, _form(3), REMOTE_ADDR=OFFICE)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert refused["Retry-After"].isdigit()
    assert "You have sent this too many times in a short while" in page
    assert 'value="Amina Diallo 3"' in page
    assert 'value="amina3@example.org"' in page
    assert f'action="{url}"' in page
    assert EventRegistration.objects.count() == 2

    # From another network, and after the window, registering works.
    assert client.post(url, _form(4), REMOTE_ADDR="198.51.100.20").status_code == 302
    cache.clear()
    assert client.post(url, _form(5), REMOTE_ADDR=OFFICE).status_code == 302
    assert EventRegistration.objects.count() == 4


def test_reading_the_form_is_never_limited(client, make_event):
    event = make_event(registration_open=True)
    for _ in range(5):
        assert client.get(f"{event.url}register/", REMOTE_ADDR=OFFICE).status_code == 200
