"""The campaigns list in the API: live campaigns with their counts, cursor pages newest opened
first, the filters, and the translations sharing their campaign's counts."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.campaigns.services import SignatureInput

pytestmark = pytest.mark.cache

URL = "/api/v1/campaigns/"
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


def campaign(index, title, *, days_ago=1, closed=False, **fields):
    return services.campaign_create(
        index=index,
        title=title,
        summary=f"{title}.",
        opens_at=NOW - datetime.timedelta(days=days_ago),
        closes_at=NOW - datetime.timedelta(hours=1) if closed else None,
        **fields,
    )


def confirmed(campaign_page, email, country):
    services.signature_submit(
        campaign=campaign_page, data=SignatureInput(name="S", email=email, country=country)
    )
    services.signature_confirm(signature=Signature.objects.get(email=email))


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_live_campaigns_with_their_counts_newest_opened_first(client, index):
    petition = campaign(index, "Invest in health workers", days_ago=1, goal=500)
    closed = campaign(index, "Closed one", days_ago=30, closed=True)
    campaign(index, "Draft", publish=False)
    confirmed(petition, "a@example.org", "KE")
    confirmed(petition, "b@example.org", "FR")

    body = client.get(URL).json()

    assert body["next"] is None
    first, second = body["items"]
    assert (first["id"], second["id"]) == (petition.pk, closed.pk)
    assert first["total"] == 2
    assert first["goal"] == 500
    assert first["open"] is True
    assert first["url"] == f"http://testserver{petition.url}"
    assert second["open"] is False
    assert second["total"] == 0
    assert second["closes_at"] is not None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "declaration"}, ["Declaration"]),
        ({"kind": "petition"}, ["Open petition", "Closed petition"]),
        ({"open": "true"}, ["Declaration", "Open petition"]),
        ({"open": "false"}, ["Closed petition"]),
        ({"kind": "petition", "open": "false"}, ["Closed petition"]),
        ({"lang": "en"}, ["Declaration", "Open petition", "Closed petition"]),
        ({"lang": "fr"}, []),
    ],
)
def test_filters(client, index, query, expected):
    campaign(index, "Closed petition", days_ago=30, closed=True)
    campaign(index, "Open petition", days_ago=5)
    campaign(index, "Declaration", days_ago=2, kind="declaration")
    assert titles(client.get(URL, query)) == expected


def test_a_campaign_not_yet_open_is_listed_as_not_open(client, index):
    campaign(index, "Next month", days_ago=-30)
    assert client.get(URL, {"open": "true"}).json()["items"] == []
    [item] = client.get(URL, {"open": "false"}).json()["items"]
    assert item["open"] is False


def test_a_translation_carries_its_campaign_counts(client, home_page, index):
    petition = campaign(index, "Invest in health workers")
    confirmed(petition, "a@example.org", "KE")
    french = Locale.objects.create(language_code="fr")
    for page in (home_page, index):
        page.copy_for_translation(french).save_revision().publish()
    translation = petition.copy_for_translation(french)
    translation.title = "Investir dans les personnels de santé"
    translation.save_revision().publish()

    [item] = client.get(URL, {"lang": "fr"}).json()["items"]

    assert item["title"] == "Investir dans les personnels de santé"
    assert item["language"] == "fr"
    assert item["total"] == 1
    assert len(client.get(URL).json()["items"]) == 2


def test_walking_the_pages_gives_every_campaign_once_in_order(client, index):
    created = [campaign(index, f"Campaign {number}", days_ago=number % 4) for number in range(7)]
    seen = []
    address = f"{URL}?limit=3"
    while address:
        body = client.get(address).json()
        assert len(body["items"]) <= 3
        seen += body["items"]
        address = body["next"]
    assert sorted(item["id"] for item in seen) == sorted(page.pk for page in created)
    keys = [(item["opens_at"], item["id"]) for item in seen]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"cursor": "not-a-cursor"}, "cursor", 400),
        ({"cursor": "WzFd"}, "cursor", 400),
        ({"limit": 0}, "limit", 422),
        ({"limit": 101}, "limit", 422),
        ({"lang": "zz"}, "lang", 400),
        ({"kind": "manifesto"}, "kind", 422),
        ({"open": "maybe"}, "open", 422),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_field(client, index, query, field, status):
    campaign(index, "One")
    response = client.get(URL, query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_the_query_count_does_not_grow_with_the_campaigns(client, index, django_assert_max_num_queries):
    def count_queries():
        cache.clear()
        with django_assert_max_num_queries(50) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    for number in range(5):
        confirmed(campaign(index, f"First {number}"), f"f{number}@example.org", "KE")
    few = count_queries()
    for number in range(20):
        confirmed(campaign(index, f"More {number}"), f"m{number}@example.org", "FR")
    with django_assert_max_num_queries(few):
        cache.clear()
        assert len(client.get(URL).json()["items"]) == 20
