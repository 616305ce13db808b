"""A visitor searches the demo library, narrows the results with a facet (in place with
JavaScript, by following links without), opens a resource and downloads its file; the pages pass
axe and fit a 360-px screen."""

import re

from .conftest import axe_violations

LIBRARY = "/en/library/"
CODE_TITLE = "WHO Global Code of Practice on the International Recruitment of Health Personnel"


def _downloads_in_all(page) -> int:
    return int(re.search(r"(\d+) downloads? in all", page.locator("main").inner_text())[1])


def test_search_narrow_open_and_download_with_javascript(page, base_url):
    page.goto(base_url + LIBRARY)
    page.get_by_label("Search the library").fill("recruitment")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=recruitment"))
    results = page.locator(".library-results")
    assert CODE_TITLE in results.inner_text()
    assert page.locator(".library-result__snippet mark").count() >= 1

    # A facet replaces the results in place: the page itself is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".library-facets a", has_text="WHO reference document").first.click()
    page.wait_for_url(re.compile(r"kind=who-reference"))
    page.locator(".library-facets a[aria-current=true]").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    kinds = page.locator(".library-result .badge").all_inner_texts()
    assert kinds and set(kinds) == {"WHO reference document"}

    page.get_by_role("link", name=CODE_TITLE).click()
    assert page.locator("h1").inner_text() == CODE_TITLE
    before = _downloads_in_all(page)
    with page.expect_download() as download:
        page.locator(".resource__files a").first.click()
    assert download.value.suggested_filename.endswith(".html")
    page.reload()
    assert _downloads_in_all(page) == before + 1


def test_search_and_facets_work_without_javascript(page_without_js, base_url):
    page = page_without_js
    page.goto(base_url + LIBRARY)
    page.get_by_label("Search the library").fill("Kampala")
    page.get_by_role("button", name="Search").click()
    assert "Kampala Declaration and Agenda for Global Action" in page.locator(".library-results").inner_text()
    page.goto(base_url + LIBRARY)
    page.locator(".library-facets a", has_text="Romania").first.click()
    assert "country=RO" in page.url
    titles = page.locator(".library-result h3").all_inner_texts()
    assert "Operational set of tools for users (user’s kit)" in titles
    assert CODE_TITLE not in titles


def test_library_pages_pass_axe_and_fit_a_phone(phone_page, base_url):
    page = phone_page
    page.goto(base_url + LIBRARY + "?q=health")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name=CODE_TITLE).click()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
