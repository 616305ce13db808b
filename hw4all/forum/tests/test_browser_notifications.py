"""A member follows a space with one click on a 360-px phone (htmx in place), reads the
notification of what happened there and marks it read, then without JavaScript searches the
forum and chooses a weekly digest; the pages fit the phone and pass axe."""

import os

import pytest

from hw4all.forum.models import ActivityKind, Follow, Participant
from hw4all.forum.services import activity
from tests.browser.conftest import axe_violations, fits

from .browser import context_as
from .test_notifications import make_thread

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_follow_be_told_search_and_choose_a_digest(chromium, live_server, open_space, open_member, member):
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    context = context_as(chromium, live_server, open_member, javascript=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/forum/spaces/{open_space.slug}/")
    page.get_by_role("button", name="Follow this space").click()
    status = page.locator(".forum-follow [aria-live], .forum-follow").first
    page.get_by_role("button", name="Stop following this space").wait_for()
    assert "You follow this space" in status.inner_text()
    assert page.url.endswith(f"/en/forum/spaces/{open_space.slug}/")  # in place, no reload
    assert Follow.objects.filter(user=open_member, space=open_space).exists()
    assert fits(page)

    thread = make_thread(open_space, member, title="Midwives in rural districts")
    activity.activity_record(
        space=open_space, kind=ActivityKind.THREAD_STARTED, actor=member, summary=thread.title, thread=thread
    )
    page.goto(f"{live_server.url}/en/forum/notifications/")
    main = page.locator("main")
    assert "1 unread" in main.inner_text()
    assert "started a discussion" in main.inner_text()
    assert "Midwives in rural districts" in main.inner_text()
    assert fits(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert "0 unread" in page.locator("main").inner_text()
    context.close()

    context = context_as(chromium, live_server, open_member, javascript=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/forum/search/")
    page.get_by_label("Words to find").fill("rural midwives")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/forum/search/?q=*")
    result = page.locator(".forum-result").first
    assert "Midwives in rural districts" in result.inner_text()
    assert result.locator("mark").count() == 2
    assert fits(page)
    search_url = page.url

    page.goto(f"{live_server.url}/en/forum/notifications/settings/")
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save").click()
    assert "Your email settings are saved." in page.locator("main").inner_text()
    assert page.get_by_label("A weekly digest").is_checked()
    assert "Stop following this space" in page.locator("main").inner_text()
    assert fits(page)
    assert Participant.objects.get(user=open_member).email_frequency == "weekly"
    context.close()

    # axe runs in the page, so it checks these two with JavaScript on.
    context = context_as(chromium, live_server, open_member, javascript=True)
    page = context.new_page()
    for url in (search_url, f"{live_server.url}/en/forum/notifications/settings/"):
        page.goto(url)
        assert axe_violations(page) == [], url
    context.close()
