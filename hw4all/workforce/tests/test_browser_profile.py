"""A country's profile in a real browser on a 360-px phone: without JavaScript the figures, the
chart's image and its table show and the form changes the threshold; with JavaScript vega draws
the chart in place. Nothing is wider than the phone, and axe-core finds no serious or critical
violation, in English and in French."""

import pytest

from tests.browser.conftest import axe_violations, fits, phone, wait_until

from .profile_data import profile_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(db):
    profile_world()


def test_a_visitor_reads_a_profile_and_changes_the_threshold_without_javascript(chromium, live_server, world):
    page, errors = phone(chromium, javascript=False)
    page.goto(f"{live_server.url}/en/workforce/countries/")
    assert fits(page)
    page.get_by_label("WHO region", exact=True).select_option("AFR")
    page.get_by_role("button", name="Show").click()
    assert "region=AFR" in page.url
    page.get_by_role("link", name="Kenya", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kenya: health workforce"
    assert (
        "13.3" in page.get_by_role("table", name="Kenya, the latest figures at or before 2020").inner_text()
    )
    image = page.locator(".wf-figure img").first
    image.scroll_into_view_if_needed()
    wait_until(page, "document.querySelector('.wf-figure img').complete")
    assert image.evaluate("image => image.naturalWidth") > 0
    assert page.get_by_role(
        "table",
        name="Data of the chart: Health workers per 10,000 population in Kenya, against the threshold",
    ).is_visible()
    assert "165,360" in page.locator("#wf-shortage-heading + *").inner_text()
    assert fits(page)
    page.get_by_label("Threshold", exact=True).select_option("2006")
    page.get_by_role("button", name="Show").click()
    assert "threshold=2006" in page.url
    assert "50,350 doctors, nurses and midwives were missing" in page.content()
    assert (
        page.get_by_role("link", name="Download the briefing (PDF)")
        .get_attribute("href")
        .endswith("briefing.pdf?year=2020&threshold=2006")
    )
    assert fits(page)
    assert errors == []


def test_with_javascript_vega_draws_the_density_chart(chromium, live_server, world):
    page, errors = phone(chromium, javascript=True)
    page.goto(f"{live_server.url}/en/workforce/countries/ken/")
    page.locator(".wf-figure").first.scroll_into_view_if_needed()
    page.wait_for_selector(".wf-figure--drawn .wf-figure__view svg", timeout=20_000)
    assert fits(page)
    assert errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pages_are_accessible(chromium, live_server, world, language):
    page, _errors = phone(chromium, javascript=True)
    for path in ("countries/", "countries/ken/", "countries/gbr/"):
        page.goto(f"{live_server.url}/{language}/workforce/{path}")
        assert fits(page), path
        assert axe_violations(page) == [], path
