"""What a submission produces: the stored PDF (a real PDF, made from the frozen answers, fetching
nothing), the receipts emailed to the organisation's members in their languages with the link and
the PDF's checksum, the Secretariat's notice; and the draft's preview PDF marked "Draft"."""

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from hw4all.codereports.models import ReportStatus
from hw4all.codereports.services import reports as services
from hw4all.codereports.services.submission import report_pdf_bytes, report_pdf_html

from .conftest import COMPLETE, reached

pytestmark = pytest.mark.django_db


def submit_through_the_page(report, user, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("codereports:report_status", args=[report.pk]), {"action": "submit"}, follow=True
        )


def test_submitting_stores_a_pdf_and_emails_receipts(
    in_review, member, colleague, secretary, other_member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    page = submit_through_the_page(in_review, member, django_capture_on_commit_callbacks)
    assert "The report is submitted and its answers are frozen" in page.text
    in_review.refresh_from_db()
    assert in_review.status == ReportStatus.SUBMITTED
    stored = in_review.pdf.read()
    assert stored.startswith(b"%PDF")
    checksum = hashlib.sha256(stored).hexdigest()

    receipts = {message.to[0]: message for message in mail.outbox if message.to[0] != secretary.email}
    assert set(receipts) == {member.email, colleague.email}
    for message in receipts.values():
        assert checksum in message.body
        assert f"no. {in_review.pk}" in message.subject or f"n° {in_review.pk}" in message.subject
    english = receipts[member.email].body
    assert f"Report number: {in_review.pk}" in english and "Country reported on: Kenya" in english
    assert f"/en/code-reporting/reports/{in_review.pk}/pdf/" in english
    assert "Round 5 (NRI 2024)" in english
    assert english.startswith("Hello,")
    # The colleague reads French: the receipt is written in French and its links lead to the
    # French pages.
    french = receipts[colleague.email].body
    assert french.startswith("Bonjour,") and "Kenya" in french
    assert f"/fr/code-reporting/reports/{in_review.pk}/pdf/" in french

    notices = [message for message in mail.outbox if message.to == [secretary.email]]
    assert len(notices) == 1
    assert "Nurses for Kenya" in notices[0].subject and checksum in notices[0].body
    assert not [message for message in mail.outbox if message.to == [other_member.email]]


def test_the_receipts_link_serves_the_file_whose_checksum_they_give(
    in_review, member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    submit_through_the_page(in_review, member, django_capture_on_commit_callbacks)
    receipt = next(message for message in mail.outbox if message.to == [member.email])
    link = re.search(r"https?://\S+/pdf/", receipt.body).group(0)
    checksum = re.search(r"\b[0-9a-f]{64}\b", receipt.body).group(0)
    client = Client()
    client.force_login(member)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == checksum
    assert response["Content-Type"] == "application/pdf"


def test_the_stored_pdf_is_never_replaced(submitted, member):
    first = submitted.pdf.name
    services.report_publish(report=submitted, user=member)
    client = Client()
    client.force_login(member)
    client.get(reverse("codereports:report_pdf", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.pdf.name == first


def test_a_missing_pdf_is_made_when_first_asked_for(draft, member):
    """Should the background task not have run (a worker down), the PDF is made on first request."""
    reached(draft, "submitted", member)  # without running the commit callbacks: no task ran
    draft.refresh_from_db()
    assert not draft.pdf
    client = Client()
    client.force_login(member)
    response = client.get(reverse("codereports:report_pdf", args=[draft.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    draft.refresh_from_db()
    assert draft.pdf.name


def test_a_drafts_pdf_is_a_preview_marked_draft(draft, member, client):
    services.report_save(report=draft, data=dict(COMPLETE), files={}, base_revision=0, user=member)
    html = report_pdf_html(draft, draft=True, language="en")
    assert 'class="watermark"' in html and "Draft: not submitted" in html
    assert "Agencies recruit nurses from listed countries." in html
    assert "Art. 3.5, Art. 4, Art. 5" in html
    client.force_login(member)
    response = client.get(reverse("codereports:report_pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "draft-" in response["Content-Disposition"]
    draft.refresh_from_db()
    assert not draft.pdf


def test_the_pdf_fetches_nothing_an_answer_names(draft, member):
    """An answer is text: an address written in it is neither fetched nor turned into an image."""
    services.report_save(
        report=draft,
        data={
            "recruitment": '<img src="http://169.254.169.254/latest/meta-data/"> <link rel=stylesheet href="file:///etc/passwd">'
        },
        files={},
        base_revision=0,
        user=member,
    )
    html = report_pdf_html(draft, draft=True, language="en")
    assert "<img src=" not in html and "&lt;img src=" in html
    assert report_pdf_bytes(draft, draft=True, language="en").startswith(b"%PDF")


def test_hostile_answers_and_names_are_escaped_on_the_page_and_in_the_pdf(draft, member, client):
    draft.organisation.name = "<b>Bold</b> & Co"
    draft.organisation.save()
    services.report_save(
        report=draft,
        data={
            "recruitment": "<script>alert('x')</script>",
            "consulted": "yes",
            "consulted_how": '"><svg onload=alert(1)>',
        },
        files={},
        base_revision=0,
        user=member,
    )
    client.force_login(member)
    page = client.get(reverse("codereports:report", args=[draft.pk])).text
    html = report_pdf_html(draft, draft=True, language="en")
    for text in (page, html):
        assert "<script>alert" not in text and "&lt;script&gt;alert" in text
        assert "<svg onload" not in text
        assert "<b>Bold</b>" not in text and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in text
