import datetime

import pytest
from django.utils import timezone

from hw4all.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [event.title for event in response.context["page_obj"]]


def test_upcoming_soonest_first_and_past_most_recent_first(client, make_event):
    make_event(title="In two months", days=60)
    make_event(title="Tomorrow", days=1)
    make_event(title="Last year", days=-365)
    make_event(title="Last week", days=-7)
    make_event(title="Happening now", days=-0.01, hours=3)

    upcoming = client.get("/en/events/")
    past = client.get("/en/events/?when=past")

    assert _titles(upcoming) == ["Happening now", "Tomorrow", "In two months"]
    assert _titles(past) == ["Last week", "Last year"]
    assert b'aria-current="page">Upcoming events' in upcoming.content
    assert b'aria-current="page">Past events' in past.content


def test_unknown_tab_falls_back_to_upcoming(client, make_event):
    make_event(title="Tomorrow", days=1)
    assert _titles(client.get("/en/events/?when=<script>")) == ["Tomorrow"]


def test_pages_of_twelve_and_bad_page_numbers(client, events_index):
    now = timezone.now()
    for day in range(14):
        EventPageFactory(parent=events_index, start=now + datetime.timedelta(days=day + 1))

    first = client.get("/en/events/")
    second = client.get("/en/events/?page=2")

    assert len(first.context["page_obj"]) == 12
    assert len(second.context["page_obj"]) == 2
    assert client.get("/en/events/?page=abc").context["page_obj"].number == 1
    assert client.get("/en/events/?page=999").context["page_obj"].number == 2
    assert b"page=2" in first.content


def test_htmx_request_gets_the_results_partial(client, make_event):
    make_event(title="Tomorrow", days=1)
    response = client.get("/en/events/?when=upcoming", headers={"HX-Request": "true"})
    assert b"Tomorrow" in response.content
    assert b"<html" not in response.content


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_query_count_does_not_grow_with_events(client, events_index, django_assert_max_num_queries, when):
    def add(count: int) -> None:
        sign = -1 if when == "past" else 1
        for day in range(count):
            EventPageFactory(
                parent=events_index, start=timezone.now() + sign * datetime.timedelta(days=day + 2)
            )

    add(2)
    client.get(f"/en/events/?when={when}")
    with django_assert_max_num_queries(100) as few:
        client.get(f"/en/events/?when={when}")
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/en/events/?when={when}")
    assert len(response.context["page_obj"]) == 12


def test_unknown_event_slug_is_404(client, events_index):
    assert client.get("/en/events/no-such-event/").status_code == 404
