"""A member starts a discussion, comments and replies on a 360-px phone without JavaScript, then
with JavaScript comments and replies in place (htmx); the thread page passes the accessibility
check."""

import re
import subprocess
import sys

import pytest

from .conftest import ROOT, axe_violations
from .test_practices_authoring import fits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SPACE = "browser-discussions"
# The demo member joins an open space of its own, made through the same factories as the tests.
SETUP = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from hw4all.forum.factories import SpaceFactory
from hw4all.forum.models import MembershipStatus, Space, SpaceMembership
space = Space.objects.filter(slug="{SPACE}").first() or SpaceFactory(name="Discussions in the browser", slug="{SPACE}")
user = get_user_model().objects.get(email="member@hw4all.example")
SpaceMembership.objects.get_or_create(
    space=space, user=user, defaults={{"status": MembershipStatus.ACTIVE, "joined_at": timezone.now()}}
)
"""


@pytest.fixture(scope="module")
def space_url(site_env, base_url) -> str:
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SETUP],
        env=site_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return f"{base_url}/en/forum/spaces/{SPACE}/discussions/"


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def start_discussion(page, space_url: str, title: str) -> None:
    page.goto(space_url)
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("First comment").fill("Which **retention** allowances worked in your district?")
    page.get_by_role("button", name="Start the discussion").click()
    page.wait_for_url(re.compile(r"/forum/discussions/\d+/$"))


def test_a_member_discusses_on_a_phone_without_javascript(phone_without_js, base_url, space_url):
    page = phone_without_js
    sign_in(page, base_url)
    start_discussion(page, space_url, "Rural allowances without JavaScript")
    main = page.locator("main")
    assert "Your discussion is started." in main.inner_text()
    assert main.locator("strong", has_text="retention").count() == 1
    assert fits(page)

    page.get_by_label("Your comment").fill("In Kisumu a fifth of the salary kept nurses for years.")
    page.get_by_role("button", name="Post the comment").click()
    assert "Your comment is posted." in main.inner_text()
    assert "In Kisumu a fifth of the salary" in main.inner_text()

    # A reply has a page of its own without JavaScript, then lands under its comment.
    page.get_by_role("link", name=re.compile(r"^Reply to")).last.click()
    page.get_by_label("Your reply").fill("Was it paid on time?")
    page.get_by_role("button", name="Post the reply").click()
    reply = page.locator(".forum-comments--replies .forum-comment", has_text="Was it paid on time?")
    assert reply.count() == 1
    assert fits(page)

    # An oversized comment comes back with the text kept.
    long_text = "word " * 4100
    page.get_by_label("Your comment").fill(long_text)
    page.get_by_role("button", name="Post the comment").click()
    assert "A comment holds at most 20,000 characters" in main.inner_text()
    assert page.get_by_label("Your comment").input_value().strip() == long_text.strip()


def test_comments_and_replies_appear_in_place_with_javascript(phone_page, base_url, space_url):
    page = phone_page
    sign_in(page, base_url)
    start_discussion(page, space_url, "Rural allowances with JavaScript")
    page.reload()  # without the one-off message
    assert axe_violations(page) == []
    address = page.url

    page.get_by_label("Your comment").fill("Posted in place.")
    page.get_by_role("button", name="Post the comment").click()
    page.locator("#replies-root .forum-comment", has_text="Posted in place.").wait_for()
    assert page.url == address
    assert page.get_by_label("Your comment").input_value() == ""
    assert page.locator("#comments-status").inner_text() == "Your comment is posted."

    page.get_by_role("link", name=re.compile(r"^Reply to")).last.click()
    page.get_by_label("Your reply").fill("A reply in place.")
    page.get_by_role("button", name="Post the reply").click()
    page.locator(".forum-comments--replies .forum-comment", has_text="A reply in place.").wait_for()
    assert page.url == address
    assert page.locator(".forum-comment-form").count() == 1  # the reply form is gone
    assert fits(page)
    assert axe_violations(page) == []
