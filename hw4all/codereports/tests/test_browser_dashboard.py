"""Code reporting's public pages in a real browser on a 360-px phone: a visitor goes from the
rounds to a round's dashboard, chooses a question and reads every country's answer, without
JavaScript (the form submits) and with it (the comparison changes in place and the address
follows). axe-core (which needs JavaScript) finds no serious or critical violation, in English
and in French."""

import pytest

from hw4all.coalition.factories import OrganisationFactory
from tests.browser.conftest import axe_violations, fits, phone

from .published import SECRETS, published_and_hidden, report_in, round_with_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reports(db):
    round = round_with_questionnaire(5)
    built = published_and_hidden(round)
    # Enough countries for the map and the table to matter on a phone, with long names and answers.
    for code in ("BR", "PH", "CD", "GB", "ZA", "IN"):
        report_in(
            round,
            country=code,
            organisation=OrganisationFactory(
                name=f"Alliance for the health workforce of {code}, a long name"
            ),
            answers={"org_type": "union", "consulted": "yes", "comments": "A long answer. " * 40},
        )
    return built


def answers_table(page) -> list[list[str]]:
    # After a form's submit the new page may still be loading; counting rows does not wait.
    page.wait_for_load_state()
    rows = page.locator("table.codereports-answers tbody tr")
    return [
        [cell.strip() for cell in rows.nth(index).locator("th, td").all_inner_texts()]
        for index in range(rows.count())
    ]


def test_a_visitor_compares_answers_on_a_phone_without_javascript(chromium, live_server, reports):
    page, _errors = phone(chromium, javascript=False)
    page.goto(f"{live_server.url}/en/code-reporting/")
    assert fits(page)
    page.get_by_role("link", name="Round 5", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Round 5 (NRI 2024)"
    assert fits(page)
    table = page.locator("table.codereports-country-table")
    assert "Kenya Health Action" in table.inner_text()
    page.get_by_label("Question").select_option("consulted")
    page.get_by_role("button", name="Compare").click()
    assert "question=consulted" in page.url
    rows = answers_table(page)
    assert ["Kenya", "Kenya Health Action", "Yes", "Medici pentru toți"] in rows
    assert ["Romania", "Medici pentru toți", "No", "—"] in rows
    assert page.locator("table.codereports-counts").is_visible()
    assert fits(page)
    page.get_by_label("Country", exact=True).select_option("RO")
    page.get_by_role("button", name="Compare").click()
    assert answers_table(page) == [["Romania", "Medici pentru toți", "No", "—"]]
    for secret in SECRETS:
        assert secret not in page.content()
    page.get_by_role("link", name="Medici pentru toți").first.click()
    assert "/code-reporting/reports/" in page.url


def test_the_comparison_changes_in_place_with_javascript(chromium, live_server, reports):
    page, _errors = phone(chromium, javascript=True)
    page.goto(f"{live_server.url}/en/code-reporting/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Round 5", exact=True).click()
    assert axe_violations(page) == []
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Question").select_option("ratings")
    page.locator("table.codereports-answers").wait_for()
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.url.endswith("?question=ratings&country=")
    header = page.locator("table.codereports-answers thead th").all_inner_texts()
    assert header == ["Country", "Organisation", "Article 3", "Article 5", "Co-signed by"]
    assert fits(page)
    assert axe_violations(page) == []
    page.get_by_label("Question").select_option("agreements")
    page.locator("ol.codereports-blocks").first.wait_for()
    assert (
        "Partner country: Germany; Year signed: 2019"
        in page.locator("table.codereports-answers").inner_text()
    )
    assert page.evaluate("window.stillTheSamePage === true")
    # The address is the comparison's: opened again, it shows the same.
    page.reload()
    assert page.get_by_label("Question").input_value() == "agreements"
    assert page.locator("ol.codereports-blocks").count() == 2


@pytest.mark.parametrize("path", ["", "rounds/5/?question=org_type", "countries/KE/"])
def test_the_pages_in_french_have_no_serious_accessibility_violation(chromium, live_server, reports, path):
    page, _errors = phone(chromium, javascript=True)
    response = page.goto(f"{live_server.url}/fr/code-reporting/{path}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert fits(page)
    assert axe_violations(page) == []
