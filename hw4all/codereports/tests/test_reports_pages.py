"""The members' pages without JavaScript: the organisation's reports, starting one (and being
sent to the existing one), writing answers (a bad answer comes back with its message and the text
typed), the complete check, the steps offered by status, files, and the pages in French."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hw4all.codereports.models import Report, ReportStatus

from .conftest import COMPLETE, reached

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_a_member_starts_a_report_from_their_list(round, browser):
    page = browser.get(reverse("codereports:mine")).content.decode()
    assert "Start a report" in page and "Country to report on in Round 5 (NRI 2024)" in page
    response = browser.post(reverse("codereports:report_create", args=[5]), {"country": "KE"}, follow=True)
    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == reverse("codereports:report_edit", args=[report.pk])
    assert "Your report on Kenya is started" in response.content.decode()
    page = browser.get(reverse("codereports:mine")).content.decode()
    assert '<option value="KE">' not in page and '<option value="GH">' in page
    assert "Draft" in page


def test_starting_it_again_leads_to_the_existing_report(draft, colleague):
    client = Client()
    client.force_login(colleague)
    response = client.post(reverse("codereports:report_create", args=[5]), {"country": "KE"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("codereports:report", args=[draft.pk])
    page = response.content.decode()
    assert "Your organisation already has a report on Kenya in this round." in page
    assert f'<a href="{reverse("codereports:report", args=[draft.pk])}">Open it</a>' in page
    assert Report.objects.count() == 1


def test_the_list_says_who_saved_last(draft, browser, colleague):
    other = Client()
    other.force_login(colleague)
    other.post(reverse("codereports:report_edit", args=[draft.pk]), {"revision": "0", "org_type": "ngo"})
    page = browser.get(reverse("codereports:mine")).content.decode()
    assert f"by {colleague.get_full_name()}" in page


@pytest.mark.parametrize("country", ["", "XX", "<script>"])
def test_a_bad_country_is_said(round, browser, country):
    response = browser.post(reverse("codereports:report_create", args=[5]), {"country": country}, follow=True)
    assert "Choose a country from the list." in response.content.decode()
    assert not Report.objects.exists()


def test_an_unknown_round_is_a_404(round, browser):
    assert browser.post(reverse("codereports:report_create", args=[77]), {"country": "KE"}).status_code == 404


def test_answers_are_saved_and_a_bad_one_comes_back_with_what_was_typed(draft, browser):
    url = reverse("codereports:report_edit", args=[draft.pk])
    saved = browser.post(url, {"revision": "0", "org_type": "ngo", "recruitment": "Kept text"}, follow=True)
    assert "Your answers are saved." in saved.content.decode()
    bad = browser.post(url, {"revision": "1", "cases": "many", "recruitment": "New text typed"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "New text typed" in page
    assert 'aria-invalid="true"' in page and "Enter a number" in page
    draft.response.refresh_from_db()
    assert draft.response.answers["org_type"] == "ngo"


def test_the_check_shows_every_missing_answer_at_its_question(draft, browser):
    page = browser.get(reverse("codereports:report_edit", args=[draft.pk]) + "?check=1").content.decode()
    assert "There are problems with 2 answers" in page
    assert page.count('class="errorlist"') == 2
    assert "Every answer is complete" not in page


def test_the_check_says_when_everything_is_complete(draft, browser, member):
    from hw4all.codereports.services import reports as services

    services.report_save(report=draft, data=dict(COMPLETE), files={}, base_revision=0, user=member)
    page = browser.get(reverse("codereports:report_edit", args=[draft.pk]) + "?check=1").content.decode()
    assert "Every answer is complete" in page and 'class="errorlist"' not in page


def test_a_failed_submission_leads_to_the_errors_on_the_form(draft, browser, member):
    from hw4all.codereports.services import reports as services

    services.report_to_review(report=draft, user=member)
    response = browser.post(
        reverse("codereports:report_status", args=[draft.pk]), {"action": "submit"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("?check=1")
    page = response.content.decode()
    assert "The report was not submitted: 2 answers must be corrected first" in page
    assert page.count('class="errorlist"') >= 2
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


STEP_BUTTONS = {
    "draft": ["Send to internal review", "Write the answers", "Preview the draft as PDF"],
    "review": ["Submit the report", "Return to draft"],
    "submitted": ["Publish", "Download the report as PDF"],
    "published": ["Withdraw from publication"],
}


@pytest.mark.parametrize("status", list(STEP_BUTTONS))
def test_the_report_page_offers_the_steps_of_its_status(
    draft, member, browser, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reached(draft, status, member)
    page = browser.get(reverse("codereports:report", args=[draft.pk])).content.decode()
    for label in STEP_BUTTONS[status]:
        assert label in page
    for other, labels in STEP_BUTTONS.items():
        if other != status:
            assert not any(
                f">{label}</button>" in page for label in labels if label not in STEP_BUTTONS[status]
            )


def test_the_secretariat_reads_but_is_offered_no_step(draft, secretary):
    client = Client()
    client.force_login(secretary)
    page = client.get(reverse("codereports:report", args=[draft.pk])).content.decode()
    assert "Civil-society report on Kenya" in page
    assert "Send to internal review" not in page and "Write the answers" not in page


def test_a_report_in_review_cannot_be_edited(in_review, browser):
    response = browser.get(reverse("codereports:report_edit", args=[in_review.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("codereports:report", args=[in_review.pk])
    assert "its answers are read-only" in response.content.decode()


def test_the_history_lists_each_step(in_review, browser):
    page = browser.get(reverse("codereports:report", args=[in_review.pk])).content.decode()
    assert "started" in page and "sent to internal review" in page


def test_an_evidence_file_is_uploaded_and_downloaded(draft, browser):
    url = reverse("codereports:report_edit", args=[draft.pk])
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\nproof\n", content_type="application/pdf")
    assert browser.post(url, {"revision": "0", "evidence": upload}).status_code == 302
    item = draft.response.files.get()
    link = reverse("codereports:report_file", kwargs={"pk": draft.pk, "file_id": item.pk})
    assert link in browser.get(url).content.decode()
    assert link in browser.get(reverse("codereports:report", args=[draft.pk])).content.decode()
    download = browser.get(link)
    assert b"".join(download.streaming_content) == b"%PDF-1.4\nproof\n"


def test_an_executable_is_refused_with_a_message(draft, browser):
    url = reverse("codereports:report_edit", args=[draft.pk])
    upload = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = browser.post(url, {"revision": "0", "evidence": upload, "recruitment": "Still here"})
    assert response.status_code == 422
    assert "Still here" in response.content.decode()
    assert not draft.response.files.exists()


def test_an_oversized_file_is_refused_and_the_other_answers_kept(draft, browser):
    url = reverse("codereports:report_edit", args=[draft.pk])
    upload = SimpleUploadedFile(
        "huge.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024), content_type="application/pdf"
    )
    response = browser.post(url, {"revision": "0", "evidence": upload, "recruitment": "Still here"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "“huge.pdf” is larger than 20 MB" in page and "Still here" in page
    assert not draft.response.files.exists()
    draft.response.refresh_from_db()
    assert draft.response.answers["recruitment"] == "Still here"


def test_members_without_an_organisation_are_told_why(round, client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from hw4all.users.roles import MEMBER

    user = get_user_model().objects.create_user(email="alone@example.org", password=None)
    user.groups.add(Group.objects.get(name=MEMBER))
    client.force_login(user)
    page = client.get(reverse("codereports:mine")).content.decode()
    assert "Your account is not linked to an organisation" in page
    assert "Start the report" not in page
    assert client.post(reverse("codereports:report_create", args=[5]), {"country": "KE"}).status_code == 403


def test_the_pages_speak_french(draft, browser):
    response = browser.get(f"/fr/code-reporting/reports/{draft.pk}/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    assert (
        "Organisation qui rapporte"
        in browser.get(f"/fr/code-reporting/reports/{draft.pk}/edit/").content.decode()
    )


def test_visitors_stop_seeing_a_report_withdrawn_from_publication(
    published, member, settings, django_capture_on_commit_callbacks
):
    """Published pages are kept for anonymous visitors by the page cache; withdrawing the report
    empties it."""
    from hw4all.codereports.services import reports as services

    settings.PAGE_CACHE_SECONDS = 300
    visitor = Client()
    url = reverse("codereports:report", args=[published.pk])
    assert visitor.get(url).status_code == 200
    assert visitor.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.report_unpublish(report=published, user=member)
    assert visitor.get(url).status_code == 404


def test_visitors_see_the_public_steps_of_the_history_only(published, member, client):
    page = client.get(reverse("codereports:report", args=[published.pk])).content.decode()
    assert "— submitted" in page and "— published" in page
    assert "sent to internal review" not in page and "— started" not in page
    assert member.get_full_name() not in page


def test_the_list_costs_the_same_queries_however_many_reports(
    round, member, browser, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hw4all.codereports.services import reports as services

    services.report_create(round=round, country="KE", user=member)
    browser.get(reverse("codereports:mine"))  # the first request of a session fills caches
    with CaptureQueriesContext(connection) as one:
        browser.get(reverse("codereports:mine"))
    for code in ("GH", "UG", "TZ", "ZA"):
        services.report_create(round=round, country=code, user=member)
    with CaptureQueriesContext(connection) as five:
        page = browser.get(reverse("codereports:mine")).content.decode()
    assert page.count('class="card"') == 5
    assert len(five) == len(one)
