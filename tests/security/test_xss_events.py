"""Event registrations (name and organisation) typed with the OWASP vectors into the registration
form, shown back with an error, on the registrant's own page and in the Secretariat's list."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from hw4all.events import services
from hw4all.users.roles import SECRETARIAT
from hw4all.users.services import user_create

from .xss import SHORT, assert_pages_inert, packed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def events_pages(events_index, *, names: list[str]) -> dict[str, str]:
    start = timezone.now() + datetime.timedelta(days=30)
    event = services.event_create(
        index=events_index,
        title="Side event",
        summary="The WHO Code.",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Zurich",
        registration_open=True,
    )
    visitor = Client()
    shown = {}
    for number, name in enumerate(names):
        data = {"name": name, "organisation": name[:255], "consent": "on"}
        refused = visitor.post(f"{event.url}register/", data | {"email": "x@"})
        assert refused.status_code == 200
        shown[f"form with errors {number}"] = refused.content.decode()
        done = visitor.post(f"{event.url}register/", data | {"email": f"person{number}@example.org"})
        assert done.status_code == 302, done.content.decode()[:2000]
        link = urlsplit(re.search(r"https?://\S+registration/\?token=\S+", mail.outbox[-1].body).group(0))
        shown[f"registration {number}"] = visitor.get(f"{link.path}?{link.query}").content.decode()
    secretariat = user_create(email="secretariat@example.org", password="a-long-password-1")
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT))
    office = Client()
    office.force_login(secretariat)
    shown["registrations"] = office.get("/admin/registrations/").content.decode()
    return shown


def test_registrations_are_shown_inert(events_index):
    assert_pages_inert(lambda **values: events_pages(events_index, **values), names=packed(SHORT, 200, " "))
