"""The Code reporting API: the rounds with their counts, a round's published reports with their
answers as stored, one published report; nothing unpublished, ever."""

import json
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import ReportStatus, RoundStatus
from hw4all.users.roles import MEMBER, SECRETARIAT

from .published import SECRETS, published_and_hidden, report_in, round_with_questionnaire

pytestmark = pytest.mark.django_db

API = "/api/v1/code-reports"


@pytest.fixture
def round5(db):
    return round_with_questionnaire(5)


@pytest.fixture
def reports(round5):
    return published_and_hidden(round5)


def test_the_rounds_with_their_counts(client, reports):
    round_with_questionnaire(
        2,
        instrument="NRI 2015",
        deadline=None,
        deadline_text="March 2016",
        reported_to="WHA69",
        status=RoundStatus.CLOSED,
        is_current=False,
    )
    response = client.get(f"{API}/rounds")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    latest, older = body["items"]
    assert latest == {
        "number": 5,
        "instrument": "NRI 2024",
        "period": "2024–2025",
        "deadline": "2024-08-31",
        "deadline_text": "",
        "reported_to": "WHA78",
        "status": "open",
        "status_label": "Open for reports",
        "is_current": True,
        "published_reports": 2,
        "countries": 2,
        "url": "http://testserver/en/code-reporting/rounds/5/",
    }
    assert older["deadline"] is None and older["deadline_text"] == "March 2016"
    assert older["published_reports"] == 0


def test_one_round(client, reports):
    body = client.get(f"{API}/rounds/5").json()
    assert body["published_reports"] == 2
    assert body["questionnaire"] == "code-report-round-5"
    assert body["reports_url"] == "http://testserver/api/v1/code-reports/rounds/5/reports"
    assert body["exports"]["csv"] == "http://testserver/en/code-reporting/rounds/5/export.csv"
    # The dashboard's table: the countries of the published reports only, by name.
    assert body["dashboard"] == [
        {
            "code": "KE",
            "name": "Kenya",
            "reports": 1,
            "url": "http://testserver/en/code-reporting/countries/KE/",
        },
        {
            "code": "RO",
            "name": "Romania",
            "reports": 1,
            "url": "http://testserver/en/code-reporting/countries/RO/",
        },
    ]


def test_the_dashboard_counts_each_countrys_published_reports(client, round5):
    for country in ("PH", "PH", "DE"):
        report_in(round5, country=country, answers={"org_type": "ngo"})
    report_in(round5, country="GH", answers={"org_type": "ngo"}, status=ReportStatus.SUBMITTED)
    dashboard = client.get(f"{API}/rounds/5?lang=fr").json()["dashboard"]
    assert [(row["name"], row["reports"]) for row in dashboard] == [("Allemagne", 1), ("Philippines", 2)]


def test_a_round_in_french(client, reports):
    body = client.get(f"{API}/rounds/5?lang=fr").json()
    assert body["url"] == "http://testserver/fr/code-reporting/rounds/5/"
    assert body["exports"]["json"] == "http://testserver/fr/code-reporting/rounds/5/export.json"
    assert client.get(f"{API}/rounds/5/reports?lang=fr").json()["items"][1]["country_name"] == "Roumanie"


@pytest.mark.parametrize("path", ["/rounds", "/rounds/5", "/rounds/5/reports", "/reports/1"])
def test_an_unknown_language_is_400_naming_it(client, reports, path):
    response = client.get(f"{API}{path}?lang=xx")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["lang"]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [("cursor=garbage", 400, "cursor"), ("limit=0", 422, "limit"), ("limit=101", 422, "limit")],
)
def test_a_bad_cursor_or_limit_is_refused_naming_it(client, reports, query, status, field):
    for path in ("/rounds", "/rounds/5/reports"):
        response = client.get(f"{API}{path}?{query}")
        assert response.status_code == status
        assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/rounds/9", 404),
        ("/rounds/9/reports", 404),
        ("/reports/999999", 404),
        ("/rounds/0", 422),
        ("/rounds/99999999", 422),
        ("/reports/0", 422),
        ("/reports/99999999999999999999", 422),
        ("/rounds/five", 422),
    ],
)
def test_unknown_things_are_404_or_refused(client, reports, path, status):
    assert client.get(API + path).status_code == status


def test_a_rounds_published_reports_with_their_answers_as_stored(client, reports):
    body = client.get(f"{API}/rounds/5/reports").json()
    assert body["next"] is None
    kenya, romania = body["items"]
    report = reports["kenya"]
    assert kenya == {
        "id": report.pk,
        "round": 5,
        "country": "KE",
        "country_name": "Kenya",
        "organisation": {
            "name": "Kenya Health Action",
            "url": f"http://testserver{report.organisation.get_absolute_url()}",
        },
        "cosigners": [
            {"name": "Medici pentru toți", "url": f"http://testserver{romania_url(reports)}"},
        ],
        "published_at": kenya["published_at"],
        "url": f"http://testserver/en/code-reporting/reports/{report.pk}/",
        "questionnaire_version": 1,
        "answers": report.response.answers,
    }
    assert kenya["answers"]["measures"] == ["fair", "fees"]
    assert kenya["answers"]["agreements"][0] == {"partner": "DE", "year": 2019}
    assert romania["country"] == "RO" and romania["cosigners"] == []


def romania_url(reports) -> str:
    return reports["romania"].organisation.get_absolute_url()


def test_the_reports_on_one_country(client, reports):
    body = client.get(f"{API}/rounds/5/reports?country=ro").json()
    assert [item["country"] for item in body["items"]] == ["RO"]
    assert client.get(f"{API}/rounds/5/reports?country=GH").json()["items"] == []
    response = client.get(f"{API}/rounds/5/reports?country=XX")
    assert response.status_code == 422
    assert "Unknown country code" in response.content.decode()


def test_the_reports_come_50_a_page(client, round5):
    for index in range(53):
        report_in(round5, country=["KE", "RO", "PH"][index % 3], answers={"org_type": "ngo"})
    first = client.get(f"{API}/rounds/5/reports").json()
    second = client.get(first["next"]).json()
    assert (len(first["items"]), len(second["items"]), second["next"]) == (50, 3, None)
    assert {item["id"] for item in first["items"]}.isdisjoint(item["id"] for item in second["items"])


def walk(client, address: str) -> list:
    found: list = []
    while address:
        body = client.get(address).json()
        found += body["items"]
        address = body["next"]
    return found


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_walking_the_reports_gives_each_once_by_country_organisation_and_id(client, round5, limit):
    for index in range(7):
        organisation = OrganisationFactory(name=f"Organisation {index % 3}", slug=f"organisation-{index}")
        report_in(round5, country=["RO", "KE"][index % 2], organisation=organisation)
    report_in(round5, country="KE", status=ReportStatus.SUBMITTED)
    walked = walk(client, f"{API}/rounds/5/reports?limit={limit}")
    keys = [(item["country"], item["organisation"]["name"], item["id"]) for item in walked]
    assert len(keys) == 7
    assert keys == sorted(keys)
    only_kenya = walk(client, f"{API}/rounds/5/reports?limit={limit}&country=KE")
    assert [item["id"] for item in only_kenya] == [item["id"] for item in walked if item["country"] == "KE"]


def test_walking_the_rounds_newest_first(client, db):
    for number in (1, 4, 2, 3):
        round_with_questionnaire(number, is_current=False)
    walked = walk(client, f"{API}/rounds?limit=3")
    assert [item["number"] for item in walked] == [4, 3, 2, 1]


def test_the_report_list_costs_the_same_queries_however_many_reports(
    client, round5, django_assert_max_num_queries
):
    def count(reports: int) -> int:
        for _index in range(reports):
            report_in(round5, country="KE", cosigners=[OrganisationFactory()])
        with django_assert_max_num_queries(10) as captured:
            client.get(f"{API}/rounds/5/reports")
        with django_assert_max_num_queries(10) as rounds:
            client.get(f"{API}/rounds/5")
        return len(captured) + len(rounds)

    assert count(5) == count(20)


def test_one_published_report(client, reports):
    report = reports["romania"]
    body = client.get(f"{API}/reports/{report.pk}").json()
    assert body["organisation"]["name"] == "Medici pentru toți"
    assert body["answers"]["org_type_other"] == "Diaspora network"
    assert body["questionnaire_version"] == 1 and body["round"] == 5


@pytest.mark.permission("hw4all_codereports_api_report_detail", "public")
@pytest.mark.permission("hw4all_codereports_api_report_list", "public")
@pytest.mark.permission("hw4all_codereports_api_round_detail", "public")
@pytest.mark.permission("hw4all_codereports_api_round_list", "public")
def test_no_unpublished_report_exists_in_the_api(client, reports):
    for report in reports["hidden"]:
        assert client.get(f"{API}/reports/{report.pk}").status_code == 404
    listed = client.get(f"{API}/rounds/5/reports").content.decode()
    everything = (
        listed + client.get(f"{API}/rounds").content.decode() + client.get(f"{API}/rounds/5").content.decode()
    )
    for secret in SECRETS:
        assert secret not in everything


@pytest.mark.permission("hw4all_codereports_api_report_detail", "authenticated")
@pytest.mark.permission("hw4all_codereports_api_report_list", "authenticated")
def test_signed_in_people_see_no_more(client, reports):
    owner = user_in(MEMBER, organisation=reports["hidden"][0].organisation)
    for person in (owner, user_in(SECRETARIAT)):
        client.force_login(person)
        for report in reports["hidden"]:
            assert client.get(f"{API}/reports/{report.pk}").status_code == 404
        assert len(client.get(f"{API}/rounds/5/reports").json()["items"]) == 2


def test_a_report_withdrawn_from_publication_leaves_the_api(client, reports):
    report = reports["kenya"]
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert client.get(f"{API}/reports/{report.pk}").status_code == 404
    assert client.get(f"{API}/rounds/5").json()["published_reports"] == 1


def test_the_api_is_read_only(reports):
    client = Client(enforce_csrf_checks=True)
    for path in ("/rounds", "/rounds/5/reports", f"/reports/{reports['kenya'].pk}"):
        assert client.post(API + path, data="{}", content_type="application/json").status_code == 405


def test_the_schema_describes_the_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/rounds", "/rounds/{number}", "/rounds/{number}/reports", "/reports/{report_id}"):
        assert f"/api/v1/code-reports{path}" in paths
    report = schema["components"]["schemas"]["ReportOut"]
    assert {
        "country",
        "organisation",
        "cosigners",
        "published_at",
        "answers",
        "questionnaire_version",
    } <= set(report["properties"])


def test_answers_are_json_not_html(client, round5):
    hostile = "<script>alert(1)</script>"
    report = report_in(round5, country="KE", answers={"comments": hostile})
    response = client.get(f"{API}/reports/{report.pk}")
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["answers"]["comments"] == hostile


# Any query string and any identifier a client may send: the answer is 200 in the documented
# shape, 404 or 422, never a server error.
VALUES = st.one_of(
    st.sampled_from(["KE", "ke", "XX", "", "fr", "de", "1", "0", "-1", "2"]),
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
QUERIES = st.lists(
    st.tuples(st.sampled_from(["country", "cursor", "limit", "lang", "other"]), VALUES), max_size=5
)


@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_any_query_string_gives_200_400_or_422(client, reports, query):
    response = client.get(f"{API}/rounds/5/reports?" + urlencode(query))
    assert response.status_code in (200, 400, 422), (query, response.status_code)
    if response.status_code == 200:
        body = response.json()
        assert set(body) == {"items", "next"}
        assert len(body["items"]) <= 2


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["rounds", "reports"]),
    identifier=st.one_of(st.text(max_size=12), st.integers(min_value=-(2**70), max_value=2**70).map(str)),
)
def test_any_identifier_gives_200_404_or_422(client, reports, kind, identifier):
    response = client.get(f"{API}/{kind}/{quote(identifier, safe='')}")
    assert response.status_code in (200, 404, 422), (kind, identifier, response.status_code)
