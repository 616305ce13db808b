import datetime

import pytest
from django.utils import timezone

from hw4all.events import services


@pytest.fixture
def make_event(events_index):
    """Events built through the real service, starting `days` from now."""

    def make(*, days: float = 30, hours: float = 2, **kwargs):
        start = kwargs.pop("start", timezone.now() + datetime.timedelta(days=days))
        end = kwargs.pop("end", start + datetime.timedelta(hours=hours))
        kwargs.setdefault("title", "Side event at the World Health Assembly")
        kwargs.setdefault("time_zone", "Europe/Zurich")
        kwargs.setdefault("summary", "How the WHO Code protects health workforces.")
        return services.event_create(index=events_index, start=start, end=end, **kwargs)

    return make
