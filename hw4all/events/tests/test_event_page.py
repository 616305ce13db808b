import datetime

import pytest
from django.utils import timezone

from hw4all.coalition.models import Organisation

pytestmark = pytest.mark.django_db

WHA_START = datetime.datetime(2013, 5, 22, 17, 45, tzinfo=datetime.UTC)
WHA_END = datetime.datetime(2013, 5, 22, 19, 45, tzinfo=datetime.UTC)


def test_times_in_the_events_zone_and_in_utc(client, make_event):
    event = make_event(start=WHA_START, end=WHA_END, time_zone="Europe/Zurich")

    content = client.get(event.url).content.decode()

    assert "22 May 2013, 19:45–21:45 CEST (Europe/Zurich)" in content
    assert "22 May 2013, 17:45–19:45 UTC" in content
    assert 'data-local-time="2013-05-22T17:45:00+00:00"' in content
    assert 'data-local-label="In your time zone: %s"' in content


def test_event_in_utc_is_shown_once(client, make_event):
    event = make_event(start=WHA_START, end=WHA_END, time_zone="UTC")
    content = client.get(event.url).content.decode()
    assert content.count("22 May 2013, 17:45–19:45 UTC") == 1


def test_ended_event_shows_notice_recording_and_resources(client, make_event):
    event = make_event(
        start=WHA_START,
        end=WHA_END,
        recording_url="https://video.example.org/wha66",
        resources="<p>Slides of the side event</p>",
        registration_open=True,
    )
    content = client.get(event.url).content.decode()
    assert "This event has ended." in content
    assert "https://video.example.org/wha66" in content
    assert "Slides of the side event" in content
    assert "/register/" not in content


def test_upcoming_event_hides_recording_and_shows_places(client, make_event):
    event = make_event(
        days=10, recording_url="https://video.example.org/later", capacity=40, registration_open=True
    )
    content = client.get(event.url).content.decode()
    assert "https://video.example.org/later" not in content
    assert "40 places left." in content
    assert f'href="{event.url}register/"' in content
    assert f'href="{event.url}event.ics"' in content


def test_closed_registration_is_said(client, make_event):
    event = make_event(days=10, registration_open=False)
    assert "Registration is closed." in client.get(event.url).content.decode()


def test_organisers_and_co_promoters_link_to_the_directory(client, make_event):
    wemos = Organisation.objects.create(name="Wemos", slug="wemos")
    medicus = Organisation.objects.create(name="Medicus Mundi International", slug="mmi")
    event = make_event(organisers=[wemos], co_promoters=[medicus])
    content = client.get(event.url).content.decode()
    assert f'<a href="{wemos.get_absolute_url()}">Wemos</a>' in content
    assert f'<a href="{medicus.get_absolute_url()}">Medicus Mundi International</a>' in content


def test_online_event_links_online_and_page_has_no_csrf_token(client, make_event):
    event = make_event(venue="", online_url="https://meet.example.org/hw4all", registration_open=True)
    response = client.get(event.url)
    assert b"https://meet.example.org/hw4all" in response.content
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies


def test_hostile_text_fields_are_escaped(client, make_event):
    hostile = "<script>alert(1)</script>"
    event = make_event(title=f"Title {hostile}", summary=hostile, venue=hostile, address=hostile)
    content = client.get(event.url).content.decode()
    assert hostile not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_unpublished_event_is_404(client, make_event):
    event = make_event(publish=False, slug="draft-event")
    assert client.get("/en/events/draft-event/").status_code == 404
    assert event.pk


def test_end_before_start_is_refused(make_event):
    from django.core.exceptions import ValidationError

    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        make_event(start=start, end=start - datetime.timedelta(hours=1))
