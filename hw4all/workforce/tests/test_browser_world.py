"""The global views in a real browser on a 360-px phone: a visitor reads the overview's facts and
map, filters and sorts the ranking, and reads where the safeguard list and its criteria differ,
without JavaScript (forms submit, links sort) and with it (the ranking changes in place, vega
draws the map). axe-core finds no serious or critical violation, in English and in French."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, fits, phone, wait_until

from .world_data import world_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(db):
    world_create()


def first_column(page) -> list[str]:
    return [text.strip() for text in page.locator("table.wf-ranking__table tbody th").all_inner_texts()]


def test_a_visitor_reads_filters_and_sorts_without_javascript(chromium, live_server, world):
    page, errors = phone(chromium, javascript=False)
    page.goto(f"{live_server.url}/en/workforce/")
    assert page.get_by_role("heading", level=1).inner_text() == "Health-workforce data"
    facts = " ".join(page.locator(".wf-world-facts").inner_text().split())
    assert "4 of the 6 countries with data for 2020" in facts
    image = page.locator(".wf-figure img")
    image.scroll_into_view_if_needed()
    wait_until(page, "document.querySelector('.wf-figure img').complete")
    assert image.evaluate("image => image.naturalWidth") > 0
    assert fits(page)

    page.get_by_role("link", name="Density ranking").first.click()
    assert first_column(page)[:3] == ["Malawi", "Kenya", "India"]
    page.get_by_label("WHO region").select_option("AFR")
    page.get_by_role("button", name="Show").click()
    assert "region=AFR" in page.url
    assert first_column(page) == ["Malawi", "Kenya", "Niger"]
    page.get_by_role("link", name="Country").click()
    assert first_column(page) == ["Kenya", "Malawi", "Niger"]
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Country")
    assert fits(page)

    page.get_by_role("link", name="Safeguard list").first.click()
    differences = page.get_by_role("table", name="Countries where the published list")
    assert "Meets both criteria, but is not on the list." in differences.inner_text()
    assert fits(page)
    assert errors == []


def test_with_javascript_the_ranking_changes_in_place_and_vega_draws_the_map(chromium, live_server, world):
    page, errors = phone(chromium, javascript=True)
    page.goto(f"{live_server.url}/en/workforce/density/")
    page.evaluate("window.unchanged = true")
    page.get_by_label("WHO region").select_option("EUR")
    wait_until(page, "!document.querySelector('#workforce-ranking-results').innerText.includes('Kenya')")
    assert "region=EUR" in page.url
    assert page.evaluate("window.unchanged") is True
    assert "Germany" in first_column(page)
    assert fits(page)

    page.goto(f"{live_server.url}/en/workforce/")
    page.locator(".wf-figure").scroll_into_view_if_needed()
    page.wait_for_selector(
        ".wf-figure--drawn .wf-figure__view svg, .wf-figure--drawn .wf-figure__view canvas", timeout=30_000
    )
    assert fits(page)
    assert errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", ["", "density/", "safeguard-list/"])
def test_the_pages_are_accessible(chromium, live_server, world, language, path):
    page, _errors = phone(chromium, javascript=True)
    if language == "en":
        # The server's drawings, not vega's: workforce.js is told not to run.
        page.add_init_script("window.hw4allWorkforceCharts = true")
    page.goto(f"{live_server.url}/{language}/workforce/{path}")
    assert page.locator("html").get_attribute("lang") == language
    if language == "fr" and path != "density/":
        page.locator(".wf-figure").first.scroll_into_view_if_needed()
        page.wait_for_selector(".wf-figure--drawn", timeout=30_000)
    assert fits(page)
    assert axe_violations(page) == []
