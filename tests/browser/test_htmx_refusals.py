"""A request htmx sends in place that the server refuses (429 rate limited, 503 unavailable) shows
its reason on the page; htmx alone would leave the page as if nothing had happened."""

import pytest

from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Follow, SpaceKind
from hw4all.forum.tests.browser import context_as

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rate_limited_click_says_why_and_the_next_one_clears_it(chromium, live_server, settings):
    space = SpaceFactory(name="Global space", slug="global", kind=SpaceKind.GLOBAL, is_open=True)
    member = member_of(space, country="RO")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "forum-action": "1/10m/account"}
    page = context_as(chromium, live_server, member, javascript=True).new_page()
    page.goto(f"{live_server.url}/en/forum/spaces/{space.slug}/")

    page.get_by_role("button", name="Follow this space").click()
    page.get_by_role("button", name="Stop following this space").click()
    alert = page.locator(".htmx-refusal[role=alert]")
    alert.wait_for()
    assert "too many times in a short while" in alert.inner_text()
    assert "<" not in alert.inner_text()
    assert page.url.endswith(f"/en/forum/spaces/{space.slug}/")  # still in place
    assert Follow.objects.filter(user=member, space=space).exists()  # the refused click changed nothing

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "forum-action": "100/10m/account"}
    page.get_by_role("button", name="Stop following this space").click()
    page.get_by_role("button", name="Follow this space").wait_for()
    assert alert.count() == 0
    assert not Follow.objects.filter(user=member, space=space).exists()
