"""Code reporting in the admin: the Secretariat keeps the rounds, reads every report and calls
members to report; every other role is refused."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from hw4all.coalition.factories import user_in
from hw4all.codereports.models import (
    ReminderKind,
    ReminderSent,
    ReportingCall,
    ReportStatus,
    Round,
    RoundStatus,
)
from hw4all.codereports.services.calls import call_create
from hw4all.users.roles import MEMBER, REVIEWER, STEERING_COMMITTEE

from .conftest import reached

pytestmark = pytest.mark.django_db

ROUNDS = "/admin/snippets/codereports/round/"
REPORTS = "/admin/code-reporting/reports/"
CALLS = "/admin/code-reporting/calls/"


@pytest.fixture
def fourth(db):
    return Round.objects.create(
        number=4, instrument="NRI 2021", period="2021–2022", status=RoundStatus.CLOSED
    )


@pytest.fixture
def call(round, secretary):
    return call_create(
        round=round,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        message="Please report on your country.",
        user=secretary,
    )


def admin_urls(round, call):
    return [
        ROUNDS,
        f"{ROUNDS}add/",
        f"{ROUNDS}edit/{round.pk}/",
        REPORTS,
        CALLS,
        f"{CALLS}new/",
        f"{CALLS}{call.pk}/",
    ]


def round_form(round, **changes):
    data = {
        "number": round.number,
        "instrument": round.instrument,
        "period": round.period,
        "deadline": round.deadline.isoformat() if round.deadline else "",
        "deadline_text": round.deadline_text,
        "reported_to": round.reported_to,
        "status": round.status,
        "questionnaire": round.questionnaire_id or "",
        "notes": round.notes,
    }
    if round.is_current:
        data["is_current"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_the_secretariat_opens_every_view(client, secretary, round, call, draft):
    client.force_login(secretary)
    for url in admin_urls(round, call):
        assert client.get(url).status_code == 200, url
    menu = client.get("/admin/").content.decode()
    assert "Code reporting" in menu
    assert REPORTS in menu and CALLS in menu
    listing = client.get(ROUNDS).content.decode()
    assert "NRI 2024" in listing


@pytest.mark.permission("codereports_admin:call", "role")
@pytest.mark.permission("codereports_admin:call_new", "role")
@pytest.mark.permission("codereports_admin:call_send", "role")
@pytest.mark.permission("codereports_admin:calls", "role")
@pytest.mark.permission("codereports_admin:reports", "role")
@pytest.mark.permission("wagtailsnippets_codereports_round:add", "role")
@pytest.mark.permission("wagtailsnippets_codereports_round:edit", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_are_refused(round, call, draft, role):
    user = user_in(role, email=f"{role.replace(' ', '').lower()}@other.example.org")
    # Give them the admin itself, so that only Code reporting's own rule stands in the way.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    for url in admin_urls(round, call):
        response = client.get(url)
        # Wagtail redirects a refused snippet view to the dashboard; the custom views answer 403.
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == "/admin/", url
    assert client.post(f"{CALLS}{call.pk}/send/").status_code == 403
    assert client.post(f"{CALLS}new/", {"round": round.pk, "message": "x"}).status_code == 403
    assert "Code reporting" not in client.get("/admin/").content.decode()
    assert mail.outbox == []
    assert ReportingCall.objects.count() == 1


@pytest.mark.permission("codereports_admin:call", "authenticated")
@pytest.mark.permission("codereports_admin:call_new", "authenticated")
@pytest.mark.permission("codereports_admin:call_send", "authenticated")
@pytest.mark.permission("codereports_admin:calls", "authenticated")
@pytest.mark.permission("codereports_admin:reports", "authenticated")
@pytest.mark.permission("wagtailsnippets_codereports_round:add", "authenticated")
@pytest.mark.permission("wagtailsnippets_codereports_round:edit", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, round, call):
    for url in admin_urls(round, call):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response.url, url
    response = client.post(f"{CALLS}{call.pk}/send/")
    assert response.status_code == 302 and "login" in response.url
    assert mail.outbox == []


# Rounds.


def test_making_a_round_current_in_the_admin_unsets_the_previous_one(client, secretary, round, fourth):
    client.force_login(secretary)
    response = client.post(f"{ROUNDS}edit/{fourth.pk}/", round_form(fourth, is_current="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Round.objects.filter(is_current=True)) == [fourth]
    round.refresh_from_db()
    assert not round.is_current


def test_a_new_round_can_be_added_current(client, secretary, round, questionnaire):
    client.force_login(secretary)
    new = Round(number=6, instrument="NRI 2027", period="2027–2028", status=RoundStatus.UPCOMING)
    response = client.post(
        f"{ROUNDS}add/",
        round_form(new, is_current="on", questionnaire=questionnaire.pk, deadline="2027-08-31"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Round.objects.get(number=6)
    assert added.is_current and added.deadline == datetime.date(2027, 8, 31)
    assert Round.objects.filter(is_current=True).count() == 1


def test_a_round_number_used_twice_is_refused_with_a_message(client, secretary, round, fourth):
    client.force_login(secretary)
    response = client.post(f"{ROUNDS}edit/{fourth.pk}/", round_form(fourth, number=5))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    fourth.refresh_from_db()
    assert fourth.number == 4


def test_rounds_cannot_be_deleted(client, secretary, fourth):
    client.force_login(secretary)
    response = client.post(f"{ROUNDS}delete/{fourth.pk}/")
    assert response.status_code in (302, 403)
    assert Round.objects.filter(pk=fourth.pk).exists()


# Reports.


def test_the_report_list_shows_every_report_with_filters(
    client, secretary, round, draft, other_member, fourth
):
    from hw4all.codereports.services import reports as report_services

    submitted = reached(
        report_services.report_create(round=round, country="GH", user=other_member), "submitted", other_member
    )
    client.force_login(secretary)

    page = client.get(REPORTS).content.decode()
    assert "Nurses for Kenya" in page and "Doctors of Ghana" in page
    assert f"/code-reporting/reports/{draft.pk}/" in page
    assert f"/code-reporting/reports/{submitted.pk}/" in page

    only_submitted = client.get(REPORTS, {"status": ReportStatus.SUBMITTED}).content.decode()
    assert "Doctors of Ghana" in only_submitted and "Nurses for Kenya" not in only_submitted

    other_round = client.get(REPORTS, {"round": fourth.number}).content.decode()
    assert "No report here." in other_round

    # An unknown filter shows everything rather than failing.
    assert client.get(REPORTS, {"status": "<b>", "round": "x"}).status_code == 200


def test_the_report_list_escapes_organisation_names(client, secretary, round, draft):
    draft.organisation.name = "<script>alert(1)</script>"
    draft.organisation.save()
    client.force_login(secretary)
    page = client.get(REPORTS).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# Calls to report.


def test_a_call_made_in_the_admin_is_checked_then_sent(
    client, secretary, round, member, colleague, other_member
):
    client.force_login(secretary)
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    response = client.post(
        f"{CALLS}new/",
        {
            "round": round.pk,
            "deadline": deadline.isoformat(),
            "message": "Tell WHO <b>what</b> you see.",
            "organisations": [member.person.organisation.pk],
        },
    )
    call = ReportingCall.objects.get()
    assert response.status_code == 302 and response.url == f"{CALLS}{call.pk}/"
    assert mail.outbox == []

    detail = client.get(response.url).content.decode()
    assert "amina@example.org" in detail and "jean@example.org" in detail
    assert "kofi@example.org" not in detail
    # The message is shown as the text it is.
    assert "Tell WHO &lt;b&gt;what&lt;/b&gt; you see." in detail
    assert "Send the call to 2 people" in detail

    response = client.post(f"{CALLS}{call.pk}/send/", follow=True)
    assert "sent to 2 people" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["amina@example.org", "jean@example.org"]
    assert "Tell WHO <b>what</b> you see." in mail.outbox[0].body

    response = client.post(f"{CALLS}{call.pk}/send/", follow=True)
    assert "nothing was sent" in response.content.decode()
    assert len(mail.outbox) == 2
    listing = client.get(CALLS).content.decode()
    assert "1 organisation" in listing


def test_a_bad_call_comes_back_with_its_text_and_the_errors(client, secretary, round, other_member):
    client.force_login(secretary)
    outside = user_in(MEMBER, email="x@example.org").person.organisation
    outside.is_member = False
    outside.save()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        f"{CALLS}new/",
        {"round": round.pk, "deadline": yesterday.isoformat(), "message": "Keep this text"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The reply-by date has passed." in page
    assert "Keep this text" in page
    assert ReportingCall.objects.count() == 0

    response = client.post(
        f"{CALLS}new/",
        {"round": round.pk, "deadline": "not a date", "message": "", "organisations": [outside.pk]},
    )
    assert response.status_code == 400
    assert ReportingCall.objects.count() == 0


def test_a_call_for_a_closed_round_cannot_be_sent(client, secretary, round, call, member):
    round.status = RoundStatus.CLOSED
    round.save()
    client.force_login(secretary)
    assert "does not accept reports" in client.get(f"{CALLS}{call.pk}/").content.decode()
    response = client.post(f"{CALLS}{call.pk}/send/", follow=True)
    assert "nothing was sent" in response.content.decode()
    assert mail.outbox == []
    assert not ReminderSent.objects.filter(kind=ReminderKind.CALL).exists()


def test_sending_a_call_needs_the_csrf_token(secretary, call, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assert client.post(f"{CALLS}{call.pk}/send/").status_code == 403
    assert client.post(f"{CALLS}new/", {"round": call.round.pk}).status_code == 403
    assert mail.outbox == []


def test_sending_is_post_only(client, secretary, call, member):
    client.force_login(secretary)
    assert client.get(f"{CALLS}{call.pk}/send/").status_code == 405
    assert mail.outbox == []


def test_the_lists_cost_the_same_queries_however_many_rows(
    client, secretary, round, member, django_assert_max_num_queries
):
    from hw4all.codereports.services import reports as report_services

    client.force_login(secretary)
    for country in ("KE", "UG"):
        report_services.report_create(round=round, country=country, user=member)
    call_create(round=round, deadline=timezone.localdate() + datetime.timedelta(days=9), message="One")
    # The first requests of a session fill caches of their own.
    client.get(REPORTS)
    client.get(CALLS)
    with django_assert_max_num_queries(100) as few:
        client.get(REPORTS)
        client.get(CALLS)
    for country in ("TZ", "RW", "BI", "ET", "SO", "SS"):
        report_services.report_create(round=round, country=country, user=member)
    for number in range(5):
        call_create(
            round=round, deadline=timezone.localdate() + datetime.timedelta(days=9), message=f"{number}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        reports_page = client.get(REPORTS).content.decode()
        calls_page = client.get(CALLS).content.decode()
    assert len(re.findall(r"/code-reporting/reports/\d+/", reports_page)) == 8
    assert len(re.findall(rf"{CALLS}\d+/", calls_page)) == 6


def test_the_organisations_to_ask_are_a_labelled_group(client, secretary, round, member):
    client.force_login(secretary)
    page = client.get(f"{CALLS}new/").content.decode()
    assert '<legend class="w-field__label">Organisations</legend>' in page
    assert "Nurses for Kenya" in page
    response = client.post(f"{CALLS}new/", {"round": round.pk, "message": "x", "organisations": ["999999"]})
    assert response.status_code == 400
    assert 'id="organisations-errors"' in response.content.decode()
