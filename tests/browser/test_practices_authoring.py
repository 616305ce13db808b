"""A member writes a case study on a 360-px phone without JavaScript (saves the draft, submits
it), and with JavaScript sees the editor save itself."""

import re

import pytest

from .conftest import axe_violations

MEMBER = "member@hw4all.example"
PASSWORD = "hw4all-demo-admin"  # noqa: S105 - the demo site's published password


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/en/accounts/login/")
    page.fill("input[name=login]", MEMBER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def start_case(page, base_url: str, title: str) -> None:
    page.goto(base_url + "/en/practices/mine/")
    page.get_by_role("link", name="Write a case study").click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Start the draft").click()
    page.wait_for_url(re.compile(r"/practices/\d+/edit/$"))


def test_member_writes_and_submits_a_case_on_a_phone_without_javascript(phone_without_js, base_url):
    page = phone_without_js
    sign_in(page, base_url)
    start_case(page, base_url, "Rural retention allowances in Kenya")
    assert fits(page)
    page.get_by_label("Summary").fill("A rural allowance kept nurses in remote districts.")
    page.get_by_label("Countries").select_option("KE")
    page.get_by_label("Local (operational)").check()
    page.get_by_label("Retention").check()
    page.get_by_label(re.compile("Article 5:")).check()
    page.get_by_label("Context").fill("Remote districts lost nurses every year.\n\nPosts stayed empty.")
    page.get_by_role("button", name="Save draft").click()
    assert "Your draft is saved." in page.locator("main").inner_text()
    assert page.get_by_label("Context").input_value() == (
        "Remote districts lost nurses every year.\n\nPosts stayed empty."
    )
    assert "the results and their evidence" in page.locator("main").inner_text()

    # Submitting saves what was typed since, then hands the case to the Secretariat.
    page.get_by_label("The practice:", exact=True).fill("An allowance of a fifth of the salary.")
    page.get_by_label("Results and evidence").fill("Vacancies fell by half in two years.")
    page.get_by_role("button", name="Submit to the Secretariat").click()
    text = page.locator("main").inner_text()
    assert "Your case study is submitted." in text
    assert "Submitted, waiting for screening" in text
    assert "An allowance of a fifth of the salary." in text
    assert fits(page)


def test_the_editor_saves_itself_with_javascript(phone_page, base_url):
    page = phone_page
    sign_in(page, base_url)
    start_case(page, base_url, "Diaspora nurses returning to Romania")
    # Without the one-off message "Your draft is started" (the site's message list is not axe's).
    page.reload()
    assert axe_violations(page) == []
    assert fits(page)
    page.get_by_label("Summary").fill("Nurses abroad came back for mentoring posts.")
    status = page.locator("#autosave-status")
    status.filter(has_text=re.compile(r"Saved at \d\d:\d\d")).wait_for(timeout=15_000)
    page.reload()
    assert page.get_by_label("Summary").input_value() == "Nurses abroad came back for mentoring posts."
