"""The practices API: published cases newest first with their validation records, the public
page's filters, one case with its sections and attachments, and what it refuses."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hw4all.practices import services
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.models import CaseStatus, Level, Theme

from .conftest import answers_for

pytestmark = pytest.mark.django_db

API = "/api/v1/practices"
NOW = timezone.now()


def case_published(**fields):
    case = CaseStudyFactory(published=True, **fields)
    services.facets_rebuild(case)
    return case


@pytest.fixture
def cases(published):
    """A validated best practice in Kenya, a case study published without validation in
    Romania, a validated promising practice in the Philippines, and a draft."""
    return {
        "kenya": case_published(
            title="Retaining rural nurses",
            countries=["KE"],
            themes=[Theme.RETENTION],
            levels=[Level.LOCAL],
            code_articles=[5],
            criteria_version=published,
            outcome=3,
            core_percent=87.5,
            qualifier_percent=75.0,
            reviews_counted=3,
            published_at=NOW - datetime.timedelta(days=3),
        ),
        "romania": case_published(
            title="Return of Romanian doctors",
            countries=["RO"],
            themes=[Theme.RETURN, Theme.DIASPORA],
            levels=[Level.NATIONAL],
            code_articles=[3, 5],
            status=CaseStatus.IN_REVIEW,
            outcome=None,
            core_percent=None,
            qualifier_percent=None,
            reviews_counted=None,
            decided_at=None,
            published_at=NOW - datetime.timedelta(days=1),
        ),
        "philippines": case_published(
            title="Bilateral agreement on nurses",
            countries=["PH", "DE"],
            themes=[Theme.BILATERAL],
            levels=[Level.CENTRAL, Level.NATIONAL],
            code_articles=[4],
            criteria_version=published,
            outcome=2,
            published_at=NOW - datetime.timedelta(days=2),
        ),
        "draft": CaseStudyFactory(title="An unfinished draft"),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_the_list_gives_the_published_cases_newest_first(client, cases):
    response = client.get(f"{API}/cases")
    assert titles(response) == [
        "Return of Romanian doctors",
        "Bilateral agreement on nurses",
        "Retaining rural nurses",
    ]
    assert response.json()["next"] is None


def test_a_validated_case_carries_its_validation_record(client, cases, published):
    kenya = cases["kenya"]
    item = next(item for item in client.get(f"{API}/cases").json()["items"] if item["id"] == kenya.pk)
    assert item["url"] == f"http://testserver/en/practices/{kenya.pk}-{kenya.slug}/"
    assert item["countries"] == ["KE"]
    assert (item["levels"], item["themes"], item["code_articles"]) == (["local"], ["retention"], [5])
    assert item["organisation"]["name"] == kenya.organisation.name
    assert item["organisation"]["url"].startswith("http://testserver/en/")
    assert item["validated"] is True
    record = item["validation"]
    assert record["criteria_set"] == "Partnership criteria"
    assert record["criteria_version"] == published.number
    assert record["result"] == {"value": "best_practice", "label": "Best practice"}
    assert (record["core_percent"], record["qualifier_percent"], record["reviews_counted"]) == (87.5, 75.0, 3)
    assert record["decided_at"]


def test_a_case_published_without_validation_has_no_record(client, cases):
    item = client.get(f"{API}/cases", {"validated": "false"}).json()["items"]
    assert [(case["title"], case["validated"], case["validation"]) for case in item] == [
        ("Return of Romanian doctors", False, None)
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "KE"}, ["Retaining rural nurses"]),
        ({"country": "de"}, ["Bilateral agreement on nurses"]),
        ({"country": ["KE", "RO"]}, ["Return of Romanian doctors", "Retaining rural nurses"]),
        ({"theme": "diaspora"}, ["Return of Romanian doctors"]),
        ({"article": 5}, ["Return of Romanian doctors", "Retaining rural nurses"]),
        ({"article": 5, "theme": "retention"}, ["Retaining rural nurses"]),
        ({"level": "national"}, ["Return of Romanian doctors", "Bilateral agreement on nurses"]),
        ({"level": "national", "validated": "true"}, ["Bilateral agreement on nurses"]),
        ({"validated": "true"}, ["Bilateral agreement on nurses", "Retaining rural nurses"]),
        ({"country": "UG"}, []),
    ],
)
def test_filters(client, cases, params, expected):
    assert titles(client.get(f"{API}/cases?" + urlencode(params, doseq=True))) == expected


@pytest.mark.permission("hw4all_practices_api_case_detail", "public")
@pytest.mark.permission("hw4all_practices_api_case_list", "public")
def test_an_unpublished_case_is_never_listed_nor_shown(client, cases, secretary):
    assert "An unfinished draft" not in titles(client.get(f"{API}/cases"))
    assert client.get(f"{API}/cases/{cases['draft'].pk}").status_code == 404
    services.case_unpublish(case=cases["kenya"], by=secretary)
    assert "Retaining rural nurses" not in titles(client.get(f"{API}/cases", {"country": "KE"}))
    response = client.get(f"{API}/cases/{cases['kenya'].pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No published case study has this id"


def test_the_detail_gives_the_sections_and_attachments(client, cases):
    kenya = cases["kenya"]
    attachment = kenya.attachments.create(
        title="District records", file=SimpleUploadedFile("records.pdf", b"%PDF-1.4"), size=8
    )
    response = client.get(f"{API}/cases/{kenya.pk}")
    assert response.status_code == 200
    case = response.json()
    assert case["title"] == "Retaining rural nurses"
    assert case["validation"]["result"]["value"] == "best_practice"
    assert [section["name"] for section in case["sections"]] == ["context", "practice", "results", "lessons"]
    assert case["sections"][1] == {
        "name": "practice",
        "heading": "The practice",
        "html": "<p>Staff housing, a rural allowance and a career path.</p>",
    }
    assert case["actors"] == kenya.actors
    assert case["attachments"] == [
        {
            "title": "District records",
            "is_image": False,
            "size": 8,
            "url": f"http://testserver/en/practices/{kenya.pk}/files/{attachment.pk}/",
        }
    ]
    assert case["pdf_url"] == f"http://testserver/en/practices/{kenya.pk}-{kenya.slug}/case.pdf"
    assert "contact_email" not in case and kenya.contact_email not in response.content.decode()


def test_the_validation_record_comes_from_the_real_decision(
    client, in_review, secretary, reviewers, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for reviewer in reviewers[:2]:
            services.review_save(
                assignment=in_review.assignments.get(reviewer=reviewer),
                user=reviewer,
                answers=answers_for(in_review, score=3),
                no_conflict=True,
                submit=True,
            )
        services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    case = client.get(f"{API}/cases/{in_review.pk}").json()
    assert case["validated"] is True
    assert case["validation"] == {
        "criteria_set": "Partnership criteria",
        "criteria_version": published.number,
        "result": {"value": "best_practice", "label": "Best practice"},
        "core_percent": 75.0,
        "qualifier_percent": 75.0,
        "reviews_counted": 2,
        "decided_at": case["validation"]["decided_at"],
    }
    assert case["countries"] == ["KE"]


def test_hostile_text_comes_out_sanitised(client, author, secretary, published):
    case = services.case_create(
        user=author,
        title="<script>alert(1)</script> Nurses",
        summary="Housing <img src=x onerror=alert(1)> for nurses",
        countries=["KE"],
        levels=["local"],
        themes=["retention"],
        code_articles=[5],
        context='<p onclick="alert(1)">Context<script>alert(2)</script></p>',
        practice='<p><a href="javascript:alert(3)">The practice</a></p>',
        results="<p>Results</p>",
    )
    services.case_submit(case=case, user=author)
    services.case_publish(case=case, by=secretary)
    detail = client.get(f"{API}/cases/{case.pk}")
    assert detail["Content-Type"] == "application/json; charset=utf-8"
    body = detail.json()
    # The services keep plain text in the title and summary; the API gives it as stored.
    assert (body["title"], body["summary"]) == (case.title, case.summary)
    assert "<" not in body["title"] + body["summary"]
    html = " ".join(section["html"] for section in body["sections"])
    assert "script" not in html and "onclick" not in html and "javascript:" not in html
    assert "Context" in html and "The practice" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "XX"}, "Unknown country code 'XX'"),
        ({"country": "Kenya"}, "Unknown country code 'KENYA'"),
        ({"theme": "cartels"}, "Input should be"),
        ({"level": "planetary"}, "Input should be"),
        ({"article": 11}, "less than or equal to 10"),
        ({"article": "five"}, "valid integer"),
        ({"validated": "perhaps"}, "valid boolean"),
        ({"limit": 0}, "greater than or equal to 1"),
        ({"limit": 101}, "less than or equal to 100"),
        ({"country": ["KE"] * 51}, "at most 50"),
    ],
)
def test_bad_parameters_are_refused_with_422_and_a_message(client, db, params, message):
    response = client.get(f"{API}/cases?" + urlencode(params, doseq=True))
    assert response.status_code == 422
    assert message in str(response.json()["errors"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "bad"}, "cursor"),
        # A cursor holding something other than a date and an id.
        ({"cursor": "WyJ5ZXN0ZXJkYXkiLDFd"}, "cursor"),
        ({"lang": "xx"}, "lang"),
    ],
)
def test_a_bad_cursor_or_language_is_a_400_naming_it(client, cases, params, field):
    response = client.get(f"{API}/cases", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_the_validation_result_label_in_another_language(client, cases):
    english = {
        item["validation"]["result"]["label"]
        for item in client.get(f"{API}/cases", {"validated": "true"}).json()["items"]
    }
    french = {
        item["validation"]["result"]["label"]
        for item in client.get(f"{API}/cases", {"validated": "true", "lang": "fr"}).json()["items"]
    }
    assert "Best practice" in english
    assert french and not french & english


@pytest.mark.parametrize("case_id", ["abc", "0", "-1", str(2**70)])
def test_a_bad_id_is_refused_with_422(client, db, case_id):
    assert client.get(f"{API}/cases/{case_id}").status_code == 422


def test_an_unknown_id_is_404(client, db):
    assert client.get(f"{API}/cases/999999").status_code == 404


def test_pages_of_twenty_walked_with_next_give_every_case_once_newest_first(client, published):
    # Pairs published at the same moment: the id breaks the tie, smallest first.
    created = [
        case_published(title=f"Case {number:02d}", published_at=NOW - datetime.timedelta(minutes=number // 2))
        for number in range(23)
    ]
    first = client.get(f"{API}/cases").json()
    second = client.get(first["next"]).json()
    assert (len(first["items"]), len(second["items"]), second["next"]) == (20, 3, None)
    assert [item["id"] for item in first["items"] + second["items"]] == [case.pk for case in created]


def test_a_case_published_while_walking_does_not_shift_the_pages(client, cases, published):
    first = client.get(f"{API}/cases", {"limit": 2}).json()
    case_published(title="Published meanwhile", published_at=NOW)
    rest = client.get(first["next"]).json()
    assert [item["title"] for item in first["items"] + rest["items"]] == [
        "Return of Romanian doctors",
        "Bilateral agreement on nurses",
        "Retaining rural nurses",
    ]


def many_cases(count: int, published_version) -> None:
    for number in range(count):
        case_published(
            title=f"Case {number}",
            countries=[["KE", "RO", "PH", "DE"][number % 4]],
            themes=[list(Theme.values)[number % 8]],
            levels=[list(Level.values)[number % 6]],
            code_articles=[number % 10 + 1],
            status=CaseStatus.VALIDATED if number % 3 else CaseStatus.IN_REVIEW,
            criteria_version=published_version,
        )


FILTERED_URLS = [
    f"{API}/cases",
    f"{API}/cases?country=KE",
    f"{API}/cases?theme=retention&article=5",
    f"{API}/cases?level=local&validated=true",
    f"{API}/cases?country=KE&country=RO&theme=retention&article=5&level=local&validated=false&limit=5",
]


def query_counts(client, django_assert_max_num_queries) -> list[int]:
    counts = []
    for url in FILTERED_URLS:
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts


def test_the_query_count_does_not_grow_with_the_cases(client, published, django_assert_max_num_queries):
    many_cases(10, published)
    client.get(f"{API}/cases")  # Wagtail finds the site once per process
    few = query_counts(client, django_assert_max_num_queries)
    many_cases(190, published)
    assert query_counts(client, django_assert_max_num_queries) == few
    assert max(few) <= 1


def test_the_detail_takes_a_fixed_number_of_queries(client, cases, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(f"{API}/cases/{cases['kenya'].pk}").status_code == 200


def test_the_openapi_schema_documents_the_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/practices/cases", "/api/v1/practices/cases/{case_id}"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/practices/cases"]["get"]["parameters"]}
    assert parameters == {"country", "theme", "article", "level", "validated", "lang", "cursor", "limit"}
    components = schema["components"]["schemas"]
    assert {"CaseOut", "CaseDetailOut", "ValidationOut"} <= set(components)
    assert components["ResultOut"]["properties"]["value"]["enum"] == [
        "best_practice",
        "promising_practice",
        "case_study",
    ]
    # Every reference in the document points at a schema it defines.
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert refs <= set(components)


# Any query string a client may send, built from the parameters' names and values both valid
# and not: the answer is 200 in the documented shape or 422, never a server error.
VALUES = st.one_of(
    st.sampled_from(["KE", "ke", "XX", "", "retention", "local", "5", "0", "11", "true", "false", "-1"]),
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
QUERIES = st.lists(
    st.tuples(
        st.sampled_from(["country", "theme", "article", "level", "validated", "limit", "other"]), VALUES
    ),
    max_size=6,
)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_any_query_string_gives_200_or_422(client, cases, query):
    response = client.get(f"{API}/cases?" + urlencode(query))
    assert response.status_code in (200, 422), (query, response.status_code)
    body = response.json()
    if response.status_code == 200:
        assert set(body) == {"items", "next"}
        for item in body["items"]:
            assert set(item) == set(CaseOutFields)
    else:
        assert body["detail"]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case_id=st.one_of(st.text(max_size=12), st.integers(min_value=-(2**70), max_value=2**70).map(str)))
def test_any_id_gives_200_404_or_422(client, cases, case_id):
    response = client.get(f"{API}/cases/{case_id}")
    assert response.status_code in (200, 404, 422), (case_id, response.status_code)


CaseOutFields = (
    "id",
    "title",
    "url",
    "summary",
    "countries",
    "levels",
    "themes",
    "code_articles",
    "organisation",
    "published_at",
    "validated",
    "validation",
)
