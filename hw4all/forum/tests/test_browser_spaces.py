"""Spaces in a real browser on a 360-px phone: a member finds an open space on the forum's home
and joins it without JavaScript; with JavaScript, someone asks to join a closed working group, its
moderator approves them and hides a reported discussion. axe-core finds no serious or critical
violation on the spaces' pages."""

import pytest

from hw4all.coalition.factories import user_in
from hw4all.forum.factories import member_of
from hw4all.forum.models import Thread
from hw4all.forum.services import moderation
from hw4all.users.roles import MEMBER
from tests.browser.conftest import axe_violations, fits

from .browser import main_text, page_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_joins_an_open_space_without_javascript(chromium, live_server, open_space, closed_space):
    person = user_in(MEMBER, country="KE")
    page = page_as(chromium, live_server, person, javascript=False)
    page.goto(f"{live_server.url}/en/forum/")
    assert "HRH working group" not in main_text(page)
    assert fits(page)
    page.get_by_role("link", name="Global space").click()
    page.get_by_role("button", name="Join the space").click()
    assert "You are a member of Global space." in main_text(page)
    assert fits(page)
    sections = page.get_by_role("navigation", name="Sections of Global space")
    sections.get_by_role("link", name="Activity", exact=True).click()
    assert "joined the space" in page.locator(".forum-activity").inner_text()
    assert fits(page)
    sections.get_by_role("link", name="Members", exact=True).click()
    assert person.email not in main_text(page)
    assert fits(page)
    page.get_by_role("button", name="Leave the space").click()
    assert "You left Global space." in main_text(page)


def test_a_moderator_approves_a_request_and_hides_a_reported_discussion(
    chromium, live_server, closed_space, moderator
):
    asker = user_in(MEMBER, country="PE")
    page = page_as(chromium, live_server, asker, javascript=True)
    page.goto(f"{live_server.url}/en/forum/invitations/")
    assert axe_violations(page) == []
    page.get_by_label("The space's short name").fill(closed_space.slug)
    page.get_by_label("Message to the moderators").fill("I keep the accounts of my organisation.")
    page.get_by_role("button", name="Ask to join").click()
    assert "its moderators will see your request" in main_text(page)

    writer = member_of(closed_space, country="GH")
    thread = Thread.objects.create(space=closed_space, title="Where the money went", created_by=writer)
    moderation.report_create(reporter=moderator, target=thread, reason="Names a person's salary")

    mod = page_as(chromium, live_server, moderator, javascript=True)
    mod.goto(f"{live_server.url}/en/forum/spaces/{closed_space.slug}/members/")
    assert "I keep the accounts of my organisation." in main_text(mod)
    assert axe_violations(mod) == []
    assert fits(mod)
    mod.get_by_role("button", name="Approve").click()
    assert "is a member now" in main_text(mod)

    mod.goto(f"{live_server.url}/en/forum/spaces/{closed_space.slug}/moderation/")
    assert "Names a person's salary" in main_text(mod)
    assert axe_violations(mod) == []
    assert fits(mod)
    mod.get_by_role("link", name="Hide", exact=True).click()
    mod.get_by_label("Reason").fill("A person's salary is private.")
    mod.get_by_role("button", name="Hide").click()
    assert "No open report." in main_text(mod)
    log = mod.locator(".forum-log").inner_text()
    assert "A person's salary is private." in log and "approved the request to join of" in log
    for path in ("", "activity/"):
        mod.goto(f"{live_server.url}/en/forum/spaces/{closed_space.slug}/{path}")
        assert axe_violations(mod) == [], path

    page.goto(f"{live_server.url}/en/forum/spaces/{closed_space.slug}/")
    assert "You are a member of this space." in main_text(page)
    assert "Where the money went" not in main_text(page)
    page.goto(f"{live_server.url}/en/forum/")
    assert axe_violations(page) == []
