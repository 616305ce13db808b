"""The membership application form is limited per network; a refused application is given back."""

import html

import pytest
from django.core.cache import cache

from hw4all.coalition.models import MembershipApplication

URL = "/en/join/"
OFFICE = "203.0.113.7"
HOSTILE = '<script>alert("x")</script>'


def _application(number: int, **overrides) -> dict:
    data = {
        "organisation_name": f"Nurses Without Borders {number}",
        "acronym": "NWB",
        "country": "KE",
        "type": "professional",
        "website": "https://nurses.example.org/",
        "description": f"We represent nurses and midwives in East Africa.\nBranch {number}.",
        "contact_name": "Wanjiru Kamau",
        "contact_email": f"wanjiru{number}@nurses.example.org",
        "consent": "on",
    }
    return data | overrides


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "membership-application": "3/1h/network"}


@pytest.mark.django_db
def test_applications_over_the_limit_are_refused_and_given_back(client):
    for number in range(3):
        assert client.post(URL, _application(number), REMOTE_ADDR=OFFICE).status_code == 302

    refused = client.post(URL, _application(4, description=f"Our work.\n{HOSTILE}"), REMOTE_ADDR=OFFICE)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "You have sent this too many times in a short while" in page
    assert "please wait" in page
    # Everything typed comes back, in a form that sends it again to the same address.
    assert f'action="{URL}"' in page
    assert 'value="Nurses Without Borders 4"' in page
    assert html.escape(f"Our work.\n{HOSTILE}") in page
    assert HOSTILE not in page
    assert 'name="consent"' in page
    assert MembershipApplication.objects.count() == 3


@pytest.mark.django_db
def test_another_network_may_still_apply(client):
    for number in range(4):
        client.post(URL, _application(number), REMOTE_ADDR=OFFICE)

    assert client.post(URL, _application(9), REMOTE_ADDR="198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_the_form_shows_and_works_again_once_the_window_has_passed(client):
    for number in range(4):
        client.post(URL, _application(number), REMOTE_ADDR=OFFICE)
    # Reading the form is never counted.
    assert client.get(URL, REMOTE_ADDR=OFFICE).status_code == 200

    cache.clear()  # the fixed window's count is gone once the window ends

    assert client.post(URL, _application(5), REMOTE_ADDR=OFFICE).status_code == 302
    assert MembershipApplication.objects.count() == 4
