"""A visitor browses the demo's published case studies: filters with JavaScript (in place) and
without (a form and links), the map's table, one case and its PDF; the pages pass axe, fit a
360-px screen and work in French."""

import re

from .conftest import axe_violations

PRACTICES = "/en/practices/"
VALIDATED = "A national analysis of human resources for health in Romania"
UNVALIDATED = "Sustained civil-society engagement after the project ended"


def _titles(page) -> list[str]:
    return page.locator(".practices-card h3").all_inner_texts()


def test_filters_work_without_javascript(page_without_js, base_url):
    page = page_without_js
    page.goto(base_url + PRACTICES)
    assert set(_titles(page)) >= {VALIDATED, UNVALIDATED}
    page.get_by_label(re.compile(r"^Validated practices only")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "validated=1" in page.url
    assert VALIDATED in _titles(page) and UNVALIDATED not in _titles(page)
    assert page.get_by_label(re.compile(r"^Validated practices only")).is_checked()

    page.goto(base_url + PRACTICES)
    page.locator(".practices-country-table a", has_text="Netherlands").click()
    assert "country=NL" in page.url
    assert _titles(page) == [UNVALIDATED]
    assert page.get_by_label(re.compile(r"^Netherlands")).is_checked()


def test_a_filter_updates_the_results_in_place_with_javascript(page, base_url):
    page.goto(base_url + PRACTICES)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label(re.compile(r"^Netherlands")).check()
    page.wait_for_url(re.compile(r"country=NL"))
    page.locator("#filter-country-NL:checked").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert _titles(page) == [UNVALIDATED]


def test_the_listing_and_a_case_pass_axe_and_fit_a_phone(phone_page, base_url):
    page = phone_page
    page.goto(base_url + PRACTICES)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name=VALIDATED).click()
    assert page.locator("h1").inner_text() == VALIDATED
    assert "Validation record" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pdf = page.request.get(base_url + page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_the_pages_work_in_french(page, base_url):
    response = page.goto(base_url + "/fr/practices/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert VALIDATED in _titles(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name=VALIDATED).click()
    assert re.search(r"/fr/practices/\d+-", page.url)
    assert axe_violations(page) == []
