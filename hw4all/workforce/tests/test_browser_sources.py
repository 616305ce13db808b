"""Where the figures come from, in a real browser on a 360-px phone: a visitor goes from the
sources to a newer file's page and reads what it changed, without JavaScript and with it. Nothing
is wider than the phone, and axe-core finds no serious or critical violation, in English and in
French."""

import datetime

import pytest

from tests.browser.conftest import axe_violations, fits, phone

from .test_sources_page import density_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def vintages(db):
    density_import("1.57", datetime.date(2022, 1, 24))
    density_import("1.6", datetime.date(2022, 6, 1))


@pytest.mark.parametrize("javascript", [False, True])
def test_a_visitor_reads_what_a_newer_file_changed(chromium, live_server, vintages, javascript):
    page, errors = phone(chromium, javascript=javascript)
    page.goto(f"{live_server.url}/en/workforce/sources/")
    assert fits(page)
    assert "2 figures, 1 current" in page.locator("main").inner_text()
    # Newest first: the file of June 2022.
    page.locator("main a[href*='/workforce/sources/']").first.click()
    changes = page.locator("main").inner_text()
    assert "This file changed 1 figure" in changes
    assert "1.57" in changes and "1.6" in changes
    assert fits(page)
    assert errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_sources_pages_are_accessible(chromium, live_server, vintages, language):
    page, _errors = phone(chromium, javascript=True)
    page.goto(f"{live_server.url}/{language}/workforce/sources/")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    # Newest first: the file of June 2022.
    page.locator("main a[href*='/workforce/sources/']").first.click()
    assert fits(page)
    assert axe_violations(page) == []
