"""A poll from start to end in a real browser on a 360-px phone: a moderator opens a ranked poll,
one member votes without JavaScript and another with it (the ballot turns
into the receipt in place), and after the closing the first finds their ballot by the receipt.
axe-core finds no serious or critical violation on the way."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.models import Ballot, Poll
from tests.browser.conftest import CHROMIUM, axe_violations

from .test_polls import close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and the test reads and writes the
    # database beside it (the live server has its own thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


def page_as(chromium, live_server, user, *, javascript: bool):
    """A phone-sized page signed in as `user` (the session made by the test client)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(java_script_enabled=javascript, **PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_ranked_poll_from_opening_to_receipt_check(chromium, live_server, open_space, moderator):
    first, second = member_of(open_space, country="KE"), member_of(open_space, country="RO")
    closes = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    # The moderator opens the poll.
    page = page_as(chromium, live_server, moderator, javascript=True)
    page.goto(f"{live_server.url}/en/forum/spaces/{open_space.slug}/polls/")
    page.get_by_role("link", name="New poll").click()
    assert axe_violations(page) == []
    assert fits(page)
    page.get_by_label("Question").fill("Who chairs the Steering Committee in 2027?")
    page.get_by_label("Options").fill("Amina Diallo\nJan de Vries\nMaria Costa")
    page.get_by_label("Ranked choices").check()
    page.get_by_label("Closes at (UTC)").fill(closes)
    page.get_by_role("button", name="Create the poll").click()
    assert "The poll is open." in page.locator("main").inner_text()
    poll = Poll.objects.get()
    page.context.close()

    # A member votes without JavaScript: a select per rank, then the receipt.
    page = page_as(chromium, live_server, first, javascript=False)
    page.goto(live_server.url + poll.get_absolute_url())
    assert fits(page)
    page.get_by_label("Choice 1").select_option(label="Maria Costa")
    page.get_by_label("Choice 2").select_option(label="Amina Diallo")
    page.get_by_role("button", name="Cast my vote").click()
    text = page.locator("main").inner_text()
    assert "Your vote is counted." in text
    receipt = page.locator(".forum-poll-receipt__code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", receipt)
    assert fits(page)
    page.context.close()

    # Another votes with JavaScript: the ballot turns into the receipt in place.
    page = page_as(chromium, live_server, second, javascript=True)
    page.goto(live_server.url + poll.get_absolute_url())
    assert axe_violations(page) == []
    address = page.url
    page.get_by_label("Choice 1").select_option(label="Jan de Vries")
    page.get_by_role("button", name="Cast my vote").click()
    page.locator(".forum-poll-receipt__code").wait_for()
    assert page.url == address
    assert page.locator("#poll-vote").get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []
    page.context.close()
    assert Ballot.objects.count() == 2

    # After the closing, the first voter finds their ballot by the receipt.
    close(poll)
    page = page_as(chromium, live_server, first, javascript=True)
    page.goto(live_server.url + poll.get_absolute_url())
    assert "Counted by instant runoff" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Every ballot, and check your receipt").click()
    page.get_by_label("Your receipt").fill(receipt.lower())
    page.get_by_role("button", name="Find my ballot").click()
    assert "Found: your ballot" in page.locator("main").inner_text()
    mine = page.locator(".forum-ballot--mine")
    assert mine.count() == 1
    assert mine.locator("li").all_inner_texts() == ["Maria Costa", "Amina Diallo"]
    assert axe_violations(page) == []
    assert fits(page)
    page.context.close()
