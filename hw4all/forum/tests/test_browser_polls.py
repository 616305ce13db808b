"""A poll from start to end in a real browser on a 360-px phone: a moderator opens a ranked poll,
one member votes without JavaScript and another with it (the ballot turns
into the receipt in place), and after the closing the first finds their ballot by the receipt.
axe-core finds no serious or critical violation on the way."""

import datetime
import re

import pytest
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.models import Ballot, Poll
from tests.browser.conftest import axe_violations, fits

from .browser import page_as
from .test_polls import close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
