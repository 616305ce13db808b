"""axe-core finds no serious or critical violation on the pages people read most, in each
interface language."""

import pytest

from .conftest import axe_violations

PAGES = {
    "home": "/{lang}/",
    "news": "/{lang}/news/",
    "article": "/{lang}/news/statement-on-abduction-dr-magombeyi/",
    "events": "/{lang}/events/",
    "event": "/{lang}/events/wha66-side-event-who-global-code/",
    "directory": "/{lang}/members/",
    "people": "/{lang}/members/people/",
    "project": "/{lang}/projects/hw4all-2013-2015/",
    "join": "/{lang}/join/",
    "library": "/{lang}/library/?q=sante",
    "practices": "/{lang}/practices/",
    "login": "/{lang}/accounts/login/",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(page, base_url, name, lang):
    response = page.goto(base_url + PAGES[name].format(lang=lang))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []


def test_skip_link_moves_focus_to_main_content(page, base_url):
    page.goto(base_url + "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_focus_is_visible_on_links(page, base_url):
    page.goto(base_url + "/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
