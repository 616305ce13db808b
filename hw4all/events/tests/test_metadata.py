"""An event's schema.org Event data."""

from hw4all.coalition.factories import OrganisationFactory
from hw4all.core.tests.metadata import json_ld


def test_event_json_ld_equals_the_event(client, make_event):
    wemos = OrganisationFactory(name="Wemos", slug="wemos")
    event = make_event(venue="Palais des Nations", address="Geneva", online_url="https://meet.example.org/x")
    event.organisers.add(wemos)
    event.save_revision().publish()
    data = json_ld(client.get(event.url))
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == event.start.isoformat()
    assert data["endDate"] == event.end.isoformat()
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][0] == {"@type": "Place", "name": "Palais des Nations", "address": "Geneva"}
    assert data["location"][1]["url"] == "https://meet.example.org/x"
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Wemos", "url": f"http://testserver{wemos.get_absolute_url()}"}
    ]


def test_an_online_event_by_the_coalition(client, make_event):
    data = json_ld(client.get(make_event(online_url="https://meet.example.org/y").url))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["organizer"]["name"] == "Health Workers for All"
