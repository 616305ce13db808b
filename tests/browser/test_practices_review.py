"""The demo reviewer scores the case waiting for them on a 360-px phone without JavaScript, seeing
the other reviewer's scores only once theirs is in; the Secretariat's case screens pass axe."""

import re

import pytest

from .conftest import axe_violations

REVIEWER = "reviewer@hw4all.example"
SECRETARIAT = "secretariat@hw4all.example"
PASSWORD = "hw4all-demo-admin"  # noqa: S105 - the demo site's published password
# The demo case in review: the second reviewer (Amref) has submitted, the demo reviewer not yet.
CASE = "The WHO reference materials in Romanian: a user's kit for dialogue"
OTHER_REVIEWER = "Demo Reviewer (Amref)"


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def test_reviewer_scores_a_case_on_a_phone_without_javascript(phone_without_js, base_url):
    page = phone_without_js
    sign_in(page, base_url, REVIEWER)
    page.goto(base_url + "/en/practices/reviews/")
    assert fits(page)
    page.get_by_role("link", name=CASE).click()
    page.wait_for_url(re.compile(r"/practices/reviews/\d+/$"))
    main = page.locator("main")
    assert "The case study as submitted" in main.inner_text()
    # Before submitting, nothing of the other reviewer's review is on the page.
    assert OTHER_REVIEWER not in page.content()
    assert "All submitted reviews" not in main.inner_text()
    assert fits(page)

    criteria = page.locator("fieldset.review-criterion")
    assert criteria.count() == 11
    for index in range(criteria.count()):
        fieldset = criteria.nth(index)
        if fieldset.get_by_label("Pass", exact=True).count():
            fieldset.get_by_label("Pass", exact=True).check()
        else:
            fieldset.get_by_label("3", exact=True).check()
        fieldset.get_by_role("textbox").fill(f"Comment {index + 1}")

    # Submitting without the declaration is refused; every answer is kept.
    page.get_by_role("button", name="Submit review").click()
    summary = page.locator(".form-errors")
    assert "Declare that you have no conflict of interest" in summary.inner_text()
    assert criteria.nth(0).get_by_label("Pass", exact=True).is_checked()
    assert criteria.nth(10).get_by_role("textbox").input_value() == "Comment 11"
    assert fits(page)

    page.get_by_label(re.compile("I have no conflict of interest")).check()
    page.get_by_role("button", name="Submit review").click()
    text = main.inner_text()
    assert "your review is submitted" in text
    assert "All submitted reviews" in text
    assert OTHER_REVIEWER in text
    assert "Comment 11" in text
    assert page.get_by_role("button", name="Submit review").count() == 0
    assert fits(page)

    page.get_by_role("link", name="The reviewers' private discussion of this case").click()
    page.get_by_label("Your message").fill("Agreed on the evidence; the equity score differs.")
    page.get_by_role("button", name="Post the message").click()
    assert "Agreed on the evidence" in main.inner_text()
    assert fits(page)


def test_the_secretariat_case_screens_pass_axe(page, base_url):
    sign_in(page, base_url, SECRETARIAT)
    page.goto(base_url + "/admin/practices/cases/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=CASE).click()
    text = page.locator("main").inner_text()
    assert "Scores side by side" in text
    assert "Outcome of the threshold rule" in text
    assert axe_violations(page) == []
