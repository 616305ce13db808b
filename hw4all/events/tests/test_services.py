import datetime

import pytest
from django.core.exceptions import ValidationError

from hw4all.events import queries, services
from hw4all.events.models import EventIndexPage

pytestmark = pytest.mark.django_db


def test_events_index_ensure_is_idempotent(home_page):
    first = services.events_index_ensure(home=home_page, intro="Meetings and side events")
    second = services.events_index_ensure(home=home_page, title="Other")
    assert first.pk == second.pk
    assert (first.slug, first.show_in_menus, first.live) == ("events", True, True)
    assert EventIndexPage.objects.count() == 1


def test_event_create_refuses_naive_times(events_index):
    with pytest.raises(ValidationError):
        services.event_create(
            index=events_index,
            title="Naive",
            start=datetime.datetime(2030, 1, 1, 10),
            end=datetime.datetime(2030, 1, 1, 12),
            time_zone="UTC",
            summary="x",
        )


def test_home_page_query_still_lists_upcoming(make_event):
    make_event(title="Later", days=9)
    make_event(title="Soon", days=1)
    make_event(title="Gone", days=-1)
    assert [event.title for event in queries.events_upcoming(limit=3)] == ["Soon", "Later"]
