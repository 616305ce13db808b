"""Members of one organisation at work on one report at the same time: two who save different
answers both keep them; two who change the same answer are told, the second seeing both values;
two who click the same step at once: one wins and the other is told the new status; two who start
the same report at once get one report between them (the database's constraint decides)."""

import threading
from html.parser import HTMLParser

import pytest
from django.db import IntegrityError, close_old_connections, transaction
from django.test import Client
from django.urls import reverse

from hw4all.codereports.models import Report, ReportEvent, ReportEventKind, ReportStatus
from hw4all.codereports.services import reports as services

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The name/value pairs a browser would post from the page's questionnaire form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "data-autosave-url" in attributes:
            self._inside = True
        if not self._inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("file", "submit"):
            if attributes.get("type") in ("radio", "checkbox") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def loaded_form(client: Client, report) -> dict[str, list[str]]:
    page = client.get(reverse("codereports:report_edit", args=[report.pk]))
    assert page.status_code == 200
    parser = FormFields()
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_members_change_different_answers_and_both_are_kept(draft, member, colleague):
    first, second = signed_in(member), signed_in(colleague)
    mine, theirs = loaded_form(first, draft), loaded_form(second, draft)
    mine["recruitment"] = ["Agencies recruit nurses in Nairobi."]
    theirs["org_type"] = ["union"]
    assert first.post(reverse("codereports:report_edit", args=[draft.pk]), mine).status_code == 302
    assert second.post(reverse("codereports:report_edit", args=[draft.pk]), theirs).status_code == 302
    draft.response.refresh_from_db()
    assert draft.response.answers["recruitment"] == "Agencies recruit nurses in Nairobi."
    assert draft.response.answers["org_type"] == "union"


def test_the_same_answer_changed_twice_is_shown_with_both_values(draft, member, colleague):
    first, second = signed_in(member), signed_in(colleague)
    mine, theirs = loaded_form(first, draft), loaded_form(second, draft)
    mine["recruitment"] = ["Recruiters visit nursing schools."]
    theirs["recruitment"] = ["Recruiters advertise on the radio."]
    first.post(reverse("codereports:report_edit", args=[draft.pk]), mine)
    clash = second.post(reverse("codereports:report_edit", args=[draft.pk]), theirs)
    assert clash.status_code == 409
    page = clash.content.decode()
    assert "Someone else saved “Recruiters visit nursing schools.”, which was kept" in page
    assert "Your answer was “Recruiters advertise on the radio.”" in page
    draft.response.refresh_from_db()
    assert draft.response.answers["recruitment"] == "Recruiters visit nursing schools."


def test_autosave_reports_a_clash_as_json(draft, member, colleague):
    first, second = signed_in(member), signed_in(colleague)
    mine, theirs = loaded_form(first, draft), loaded_form(second, draft)
    mine["cases"] = ["3"]
    theirs["cases"] = ["4"]
    url = reverse("codereports:report_autosave", args=[draft.pk])
    saved = first.post(url, mine)
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    clash = second.post(url, theirs)
    assert clash.status_code == 409
    conflict = clash.json()["conflicts"][0]
    assert (conflict["path"], conflict["theirs"], conflict["yours"]) == ("cases", "3", "4")


def test_two_members_send_it_to_review_at_once(draft, member, colleague):
    first, second = signed_in(member), signed_in(colleague)
    url = reverse("codereports:report_status", args=[draft.pk])
    first.get(reverse("codereports:report", args=[draft.pk]))
    second.get(reverse("codereports:report", args=[draft.pk]))
    won = first.post(url, {"action": "to_review"}, follow=True)
    lost = second.post(url, {"action": "to_review"}, follow=True)
    assert "The report is in internal review" in won.content.decode()
    assert (
        "Only a draft can be sent to internal review; this report is now “Internal review”"
        in lost.content.decode()
    )
    assert ReportEvent.objects.filter(report=draft, kind=ReportEventKind.TO_REVIEW).count() == 1


def test_a_save_after_the_report_went_to_review_is_refused_and_said(draft, member, colleague):
    writer = signed_in(member)
    form = loaded_form(writer, draft)
    services.report_to_review(report=draft, user=colleague)
    form["recruitment"] = ["Late text"]
    response = writer.post(reverse("codereports:report_edit", args=[draft.pk]), form, follow=True)
    assert "in internal review: its answers are read-only" in response.content.decode()
    autosave = writer.post(reverse("codereports:report_autosave", args=[draft.pk]), form)
    assert autosave.status_code == 403 and autosave.json()["frozen"]
    draft.response.refresh_from_db()
    assert "recruitment" not in draft.response.answers


def test_the_database_keeps_one_report_per_country_round_and_organisation(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            round=draft.round, country="KE", organisation=draft.organisation, response=draft.response
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_start_the_same_report_at_once(round, member, colleague):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start(user):
        try:
            barrier.wait(timeout=10)
            services.report_create(round=round, country="KE", user=user)
            outcomes.append("created")
        except services.ReportExists as exists:
            outcomes.append(f"exists:{exists.report.pk}")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=start, args=(user,)) for user in (member, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    report = Report.objects.get()
    assert sorted(outcomes) == ["created", f"exists:{report.pk}"]
    assert report.status == ReportStatus.DRAFT
    assert report.response.questionnaire.responses.count() == 1
