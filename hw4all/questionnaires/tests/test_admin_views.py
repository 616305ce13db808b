"""The Secretariat's questionnaire screens in the admin: each screen for the Secretariat, and for
everyone who may not use them; the settings, invitations, results, responses and exports as the
Secretariat uses them."""

import csv
import io
import json
import urllib.parse

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.questionnaires.models import Access, Invitation, QuestionnaireStatus, ResponseFile, ResponseStatus
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

from .survey_data import ANSWERS, responses_add, survey_create, version_without

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"


def url(name: str, questionnaire=None, **kwargs) -> str:
    if questionnaire is not None:
        kwargs["pk"] = questionnaire.pk
    return reverse(f"questionnaires_admin:{name}", kwargs=kwargs)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def survey():
    questionnaire = survey_create(access=Access.INVITATION)
    made = responses_add(questionnaire, ANSWERS)
    responses_add(
        questionnaire, [{"profession": "midwife", "role": "Draft only"}], status=ResponseStatus.DRAFT
    )
    stored = ResponseFile(
        response=made[0], path="cv", original_name="cv.pdf", size=9, content_type="application/pdf"
    )
    stored.file.save("cv.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    made[0].answers["cv"] = {"id": stored.pk, "name": "cv.pdf", "size": 9}
    made[0].save()
    return questionnaire


@pytest.fixture
def secretariat(client):
    client.force_login(user_in(SECRETARIAT))
    return client


def every_url(questionnaire) -> list[str]:
    response = questionnaire.responses.order_by("pk").first()
    stored = ResponseFile.objects.get()
    return [
        url("list"),
        url("detail", questionnaire),
        url("invitations", questionnaire),
        url("results", questionnaire),
        url("responses", questionnaire),
        url("response", questionnaire, response_id=response.pk),
        url("response_file", questionnaire, response_id=response.pk, file_id=stored.pk),
        *(url("export", questionnaire, fmt=fmt) for fmt in ("csv", "xlsx", "json")),
    ]


def post_urls(questionnaire) -> list[str]:
    return [url("detail", questionnaire), url("invitations", questionnaire)]


# Who may.


def test_the_secretariat_opens_every_screen(secretariat, survey):
    for address in every_url(survey):
        assert secretariat.get(address).status_code == 200, address


@pytest.mark.permission("questionnaires_admin:detail", "role")
@pytest.mark.permission("questionnaires_admin:export", "role")
@pytest.mark.permission("questionnaires_admin:invitations", "role")
@pytest.mark.permission("questionnaires_admin:list", "role")
@pytest.mark.permission("questionnaires_admin:response", "role")
@pytest.mark.permission("questionnaires_admin:response_file", "role")
@pytest.mark.permission("questionnaires_admin:responses", "role")
@pytest.mark.permission("questionnaires_admin:results", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_with_the_admin_get_the_forbidden_page(client, survey, role):
    user = user_in(role)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for address in every_url(survey):
        response = client.get(address)
        assert response.status_code == 403, address
        assert "Only the Secretariat" in text(response)
    for address in post_urls(survey):
        response = client.post(address, {"name": "Taken", "labels": "Someone"})
        assert response.status_code == 403, address
    survey.refresh_from_db()
    assert survey.name == "Health workforce survey"
    assert not Invitation.objects.exists()


@pytest.mark.permission("questionnaires_admin:detail", "role")
@pytest.mark.permission("questionnaires_admin:export", "role")
@pytest.mark.permission("questionnaires_admin:invitations", "role")
@pytest.mark.permission("questionnaires_admin:list", "role")
@pytest.mark.permission("questionnaires_admin:response", "role")
@pytest.mark.permission("questionnaires_admin:response_file", "role")
@pytest.mark.permission("questionnaires_admin:responses", "role")
@pytest.mark.permission("questionnaires_admin:results", "role")
def test_a_member_without_the_admin_is_sent_to_sign_in(client, survey):
    member = user_in(MEMBER, organisation=OrganisationFactory(is_member=True))
    client.force_login(member)
    for address in every_url(survey) + post_urls(survey):
        response = client.get(address)
        assert response.status_code == 302 and "login" in response.url, address


@pytest.mark.permission("questionnaires_admin:detail", "authenticated")
@pytest.mark.permission("questionnaires_admin:export", "authenticated")
@pytest.mark.permission("questionnaires_admin:invitations", "authenticated")
@pytest.mark.permission("questionnaires_admin:list", "authenticated")
@pytest.mark.permission("questionnaires_admin:response", "authenticated")
@pytest.mark.permission("questionnaires_admin:response_file", "authenticated")
@pytest.mark.permission("questionnaires_admin:responses", "authenticated")
@pytest.mark.permission("questionnaires_admin:results", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    for address in every_url(survey):
        response = client.get(address)
        assert response.status_code == 302 and "login" in response.url, address
    response = client.post(url("invitations", survey), {"labels": "Someone"})
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_every_post_needs_the_csrf_token(survey):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in(SECRETARIAT))
    assert client.post(url("detail", survey), {"name": "Changed"}).status_code == 403
    assert client.post(url("invitations", survey), {"labels": "Someone"}).status_code == 403
    survey.refresh_from_db()
    assert survey.name == "Health workforce survey"
    assert not Invitation.objects.exists()


def test_unknown_questionnaires_responses_and_formats_are_not_found(secretariat, survey):
    other = survey_create(slug="other")
    response = survey.responses.first()
    # The admin's "not found" passes through the language redirect on its way.
    for address in (
        url("detail", pk=999_999),
        url("response", other, response_id=response.pk),
        url("export", survey, fmt="pdf"),
    ):
        assert secretariat.get(address, follow=True).status_code == 404, address


# The list and the settings.


def test_the_list_shows_each_questionnaire_with_its_counts(secretariat, survey):
    html = text(secretariat.get(url("list")))
    assert "Health workforce survey" in html
    assert "Invited people only" in html
    assert "<td>4</td>" in html and "<td>1</td>" in html
    assert url("create") in html


def test_the_settings_are_saved_through_the_form(secretariat, survey):
    response = secretariat.post(
        url("detail", survey),
        {
            "name": f"Renamed {XSS}",
            "access": Access.PUBLIC,
            "status": QuestionnaireStatus.CLOSED,
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-02-01T09:00",
            "results_public": "on",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.name == f"Renamed {XSS}"
    assert (survey.access, survey.status, survey.results_public) == (Access.PUBLIC, "closed", True)
    html = text(secretariat.get(url("detail", survey)))
    assert XSS not in html
    assert reverse("questionnaires:start", kwargs={"slug": survey.slug}) in html
    assert reverse("questionnaires:results", kwargs={"slug": survey.slug}) in html


def test_a_questionnaire_that_closes_before_it_opens_is_refused_and_nothing_lost(secretariat, survey):
    response = secretariat.post(
        url("detail", survey),
        {
            "name": "Kept in the form",
            "access": Access.PUBLIC,
            "status": QuestionnaireStatus.OPEN,
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-02-01T09:00",
        },
    )
    assert response.status_code == 400
    html = text(response)
    assert "It must close after it opens." in html
    assert 'value="Kept in the form"' in html
    survey.refresh_from_db()
    assert survey.name == "Health workforce survey"


def test_the_versions_are_listed_with_their_responses_and_links(secretariat, survey):
    version_without(survey, "story")
    html = text(secretariat.get(url("detail", survey)))
    assert url("version_export", survey, number=1) in html
    assert url("version_export", survey, number=2) in html
    assert url("version_import", survey) in html
    assert "answers to questions a later version removed are not in them" in html


# Invitations.


def test_invitations_are_made_and_their_links_shown_once(secretariat, survey):
    response = secretariat.post(
        url("invitations", survey), {"labels": f"Nurses' union\n\n{XSS}\n", "unlabelled": "2"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = text(response)
    assert Invitation.objects.filter(questionnaire=survey).count() == 4
    links = {part.split("</code>")[0] for part in html.split("<code>")[1:]}
    assert len(links) == 4
    assert all("/invitation/" in link and link.startswith("http://testserver/") for link in links)
    assert XSS not in html
    # The CSV holds the same links, with the labels.
    data = html.split('href="data:text/csv;charset=utf-8,')[1].split('"')[0]
    rows = list(csv.reader(io.StringIO(urllib.parse.unquote(data).lstrip("\ufeff"))))
    assert rows[0] == ["label", "link"]
    assert {row[1] for row in rows[1:]} == links
    assert "Nurses' union" in {row[0] for row in rows[1:]}
    # Later, the list shows the invitations but never their links again.
    later = text(secretariat.get(url("invitations", survey)))
    assert "Nurses&#x27;" in later or "Nurses&#39;" in later
    assert not any(link in later for link in links)
    assert "4 invitations, 0 used." in later


def test_an_invitation_link_opens_the_questionnaire(secretariat, survey, client):
    survey.status = QuestionnaireStatus.OPEN
    survey.save()
    html = text(secretariat.post(url("invitations", survey), {"labels": "Someone"}))
    link = html.split("<code>")[1].split("</code>")[0].replace("http://testserver", "")
    assert Client().get(link).status_code in (200, 302)


def test_invitations_need_a_label_or_a_number(secretariat, survey):
    response = secretariat.post(url("invitations", survey), {"labels": "  \n", "unlabelled": ""})
    assert response.status_code == 400
    assert "Give at least one label, or a number of invitations." in text(response)
    response = secretariat.post(url("invitations", survey), {"unlabelled": "100000"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_invitations_are_refused_for_a_questionnaire_not_answered_by_invitation(secretariat, survey):
    survey.access = Access.PUBLIC
    survey.save()
    response = secretariat.post(url("invitations", survey), {"labels": "Someone"})
    assert response.status_code == 400
    assert "Invitations work only for a questionnaire answered by invitation" in text(response)
    assert not Invitation.objects.exists()


# Results, responses and exports.


def test_results_show_every_answer_to_the_secretariat_escaped(secretariat, survey):
    html = text(secretariat.get(url("results", survey)))
    assert "4 responses" in html
    assert "Head nurse" in html and "Pharmacist" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "1 file given" in html
    assert "Started on" in html


def test_results_of_drafts_too_and_filtered(secretariat, survey):
    html = text(secretariat.get(url("results", survey), {"status": "all", "f-profession": "midwife"}))
    assert "1 response" in html
    assert "Draft only" in html
    export_link = url("export", survey, fmt="csv") + "?status=all&amp;f-profession=midwife&amp;labels=1"
    assert export_link in html
    assert "their answers to questions since removed are not in the export" in html


def test_export_through_the_screen_with_filters_status_and_codes(secretariat, survey):
    response = secretariat.get(url("export", survey, fmt="csv"), {"labels": "0", "f-profession": "nurse"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="workforce-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["profession"] for row in rows] == ["nurse", "nurse"]
    everyone = secretariat.get(url("export", survey, fmt="json"), {"status": "all"})
    items = json.loads(b"".join(everyone.streaming_content))
    assert len(items) == 5
    assert items[0]["answers"]["profession"] == "Nurse"


def test_an_identified_questionnaires_export_names_the_organisations(secretariat):
    questionnaire = survey_create(slug="members", access=Access.IDENTIFIED)
    organisation = OrganisationFactory(name="Nurses United", is_member=True)
    made = responses_add(questionnaire, [{"profession": "nurse"}])
    made[0].organisation = organisation
    made[0].save()
    response = secretariat.get(url("export", questionnaire, fmt="csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["organisation"] == "Nurses United"


def test_responses_are_listed_and_filtered_by_status_and_version(secretariat, survey):
    version_without(survey, "story")
    responses_add(survey, [{"profession": "doctor"}])
    html = text(secretariat.get(url("responses", survey)))
    assert "6 responses" in html
    html = text(secretariat.get(url("responses", survey), {"status": "draft"}))
    assert "1 response" in html
    html = text(secretariat.get(url("responses", survey), {"version": "2"}))
    assert "1 response" in html
    html = text(secretariat.get(url("responses", survey), {"version": "x", "status": "<b>", "p": "99"}))
    assert "6 responses" in html


def test_the_response_list_reads_as_many_queries_for_many_responses(secretariat, survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secretariat.get(url("responses", survey))
    with CaptureQueriesContext(connection) as few:
        secretariat.get(url("responses", survey))
    organisation = OrganisationFactory()
    for made in responses_add(survey, [{"profession": "doctor"}] * 30):
        made.organisation = organisation
        made.save()
    with CaptureQueriesContext(connection) as many:
        secretariat.get(url("responses", survey))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_response_reads_as_answered_with_its_file_to_download(secretariat, survey):
    response = survey.responses.order_by("pk").first()
    html = text(secretariat.get(url("response", survey, response_id=response.pk)))
    assert "Head nurse" in html
    assert "Nurse" in html
    stored = ResponseFile.objects.get()
    file_link = url("response_file", survey, response_id=response.pk, file_id=stored.pk)
    assert file_link in html
    download = secretariat.get(file_link)
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n"


def test_an_older_response_shows_the_answers_its_version_asked(secretariat, survey):
    version_without(survey, "story")
    response = survey.responses.order_by("pk").first()
    html = text(secretariat.get(url("response", survey, response_id=response.pk)))
    assert "I left in 2019." in html
    assert "not the current one" in html
