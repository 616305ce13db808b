"""Member organisations submit resources through the API with a token that may submit to the
library: the resource waits for the Secretariat's approval, who are emailed as for the site's
form, and it is nowhere public until approved."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from hw4all.coalition import services as coalition
from hw4all.coalition.factories import OrganisationFactory
from hw4all.coalition.models import ApiScope, ApiTokenUse
from hw4all.library import search, services
from hw4all.library.factories import ResourceFactory, user_with_role
from hw4all.library.models import Kind, Resource, Status, Topic
from hw4all.users.roles import MEMBER

URL = "/api/v1/library/submissions"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MINIMAL = {
    "title": "Nurses on the move",
    "summary": "Where Kenyan nurses go, and why.",
    "url": "https://www.nurses.example.org/reports/move.pdf",
}


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Nurses' Union", slug="nurses-union")


@pytest.fixture
def token(organisation):
    return coalition.api_token_issue(
        organisation=organisation, name="Publications feed", scopes=[ApiScope.LIBRARY], by=None
    )


@pytest.fixture
def topic(db):
    return Topic.objects.get_or_create(slug="migration", defaults={"name": "Migration"})[0]


def submit(client, plaintext, payload):
    return client.post(
        URL, payload, content_type="application/json", headers={"Authorization": f"Bearer {plaintext}"}
    )


def assert_invalid(response, *fields):
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422
    assert set(fields) <= set(body["errors"]), body["errors"]
    assert not Resource.objects.exists()
    assert not mail.outbox
    return body


def test_a_submission_waits_for_approval_and_the_secretariat_is_told(client, token, topic):
    _, plaintext = token
    response = submit(
        client,
        plaintext,
        {
            **MINIMAL,
            "kind": Kind.POLICY_BRIEF,
            "summary": "Where Kenyan nurses go.\n\nAnd why they leave.",
            "authors": ["Kamau, Wanjiru", "Nurses' Union"],
            "publisher": "Nurses' Union",
            "year": 2024,
            "month": 3,
            "countries": ["ke", "GB"],
            "regions": ["AFR"],
            "topics": ["migration"],
            "licence": "CC-BY-4.0",
            "doi": "https://doi.org/10.1234/NURSES.2024",
        },
    )
    assert response.status_code == 202
    resource = Resource.objects.get()
    assert response.json() == {"id": resource.pk, "status": "submitted"}
    assert resource.status == Status.SUBMITTED
    assert resource.submitted_by is None
    assert (resource.title, resource.kind, resource.year, resource.month) == (
        "Nurses on the move",
        Kind.POLICY_BRIEF,
        2024,
        3,
    )
    assert resource.summary == "Where Kenyan nurses go.\n\nAnd why they leave."
    assert [author.name for author in resource.authors.all()] == ["Kamau, Wanjiru", "Nurses' Union"]
    assert sorted(country.code for country in resource.countries) == ["GB", "KE"]
    assert resource.regions == ["AFR"]
    assert list(resource.topics.all()) == [topic]
    assert (resource.doi, resource.licence) == ("10.1234/nurses.2024", "CC-BY-4.0")
    assert resource.url == MINIMAL["url"]
    [message] = mail.outbox
    assert message.to == [settings.SECRETARIAT_EMAIL]
    assert "Nurses on the move" in message.subject
    assert "Nurses' Union" in message.body


def test_it_is_nowhere_public_until_approved(client, token, django_capture_on_commit_callbacks):
    _, plaintext = token
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, plaintext, {**MINIMAL, "title": "Zanzibar nurses"}).status_code == 202
    resource = Resource.objects.get()
    visitor = Client()
    assert visitor.get(f"/api/v1/library/resources/{resource.pk}").status_code == 404
    listed = visitor.get("/api/v1/library/resources", {"q": "zanzibar"}).json()["items"]
    assert resource.pk not in [item["id"] for item in listed]
    assert [hit.resource_id for hit in search.search(query="zanzibar").hits] == []
    assert visitor.get(resource.get_absolute_url()).status_code == 404
    assert "Zanzibar" not in visitor.get("/en/library/", {"q": "zanzibar"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_decide(resource=resource, user=None, accept=True)
    assert visitor.get(f"/api/v1/library/resources/{resource.pk}").json()["title"] == "Zanzibar nurses"
    assert [hit.resource_id for hit in search.search(query="zanzibar").hits] == [resource.pk]


@pytest.mark.permission("hw4all_library_api_submission_post", "role")
def test_only_a_token_that_may_submit_to_the_library_is_accepted(client, organisation, token):
    record, plaintext = token
    _, signatures_only = coalition.api_token_issue(
        organisation=organisation, name="Petition", scopes=[ApiScope.SIGNATURES], by=None
    )
    assert client.post(URL, MINIMAL, content_type="application/json").status_code == 401
    assert submit(client, "not-a-token", MINIMAL).status_code == 401
    assert submit(client, signatures_only, MINIMAL).status_code == 403
    # A member signed in on the site has no token: the API does not take the session instead.
    member = Client()
    member.force_login(user_with_role(MEMBER))
    assert member.post(URL, MINIMAL, content_type="application/json").status_code == 401
    coalition.api_token_revoke(token=record, by=None)
    assert submit(client, plaintext, MINIMAL).status_code == 401
    assert not Resource.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": ""}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "not a web address"}, "url"),
        ({"title": ""}, "title"),
        ({"title": "t" * 501}, "title"),
        ({"title": "t" * 5000}, "title"),
        ({"summary": ""}, "summary"),
        ({"summary": "s" * 10_001}, "summary"),
        ({"authors": [", Wanjiru"]}, "authors"),
        ({"year": 2023, "month": 2, "day": 30}, "day"),
        ({"month": 2}, "year"),
        ({"year": 99999}, "year"),
        ({"month": 13}, "month"),
        ({"countries": ["XX"]}, "countries"),
        ({"regions": ["MARS"]}, "regions"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"kind": "novel"}, "kind"),
        ({"licence": "mine"}, "licence"),
        ({"doi": "not a doi"}, "doi"),
        ({"isbn": "123"}, "isbn"),
        ({"publisher": "p" * 256}, "publisher"),
        ({"authors": "Kamau, Wanjiru"}, "authors"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(client, token, changes, field):
    _, plaintext = token
    assert_invalid(submit(client, plaintext, {**MINIMAL, **changes}), field)


def test_missing_fields_are_named(client, token):
    _, plaintext = token
    assert_invalid(submit(client, plaintext, {}), "title", "summary", "url")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # JSON that cannot be read at all is a bad request; JSON of the wrong shape is invalid input.
        ("{", 400),
        ("[]", 422),
        ('"text"', 422),
        ("null", 422),
        ('{"title": {"$ne": 1}}', 422),
    ],
)
def test_a_malformed_body_is_a_problem_and_submits_nothing(client, token, body, status):
    _, plaintext = token
    response = client.post(
        URL, body, content_type="application/json", headers={"Authorization": f"Bearer {plaintext}"}
    )
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Resource.objects.exists()


def test_a_resource_the_library_has_is_refused(client, token):
    _, plaintext = token
    ResourceFactory(title="Already here", url=MINIMAL["url"], doi="")
    response = submit(client, plaintext, MINIMAL)
    assert response.status_code == 422
    assert "already has this resource" in " ".join(response.json()["errors"]["url"])
    assert Resource.objects.count() == 1


def test_hostile_text_is_stored_as_typed_and_escaped_on_the_page(client, token):
    _, plaintext = token
    response = submit(client, plaintext, {**MINIMAL, "title": HOSTILE, "publisher": HOSTILE})
    assert response.status_code == 202
    resource = Resource.objects.get()
    assert (resource.title, resource.publisher) == (HOSTILE, HOSTILE)
    services.resource_decide(resource=resource, user=None, accept=True)
    page = Client().get(resource.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    detail = Client().get(f"/api/v1/library/resources/{resource.pk}").json()
    assert detail["title"] == HOSTILE


def test_the_openapi_schema_documents_the_submission(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    assert operation["security"]
    assert {"202", "401", "403", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body


def test_a_use_of_the_token_that_cannot_be_logged_does_not_undo_the_submission(client, token, caplog):
    _token, plaintext = token
    table = ApiTokenUse._meta.db_table
    # The token use log out of reach: its insert fails in the database after the write committed.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        response = submit(client, plaintext, MINIMAL)
        assert response.status_code == 202
        assert Resource.objects.filter(title=MINIMAL["title"], status=Status.SUBMITTED).exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert "API write observer failed" in caplog.text
    assert not ApiTokenUse.objects.exists()
