"""On a 360-px-wide phone nothing is wider than the screen and the navigation is reachable."""

import pytest

PATHS = [
    "/en/",
    "/en/news/",
    "/en/news/statement-on-abduction-dr-magombeyi/",
    "/en/events/",
    "/en/events/wha66-side-event-who-global-code/",
    "/en/members/",
    "/en/projects/hw4all-2013-2015/",
    "/en/join/",
    "/pt/",
]


@pytest.mark.parametrize("path", PATHS)
def test_no_horizontal_scrolling_at_360px(phone_page, base_url, path):
    phone_page.goto(base_url + path)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"


def test_menu_links_are_visible_and_large_enough_to_tap(phone_page, base_url):
    phone_page.goto(base_url + "/en/")
    link = phone_page.get_by_role("navigation", name="Main").get_by_role("link", name="Members")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["height"] >= 20
