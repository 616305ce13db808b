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
    assert upcoming["next"] is None
    assert [item["title"] for item in past["items"]] == ["Before"]
    assert len(client.get("/api/v1/events/?lang=en").json()["items"]) == 2
    assert client.get("/api/v1/events/?lang=fr").json()["items"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KE", ["Nairobi meeting"]),
        ("country=ke", ["Nairobi meeting"]),
        ("country=UG", []),
        ("online=true", ["Webinar"]),
        ("online=false", ["Nairobi meeting"]),
        ("when=past&country=KE", ["Earlier in Nairobi"]),
    ],
)
def test_filters_by_country_and_online(client, make_event, query, expected):
    make_event(title="Nairobi meeting", days=3, country="KE", venue="Nairobi")
    make_event(title="Webinar", days=5, online_url="https://meet.example.org/hw4all")
    make_event(title="Earlier in Nairobi", days=-5, country="KE")
    response = client.get(f"/api/v1/events/?{query}")
    assert [item["title"] for item in response.json()["items"]] == expected
    if expected == ["Nairobi meeting"]:
        assert response.json()["items"][0]["country"] == "KE"


def test_an_event_that_started_but_has_not_ended_is_upcoming(client, make_event):
    make_event(title="Now", days=-0.01, hours=3)
    assert [item["title"] for item in client.get("/api/v1/events/").json()["items"]] == ["Now"]
    assert client.get("/api/v1/events/?when=past").json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ("when=someday", "when", 422),
        ("lang=xx", "lang", 400),
        ("limit=0", "limit", 422),
        ("limit=101", "limit", 422),
        ("cursor=bm9wZQ", "cursor", 400),
        ("cursor=WyJub3QgYSBkYXRlIiwxXQ", "cursor", 400),
        ("country=KEN", "country", 422),
        ("online=perhaps", "online", 422),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_field(client, make_event, query, field, status):
    make_event()
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize(("when", "days", "reverse"), [("upcoming", 1, False), ("past", -1, True)])
def test_walking_the_pages_gives_every_event_once_in_order(client, make_event, when, days, reverse):
    # Two events at each start: the id breaks the tie.
    events = [make_event(days=days * (10 + number // 2)) for number in range(7)]
    seen = []
    address = f"/api/v1/events/?when={when}&limit=2"
    while address:
        body = client.get(address).json()
        seen += body["items"]
        address = body["next"]
    assert sorted(item["id"] for item in seen) == sorted(event.pk for event in events)
    keys = [(datetime.datetime.fromisoformat(item["start"]), item["id"]) for item in seen]
    assert keys == sorted(keys, reverse=reverse)


def test_drafts_and_private_events_are_never_listed(client, make_event, events_index):
    from wagtail.models import PageViewRestriction

    make_event(title="Draft", publish=False)
    private = make_event(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_event(title="Public")
    assert [item["title"] for item in client.get("/api/v1/events/").json()["items"]] == ["Public"]
    assert client.get(f"/api/v1/events/{private.pk}").status_code == 404


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
    for day in range(5):
        EventPageFactory(parent=events_index, start=FUTURE + datetime.timedelta(days=day))
    with django_assert_max_num_queries(100) as few:
        client.get("/api/v1/events/?limit=5")
    for day in range(23):
        event = EventPageFactory(parent=events_index, start=FUTURE + datetime.timedelta(days=day + 10))
        event.organisers.add(organisation)
        event.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/events/?limit=25").json()["items"]) == 25
