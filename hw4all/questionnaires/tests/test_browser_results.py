"""The public results page in a real browser on a 360-px phone: without JavaScript the filters
submit as a form; with it the results change in place as a choice is made. Nothing overflows the
screen, and axe-core finds no serious or critical violation."""

import re

import pytest
from django.utils import translation

from tests.browser.conftest import PHONE, axe_violations, fits, wait_until

from .survey_data import ANSWERS, responses_add, survey_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def results_url(live_server):
    translation.activate("en")
    questionnaire = survey_create(results_public=True)
    responses_add(questionnaire, ANSWERS)
    responses_add(
        questionnaire, [{"profession": "nurse", "role": f"Ward nurse {n}", "years": n} for n in range(6)]
    )
    return f"{live_server.url}/en/surveys/{questionnaire.slug}/results/"


def count(page) -> str:
    return re.sub(r"\s+", " ", page.locator(".results__count").inner_text()).strip()


def test_filters_submit_without_javascript(chromium, results_url):
    page = chromium.new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(results_url)
    assert count(page) == "10 responses"
    assert fits(page)
    page.get_by_role("combobox", name="Profession").select_option(label="Doctor")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"f-profession=doctor"))
    assert count(page) == "1 response match the filters."
    assert "at least 5 responses match" in page.locator("main").inner_text()
    assert fits(page)


def test_filters_update_the_results_in_place_with_javascript(chromium, results_url):
    page = chromium.new_context(**PHONE).new_page()
    page.goto(results_url)
    assert axe_violations(page) == []
    page.evaluate("window.notReloaded = true")
    page.get_by_role("combobox", name="Profession").select_option(label="Nurse")
    page.wait_for_url(re.compile(r"f-profession=nurse"))
    wait_until(page, "document.querySelector('.results__count').innerText.includes('8 responses')")
    assert page.evaluate("window.notReloaded") is True
    assert "Ward nurse 2" in page.locator("main").inner_text()
    assert fits(page)
    assert axe_violations(page) == []
