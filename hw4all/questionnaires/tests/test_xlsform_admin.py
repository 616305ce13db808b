"""The XLSForm screens of the admin: a new questionnaire and a new version are previewed (or their
problems listed) before anything is stored, then confirmed; a version downloads as XLSForm; only
the Secretariat may use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hw4all.coalition.factories import user_in
from hw4all.questionnaires.examples import example_tables, example_xlsform, workbook_bytes
from hw4all.questionnaires.models import Access, Questionnaire, VersionSource
from hw4all.questionnaires.services import questionnaires as services
from hw4all.questionnaires.xlsform import definition_from_xlsform
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"
CREATE = reverse("questionnaires_admin:create")


def upload(name: str = "retention_interviews", data: bytes | None = None, filename: str = "form.xlsx"):
    return SimpleUploadedFile(filename, data if data is not None else example_xlsform(name))


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def secretary():
    return user_in(SECRETARIAT)


@pytest.fixture
def staff(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def questionnaire(secretary):
    return services.questionnaire_create(
        slug="interviews",
        name="Interviews",
        definition=definition_from_xlsform(example_xlsform("retention_interviews")),
        source=VersionSource.XLSFORM,
        user=secretary,
    )


def preview(client, name="retention_interviews", data=None, url=CREATE):
    response = client.post(url, {"file": upload(name, data)})
    assert response.status_code == 200
    return response


class TestNewQuestionnaire:
    def test_the_upload_form(self, staff):
        response = staff.get(CREATE)
        assert response.status_code == 200
        assert 'type="file"' in text(response)
        assert 'enctype="multipart/form-data"' in text(response)

    def test_the_preview_shows_sections_questions_types_skip_logic_choices_and_languages(self, staff):
        response = preview(staff, "hrh_national_survey")
        page = text(response)
        assert "National survey of health workers" in page
        assert "About you" in page and "Working abroad" in page
        assert "<code>age</code>" in page and "Whole number" in page and "years, from 18 to 80" in page
        # Skip logic in words, with the question's label and the choice's label.
        assert "“Did you train abroad?” is “Yes”" in page
        assert "Medical doctor; Nurse" in page and "Other (specify)" in page
        assert "Rows: My pay is fair for the work I do" in page
        assert "en, fr" in page
        assert Questionnaire.objects.count() == 0
        form = response.context["form"]
        assert form.initial["slug"] == "hrh_national_survey"
        assert form.initial["name"] == "National survey of health workers"

    def test_confirming_creates_the_questionnaire_with_its_file(self, staff, secretary):
        data = example_xlsform("retention_interviews")
        token = preview(staff, data=data).context["token"]
        response = staff.post(
            CREATE,
            {
                "token": token,
                "name": "Interviews 2015",
                "slug": "interviews-2015",
                "access": Access.INVITATION,
            },
        )
        questionnaire = Questionnaire.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("questionnaires_admin:detail", kwargs={"pk": questionnaire.pk})
        assert (questionnaire.slug, questionnaire.name, questionnaire.access) == (
            "interviews-2015",
            "Interviews 2015",
            Access.INVITATION,
        )
        version = questionnaire.current_version
        assert (version.number, version.source, version.created_by) == (1, VersionSource.XLSFORM, secretary)
        assert version.source_file.read() == data
        assert (
            version.definition.as_json()
            == definition_from_xlsform(example_xlsform("retention_interviews")).as_json()
        )
        # The waiting file is gone: the same token cannot create a second questionnaire.
        again = staff.post(
            CREATE, {"token": token, "name": "Again", "slug": "again", "access": Access.PUBLIC}
        )
        assert again.status_code == 302 and again["Location"] == CREATE
        assert Questionnaire.objects.count() == 1

    def test_a_taken_slug_is_refused_beside_the_field_and_the_preview_stays(self, staff, questionnaire):
        token = preview(staff).context["token"]
        response = staff.post(
            CREATE, {"token": token, "name": "Twice", "slug": "interviews", "access": Access.PUBLIC}
        )
        assert response.status_code == 200
        assert "Another questionnaire has this slug." in text(response)
        assert "Retention measures in place" in text(response)
        assert Questionnaire.objects.count() == 1

    def test_the_suggested_slug_avoids_a_taken_one(self, staff, questionnaire):
        tables = example_tables("retention_interviews")
        settings = [tables["settings"][0], ("Interviews", "interviews", "English (en)", "1")]
        response = preview(staff, data=workbook_bytes({**tables, "settings": settings}))
        assert response.context["form"].initial["slug"] == "interviews-2"

    def test_a_form_with_problems_lists_them_by_sheet_and_row_and_stores_nothing(self, staff):
        tables = example_tables("retention_interviews")
        survey = [list(row) for row in tables["survey"]]
        survey[3][7] = "${interviewr} = 'int_01'"
        survey[5][0] = "geopoint"
        response = preview(staff, data=workbook_bytes({**tables, "survey": survey}))
        page = text(response)
        assert "form.xlsx cannot be imported: 2 problems" in page
        assert "<td>survey</td>" in page and "<td>4</td>" in page and "<td>6</td>" in page
        assert "refers to ${interviewr}" in page
        assert "The question type “geopoint”: not supported" in page
        assert "token" not in response.context
        assert Questionnaire.objects.count() == 0

    def test_a_file_that_is_not_a_spreadsheet(self, staff):
        response = preview(staff, data=b"%PDF-1.4 not a form")
        assert "not an .xlsx spreadsheet" in text(response)

    def test_an_oversized_file_is_refused(self, staff):
        response = staff.post(CREATE, {"file": upload(data=b"PK" + b"\0" * (5 * 1024 * 1024 + 1))})
        assert response.status_code == 200
        assert "larger than 5 MB" in text(response)
        assert Questionnaire.objects.count() == 0

    def test_labels_are_escaped_in_the_preview(self, staff):
        tables = example_tables("retention_interviews")
        survey = [list(row) for row in tables["survey"]]
        survey[4][2] = XSS
        choices = [list(row) for row in tables["choices"]]
        choices[1][2] = XSS
        response = preview(staff, data=workbook_bytes({**tables, "survey": survey, "choices": choices}))
        assert XSS not in text(response)
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text(response)

    def test_problems_are_escaped(self, staff):
        survey = [("type", "name", "label"), ("text", "a", "A"), ("text", "b", "B")]
        survey[2] = ("text", "b", "B")
        data = workbook_bytes({"survey": [*survey, (XSS, "c", "C")]})
        response = preview(staff, data=data)
        assert XSS not in text(response) and "&lt;script&gt;" in text(response)

    def test_a_forged_or_foreign_token_is_refused(self, staff, client):
        token = preview(staff).context["token"]
        other = Client()
        other.force_login(user_in(SECRETARIAT))
        response = other.post(
            CREATE, {"token": token, "name": "Mine", "slug": "mine", "access": Access.PUBLIC}
        )
        assert response.status_code == 302 and response["Location"] == CREATE
        response = staff.post(
            CREATE, {"token": token + "x", "name": "Mine", "slug": "mine", "access": Access.PUBLIC}
        )
        assert response.status_code == 302
        assert Questionnaire.objects.count() == 0


class TestNewVersion:
    def url(self, questionnaire):
        return reverse("questionnaires_admin:version_import", kwargs={"pk": questionnaire.pk})

    def test_the_preview_shows_what_changes_and_that_responses_keep_their_version(self, staff, questionnaire):
        from hw4all.questionnaires.models import Response

        Response.objects.create(questionnaire=questionnaire, version=questionnaire.current_version)
        tables = example_tables("retention_interviews")
        survey = [list(row) for row in tables["survey"] if row[1] != "place"]
        survey[2][2] = "Interviewer (initials)"
        survey.insert(3, ["text", "region", "Region", "Région", *[""] * (len(survey[0]) - 4)])
        response = preview(
            staff, data=workbook_bytes({**tables, "survey": survey}), url=self.url(questionnaire)
        )
        changes = response.context["changes"]
        assert changes["added"] == [("region", "Region")]
        assert changes["removed"] == [("place", "Place")]
        assert changes["changed"] == [("interviewer", "Interviewer (initials)")]
        assert "The 1 response already begun keeps the version it answered." in text(response)
        assert questionnaire.versions.count() == 1

    def test_confirming_adds_the_next_version(self, staff, questionnaire, secretary):
        data = example_xlsform("retention_interviews")
        token = preview(staff, data=data, url=self.url(questionnaire)).context["token"]
        response = staff.post(self.url(questionnaire), {"token": token, "note": "Corrected labels"})
        assert response.status_code == 302
        questionnaire.refresh_from_db()
        version = questionnaire.current_version
        assert (version.number, version.note, version.created_by) == (2, "Corrected labels", secretary)
        assert version.source_file.read() == data

    def test_one_preview_confirmed_twice_adds_one_version(self, staff, questionnaire):
        token = preview(staff, url=self.url(questionnaire)).context["token"]
        first = staff.post(self.url(questionnaire), {"token": token, "note": "Once"})
        second = staff.post(self.url(questionnaire), {"token": token, "note": "Twice"})
        assert first.status_code == 302 and second.status_code == 302
        assert second["Location"] == self.url(questionnaire)
        assert list(questionnaire.versions.values_list("number", "note")) == [(2, "Once"), (1, "")]

    def test_a_taken_slug_keeps_the_upload_for_another_try(self, staff, questionnaire):
        token = preview(staff).context["token"]
        staff.post(CREATE, {"token": token, "name": "Taken", "slug": "interviews", "access": Access.PUBLIC})
        response = staff.post(
            CREATE, {"token": token, "name": "Free", "slug": "free", "access": Access.PUBLIC}
        )
        assert response.status_code == 302
        assert Questionnaire.objects.filter(slug="free").exists()

    @pytest.mark.permission("questionnaires_admin:version_import", "object")
    def test_a_token_for_another_questionnaire_is_refused(self, staff, questionnaire, secretary):
        token = preview(staff).context["token"]  # made on the new-questionnaire screen
        response = staff.post(self.url(questionnaire), {"token": token, "note": ""})
        assert response.status_code == 302
        assert questionnaire.versions.count() == 1

    def test_an_unknown_questionnaire(self, staff):
        url = reverse("questionnaires_admin:version_import", kwargs={"pk": 999})
        assert staff.get(url, follow=True).status_code == 404


class TestExport:
    def test_a_version_downloads_as_xlsform(self, staff, questionnaire):
        url = reverse("questionnaires_admin:version_export", kwargs={"pk": questionnaire.pk, "number": 1})
        response = staff.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="interviews-v1.xlsx"'
        assert (
            definition_from_xlsform(response.content).as_json()
            == questionnaire.current_version.definition_json
        )
        settings = list(load_workbook(io.BytesIO(response.content))["settings"].iter_rows(values_only=True))
        assert settings[1][3] == "1"

    def test_an_unknown_version(self, staff, questionnaire):
        url = reverse("questionnaires_admin:version_export", kwargs={"pk": questionnaire.pk, "number": 5})
        assert staff.get(url, follow=True).status_code == 404


class TestPermissions:
    def urls(self, questionnaire):
        return [
            CREATE,
            reverse("questionnaires_admin:version_import", kwargs={"pk": questionnaire.pk}),
            reverse("questionnaires_admin:version_export", kwargs={"pk": questionnaire.pk, "number": 1}),
        ]

    @pytest.mark.permission("questionnaires_admin:create", "authenticated")
    @pytest.mark.permission("questionnaires_admin:version_export", "authenticated")
    @pytest.mark.permission("questionnaires_admin:version_import", "authenticated")
    def test_anonymous_people_are_sent_to_sign_in(self, client, questionnaire):
        for url in self.urls(questionnaire):
            response = client.get(url)
            assert response.status_code == 302 and "login" in response["Location"]
            response = client.post(url, {"file": upload()})
            assert response.status_code == 302 and "login" in response["Location"]
        assert Questionnaire.objects.count() == 1

    @pytest.mark.permission("questionnaires_admin:create", "role")
    @pytest.mark.permission("questionnaires_admin:version_export", "role")
    @pytest.mark.permission("questionnaires_admin:version_import", "role")
    @pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
    def test_other_roles_are_refused(self, client, questionnaire, role):
        client.force_login(user_in(role))
        for url in self.urls(questionnaire):
            assert client.get(url).status_code in (302, 403)
            response = client.post(url, {"file": upload()})
            assert response.status_code in (302, 403, 405)
            assert b"PK" not in response.content[:2]
        assert Questionnaire.objects.count() == 1
        assert questionnaire.versions.count() == 1

    @pytest.mark.permission("questionnaires_admin:create", "role")
    @pytest.mark.permission("questionnaires_admin:version_export", "role")
    @pytest.mark.permission("questionnaires_admin:version_import", "role")
    def test_a_member_with_admin_access_still_gets_a_refusal(self, client, questionnaire):
        from django.contrib.auth.models import Permission

        member = user_in(MEMBER)
        member.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(member)
        for url in self.urls(questionnaire):
            response = client.get(url)
            assert response.status_code == 403
            assert "Only the Secretariat may import and export questionnaires." in text(response)

    def test_posts_without_the_csrf_token_are_refused(self, secretary, questionnaire):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretary)
        assert client.post(CREATE, {"file": upload()}).status_code == 403
        url = reverse("questionnaires_admin:version_import", kwargs={"pk": questionnaire.pk})
        assert client.post(url, {"file": upload()}).status_code == 403
