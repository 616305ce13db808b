"""Submitting to the library, on the site and through the API, is limited per account (and
token) and per network; a refused submission is given back, and the API answers its 429."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from hw4all.coalition import services as coalition
from hw4all.coalition.factories import OrganisationFactory
from hw4all.coalition.models import ApiScope
from hw4all.library.factories import user_with_role
from hw4all.library.models import Resource
from hw4all.users.roles import MEMBER

pytestmark = pytest.mark.django_db

URL = "/en/library/submit/"
API_URL = "/api/v1/library/submissions"
OFFICE = "203.0.113.7"
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "library-submission": "2/1h/account,100/1h/network",
        "library-api-submission": "2/1h/account",
    }


def _form(number: int, **overrides) -> dict:
    data = {
        "title": f"Nurses' migration from Romania, part {number}",
        "kind": "case-study",
        "summary": "How Romanian nurses move within the EU.\n\nWhat it means for retention.",
        "authors": "Popescu, Ana\nWemos",
        "year": "2014",
        "countries": ["RO", "DE"],
        "regions": ["EUR"],
        "licence": "CC-BY-4.0",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-0-language": "en",
        "files-0-file": SimpleUploadedFile("report.txt", b"Health workers for all.\n"),
        "files-0-label": "Full report",
    }
    return data | overrides


def test_a_member_over_the_limit_gets_their_submission_back(client):
    client.force_login(user_with_role(MEMBER, email="member@example.org"))
    for number in range(2):
        assert client.post(URL, _form(number), REMOTE_ADDR=OFFICE).status_code == 302

    refused = client.post(URL, _form(3, summary=f"Retention.\n{HOSTILE}"), REMOTE_ADDR=OFFICE)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert refused["Retry-After"].isdigit()
    assert "You have sent this too many times in a short while" in page
    assert "Nurses&#x27; migration from Romania, part 3" in page
    assert "Retention.\n&lt;script&gt;" in page
    assert HOSTILE not in page
    # Chosen countries go back unchanged; the file has to be attached again, and the page says so.
    assert '<input type="hidden" name="countries" value="RO">' in page
    assert '<input type="hidden" name="countries" value="DE">' in page
    assert "Attached files were not kept" in page
    assert Resource.objects.count() == 2

    # Another member in the same office is not held back by this one's limit.
    client.force_login(user_with_role(MEMBER, email="colleague@example.org"))
    assert client.post(URL, _form(4), REMOTE_ADDR=OFFICE).status_code == 302


def test_a_partner_token_over_the_limit_gets_a_429_problem(client):
    organisation = OrganisationFactory(name="Nurses' Union", slug="nurses-union")
    _, plaintext = coalition.api_token_issue(
        organisation=organisation, name="Feed", scopes=[ApiScope.LIBRARY], by=None
    )

    def submit(number):
        return client.post(
            API_URL,
            {
                "title": f"Nurses on the move {number}",
                "summary": "Where Kenyan nurses go.",
                "url": f"https://www.nurses.example.org/reports/move-{number}.pdf",
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {plaintext}"},
        )

    assert [submit(number).status_code for number in range(2)] == [202, 202]

    refused = submit(3)

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 0 < int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert body["status"] == 429
    assert "too many times" in body["detail"]
    assert Resource.objects.count() == 2

    cache.clear()  # the window has passed
    assert submit(4).status_code == 202
