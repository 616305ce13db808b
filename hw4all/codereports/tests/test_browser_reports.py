"""A Code report's way in a real browser on a 360-px phone: a member starts a report, answers a few
questions (autosaved with JavaScript), sends it to internal review, submits it and publishes it;
a member of another organisation co-signs it. The same without JavaScript, through plain posts.
axe-core finds no serious or critical violation on the members' pages."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from hw4all.codereports.models import CoSignature, Report, ReportStatus
from tests.browser.conftest import PHONE, axe_violations, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def page_as(chromium, live_server, user, *, javascript: bool):
    """A phone-sized page signed in as `user` (the session made by the test client)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(java_script_enabled=javascript, **PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def main_text(page) -> str:
    return page.locator("main").inner_text()


def start_report(page, live_server, country: str, *, axe: bool) -> Report:
    page.goto(f"{live_server.url}/en/code-reporting/mine/")
    assert fits(page)
    if axe:  # axe-core is a script: it runs only where JavaScript does
        assert axe_violations(page) == []
    page.get_by_label("Country to report on in Round 5 (NRI 2024)").select_option(label=country)
    page.get_by_role("button", name="Start the report").click()
    assert f"Your report on {country} is started" in main_text(page)
    return Report.objects.latest("pk")


def answer_a_few(page) -> None:
    page.get_by_label("NGO").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Recruitment practices observed").fill("Agencies recruit nurses from listed countries.")


def take_steps_to_publication(page, *, axe: bool) -> None:
    page.get_by_role("link", name="Back to the report").click()
    page.get_by_role("button", name="Send to internal review").click()
    assert "The report is in internal review" in main_text(page)
    page.get_by_role("button", name="Submit the report").click()
    assert "The report is submitted and its answers are frozen" in main_text(page)
    assert fits(page)
    page.get_by_role("button", name="Publish").click()
    assert "The report is published" in main_text(page)
    if axe:
        assert axe_violations(page) == []


def test_a_report_from_start_to_co_signature_with_javascript(
    chromium, live_server, round, member, other_member
):
    page = page_as(chromium, live_server, member, javascript=True)
    report = start_report(page, live_server, "Kenya", axe=True)
    assert axe_violations(page) == []
    answer_a_few(page)
    page.locator("[data-autosave-status]").get_by_text("Saved at").wait_for(timeout=15000)
    report.response.refresh_from_db()
    assert report.response.answers["recruitment"] == "Agencies recruit nurses from listed countries."
    assert fits(page)
    take_steps_to_publication(page, axe=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.pdf.read().startswith(b"%PDF")
    assert {message.to[0] for message in mail.outbox} >= {member.email}

    signer = page_as(chromium, live_server, other_member, javascript=True)
    signer.goto(f"{live_server.url}/en/code-reporting/reports/{report.pk}/")
    signer.get_by_role("button", name="Co-sign for Doctors of Ghana").click()
    assert "Doctors of Ghana co-signs this report." in main_text(signer)
    assert axe_violations(signer) == []
    assert CoSignature.objects.filter(report=report).count() == 1


def test_a_report_from_start_to_co_signature_without_javascript(
    chromium, live_server, round, member, other_member
):
    page = page_as(chromium, live_server, member, javascript=False)
    report = start_report(page, live_server, "Kenya", axe=False)
    page.get_by_label("Cases of active recruitment observed").fill("5000")
    page.get_by_role("button", name="Save draft").click()
    assert "Enter a number between 0 and 1000" in main_text(page)
    page.get_by_label("Cases of active recruitment observed").fill("3")
    answer_a_few(page)
    page.get_by_role("button", name="Save draft").click()
    assert "Your answers are saved." in main_text(page)
    assert fits(page)
    take_steps_to_publication(page, axe=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.response.answers["cases"] == 3

    signer = page_as(chromium, live_server, other_member, javascript=False)
    signer.goto(f"{live_server.url}/en/code-reporting/reports/{report.pk}/")
    signer.get_by_role("button", name="Co-sign for Doctors of Ghana").click()
    assert "Doctors of Ghana co-signs this report." in main_text(signer)
    assert fits(signer)
