import datetime

import pytest

from hw4all.coalition.models import Organisation
from hw4all.events.factories import EventPageFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db

WHA_START = datetime.datetime(2013, 5, 22, 17, 45, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2100, 1, 1, 9, 0, tzinfo=datetime.UTC)


def test_list_upcoming_and_past(client, make_event):
    make_event(title="Soon", days=2)
    make_event(title="Later", days=20)
    make_event(title="Before", days=-20)

    upcoming = client.get("/api/v1/events/").json()
    past = client.get("/api/v1/events/?when=past").json()

    assert [item["title"] for item in upcoming["items"]] == ["Soon", "Later"]
    assert upcoming["count"] == 2
    assert [item["title"] for item in past["items"]] == ["Before"]
    assert client.get("/api/v1/events/?when=someday").status_code == 422
    assert client.get("/api/v1/events/?lang=xx").json()["count"] == 0
    assert client.get("/api/v1/events/?lang=en").json()["count"] == 2


def test_detail_has_times_with_offset_places_and_no_personal_data(client, make_event):
    wemos = Organisation.objects.create(name="Wemos", slug="wemos")
    event = make_event(
        start=WHA_START,
        end=WHA_START + datetime.timedelta(hours=2),
        time_zone="Europe/Zurich",
        organisers=[wemos],
        capacity=5,
        registration_open=True,
    )
    EventRegistrationFactory(event=event, name="Secret Name", email="secret@example.org")

    response = client.get(f"/api/v1/events/{event.pk}")
    item = response.json()

    assert response.status_code == 200
    assert item["start"] == "2013-05-22T19:45:00+02:00"
    assert item["end"] == "2013-05-22T21:45:00+02:00"
    assert item["time_zone"] == "Europe/Zurich"
    assert item["organisers"] == ["Wemos"]
    assert item["url"].endswith(event.url)
    assert item["ics_url"].endswith(f"{event.url}event.ics")
    assert item["registration"] == {"open": False, "capacity": 5, "places_left": 4}
    assert "secret" not in response.content.decode().lower()


@pytest.mark.permission("hw4all_events_api_event_detail", "public")
def test_unknown_or_draft_event_is_404(client, make_event):
    draft = make_event(publish=False)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    assert client.get("/api/v1/events/999999").status_code == 404


def test_list_query_count_is_constant(client, events_index, django_assert_max_num_queries):
    organisation = Organisation.objects.create(name="Wemos", slug="wemos")
    for day in range(2):
        EventPageFactory(parent=events_index, start=FUTURE + datetime.timedelta(days=day))
    with django_assert_max_num_queries(100) as few:
        client.get("/api/v1/events/")
    for day in range(15):
        event = EventPageFactory(parent=events_index, start=FUTURE + datetime.timedelta(days=day + 10))
        event.organisers.add(organisation)
        event.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/events/").json()["items"]) == 17
