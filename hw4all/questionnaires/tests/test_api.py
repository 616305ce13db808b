"""The questionnaires API: the questionnaires whose results are public, their content, and the
summaries of their submitted responses under the public results page's rules."""

import pytest
from django.test import Client

from hw4all.coalition.factories import user_in
from hw4all.questionnaires.models import Access, QuestionnaireStatus, ResponseStatus
from hw4all.users.roles import SECRETARIAT

from .survey_data import ANSWERS, SURVEY, responses_add, survey_create

pytestmark = pytest.mark.django_db

API = "/api/v1/questionnaires"


@pytest.fixture
def public(db):
    """Results public, four submitted responses and a draft."""
    questionnaire = survey_create(slug="workforce", results_public=True)
    responses_add(questionnaire, ANSWERS)
    responses_add(
        questionnaire, [{"profession": "midwife", "role": "DRAFT-ONLY"}], status=ResponseStatus.DRAFT
    )
    return questionnaire


@pytest.fixture
def hidden(db):
    """Questionnaires whose results are not public: their own setting, or embedded in a Code
    report (the reports have pages of their own)."""
    return [
        survey_create(slug="private-results"),
        survey_create(slug="embedded", access=Access.EMBEDDED, results_public=True),
    ]


def summary(body: dict, name: str) -> dict:
    return next(item for item in body["summaries"] if item["name"] == name)


@pytest.mark.permission("hw4all_questionnaires_api_questionnaire_list", "public")
def test_the_list_holds_only_questionnaires_with_public_results(client, public, hidden):
    body = client.get(f"{API}/").json()
    assert body["next"] is None
    (item,) = body["items"]
    assert item == {
        "slug": "workforce",
        "name": "Health workforce survey",
        "title": "Health workforce survey",
        "status": "open",
        "access": "public",
        "version": 1,
        "url": "http://testserver/en/surveys/workforce/results/",
        "results_api_url": "http://testserver/api/v1/questionnaires/workforce/results",
    }


def test_the_list_in_french(client, public):
    item = client.get(f"{API}/?lang=fr").json()["items"][0]
    assert item["title"] == "Enquête sur les personnels de santé"
    assert item["url"] == "http://testserver/fr/surveys/workforce/results/"


def test_one_questionnaire_with_its_definition(client, public):
    body = client.get(f"{API}/workforce").json()
    assert body["definition"] == public.current_version.definition_json
    assert [section["name"] for section in body["definition"]["sections"]] == [
        section["name"] for section in SURVEY["sections"]
    ]


@pytest.mark.permission("hw4all_questionnaires_api_questionnaire_detail", "public")
@pytest.mark.permission("hw4all_questionnaires_api_questionnaire_results", "public")
@pytest.mark.parametrize("slug", ["private-results", "embedded", "nope", "a" * 300])
def test_other_questionnaires_do_not_exist_here(client, hidden, slug):
    assert client.get(f"{API}/{slug}").status_code == 404
    assert client.get(f"{API}/{slug}/results").status_code == 404


def test_a_closed_questionnaire_whose_results_are_public(client, db):
    survey_create(slug="closed-survey", status=QuestionnaireStatus.CLOSED, results_public=True)
    assert client.get(f"{API}/closed-survey").json()["status"] == "closed"


def test_the_results_count_submitted_responses_only(client, public):
    body = client.get(f"{API}/workforce/results").json()
    assert body["responses"] == 4
    profession = summary(body, "profession")
    assert profession["kind"] == "counted"
    assert (profession["total"], profession["answered"]) == (4, 4)
    assert [(c["name"], c["label"], c["count"], c["percent"]) for c in profession["counts"]] == [
        ("nurse", "Nurse", 2, 50.0),
        ("doctor", "Doctor", 1, 25.0),
        ("midwife", "Midwife", 0, 0.0),
        ("other", "Other", 1, 25.0),
    ]
    satisfaction = summary(body, "satisfaction")
    assert satisfaction["kind"] == "matrix"
    assert [(row["name"], [c["count"] for c in row["counts"]]) for row in satisfaction["rows"]] == [
        ("pay", [2, 1]),
        ("hours", [1, 1]),
    ]
    years = summary(body, "years")
    assert years["stats"]["minimum"] == 3 and years["stats"]["maximum"] == 12 and years["unit"] == "years"
    assert sum(bin["count"] for bin in years["histogram"]) == 3
    agreements = summary(body, "agreements")
    assert agreements["blocks"] == 3
    partner = next(item for item in agreements["inner"] if item["name"] == "partner")
    assert [(c["name"], c["count"]) for c in partner["counts"]] == [("GB", 2), ("DE", 1)]


def test_under_five_responses_no_free_text_is_given(client, public):
    body = client.get(f"{API}/workforce/results").json()
    assert body["texts_shown"] is False
    names = {item["name"] for item in body["summaries"]}
    assert not names & {"role", "story", "cv", "started"}
    assert summary(body, "profession")["others"] == []
    content = client.get(f"{API}/workforce/results").content.decode()
    for text in ("Head nurse", "Pharmacist", "Faith-based", "cv.pdf", "DRAFT-ONLY"):
        assert text not in content


def test_from_five_responses_an_anonymous_questionnaires_texts_are_given(client, public):
    responses_add(public, [{"role": "Midwife in Kisumu", "profession": "midwife"}])
    body = client.get(f"{API}/workforce/results").json()
    assert body["texts_shown"] is True
    assert {"Head nurse", "Midwife in Kisumu"} <= set(summary(body, "role")["texts"])
    assert "<script>alert(1)</script>" in summary(body, "role")["texts"]
    assert summary(body, "profession")["others"] == ["Pharmacist"]
    names = {item["name"] for item in body["summaries"]}
    # Files and dates never: a file could name its author, and dates are not on the page either.
    assert "cv" not in names and "started" not in names


def test_an_identified_questionnaire_never_gives_free_texts(client, db):
    questionnaire = survey_create(slug="members", access=Access.IDENTIFIED, results_public=True)
    responses_add(questionnaire, ANSWERS * 3)
    body = client.get(f"{API}/members/results").json()
    assert body["responses"] == 12 and body["texts_shown"] is False
    assert "Head nurse" not in client.get(f"{API}/members/results").content.decode()


def test_the_results_in_french(client, public):
    profession = summary(client.get(f"{API}/workforce/results?lang=fr").json(), "profession")
    assert profession["counts"][0]["label"] == "Infirmier·ère"


@pytest.mark.parametrize("path", ["/", "/workforce", "/workforce/results"])
def test_an_unknown_language_is_400_naming_it(client, public, path):
    response = client.get(f"{API}{path}?lang=xx")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["lang"]


def many(count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        questionnaire = survey_create(slug=f"survey-{index:02}", results_public=True)
        questionnaire.name = f"Survey {index:02}"
        questionnaire.save()


def walk(client, address: str) -> list:
    found: list = []
    while address:
        body = client.get(address).json()
        found += body["items"]
        address = body["next"]
    return found


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_walking_the_list_gives_each_once_by_name(client, hidden, limit):
    many(7)
    slugs = [item["slug"] for item in walk(client, f"{API}/?limit={limit}")]
    assert slugs == [f"survey-{index:02}" for index in range(7)]


@pytest.mark.parametrize(("query", "status"), [("cursor=garbage", 400), ("limit=0", 422), ("limit=101", 422)])
def test_a_bad_cursor_or_limit_is_refused_naming_it(client, public, query, status):
    response = client.get(f"{API}/?{query}")
    assert response.status_code == status
    assert list(response.json()["errors"]) == [query.split("=")[0]]


def test_the_list_costs_the_same_queries_however_many(client, db, django_assert_max_num_queries):
    def count() -> int:
        with django_assert_max_num_queries(5) as captured:
            assert client.get(f"{API}/?limit=100").status_code == 200
        return len(captured)

    many(5)
    few = count()
    many(20, start=5)
    assert count() == few


@pytest.mark.permission("hw4all_questionnaires_api_questionnaire_list", "role")
@pytest.mark.permission("hw4all_questionnaires_api_questionnaire_results", "role")
def test_the_secretariat_sees_no_more_through_the_api(client, hidden):
    client.force_login(user_in(SECRETARIAT))
    assert client.get(f"{API}/").json()["items"] == []
    assert client.get(f"{API}/private-results/results").status_code == 404


def test_the_api_is_read_only(public):
    client = Client(enforce_csrf_checks=True)
    for path in ("/", "/workforce", "/workforce/results"):
        assert client.post(API + path, data="{}", content_type="application/json").status_code == 405


def test_the_schema_describes_the_summaries(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/", "/{slug}", "/{slug}/results"):
        assert f"{API}{path}" in schema["paths"]
    summary_schema = schema["components"]["schemas"]["SummaryOut"]
    assert {"counts", "rows", "stats", "histogram", "texts", "inner"} <= set(summary_schema["properties"])
