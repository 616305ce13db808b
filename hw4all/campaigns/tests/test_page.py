"""The campaign page: count and progress, countries as a table and a map, the latest signers,
verified endorsers; the index lists open campaigns first; the home page shows the current one."""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.utils import timezone

from hw4all.campaigns import services
from hw4all.campaigns.models import CampaignPage, Signature, SignatureStatus, SignerKind
from hw4all.campaigns.queries import campaign_current
from hw4all.coalition.factories import OrganisationFactory
from hw4all.core.map import choropleth_svg, country_paths, shade

pytestmark = pytest.mark.cache

XSS = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Counts are cached by campaign id, and ids repeat from one test to the next.
    cache.clear()


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


@pytest.fixture
def petition(index):
    return services.campaign_create(
        index=index, title="Invest in health workers", summary="Fund the workforce.", goal=10, slug="invest"
    )


@pytest.fixture
def declaration(index):
    return services.campaign_create(
        index=index,
        title="Come together",
        summary="Civil society action.",
        kind="declaration",
        slug="come-together",
    )


def confirmed(campaign, n, *, country="KE", **fields):
    """n confirmed signatures, as the signing flow leaves them."""
    start = Signature.objects.count()
    rows = [
        Signature(
            campaign=campaign,
            name=fields.get("name", f"Signer {start + i}"),
            email=f"s{start + i}@example.org",
            email_normalised=f"s{start + i}@example.org",
            country=country,
            status=SignatureStatus.CONFIRMED,
            confirmed_at=timezone.now(),
            public=True,
            **{k: v for k, v in fields.items() if k != "name"},
        )
        for i in range(n)
    ]
    return Signature.objects.bulk_create(rows)


def test_the_page_shows_the_count_progress_table_map_and_latest_signers(client, petition):
    confirmed(petition, 3, country="KE")
    confirmed(petition, 1, country="FR")
    Signature.objects.create(
        campaign=petition,
        name="Pending Person",
        email="p@example.org",
        email_normalised="p@example.org",
        country="BR",
        public=True,
    )
    response = client.get(petition.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress class="campaign-progress" max="10" value="4"' in html
    assert '<th scope="row">Kenya</th><td>3</td>' in html
    assert '<th scope="row">France</th><td>1</td>' in html
    assert 'role="img"' in html and "<title>Kenya: 3</title>" in html
    assert "Signer 0" in html
    assert "Pending Person" not in html  # unconfirmed signatures are neither counted nor shown
    assert "csrfmiddlewaretoken" not in html  # the page stays cacheable
    assert 'action="/en/campaigns/' in html


def test_the_page_stays_light(client, petition):
    confirmed(petition, 1)
    response = client.get(petition.url)
    # The whole page with its inline map, as a browser receives it compressed.
    assert len(gzip.compress(response.content)) < 30_000


def test_names_are_escaped(client, petition, declaration):
    confirmed(petition, 1, name=XSS, city=XSS, organisation_name=XSS)
    confirmed(
        declaration,
        1,
        name="Contact",
        signer_kind=SignerKind.ORGANISATION,
        organisation_name=XSS,
        verified=True,
    )
    for campaign in (petition, declaration):
        html = client.get(campaign.url).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;" in html


def test_the_count_never_overflows_the_progress_bar(client, petition):
    confirmed(petition, 12)
    html = client.get(petition.url).content.decode()
    assert 'max="10" value="10"' in html and "<strong>12</strong>" in html


def test_a_closed_campaign_shows_its_result_and_no_form(client, index):
    campaign = services.campaign_create(
        index=index,
        title="Done",
        summary="Over.",
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
        result="<p>We handed over 5,000 signatures.</p>",
    )
    html = client.get(campaign.url).content.decode()
    assert "This campaign is closed" in html
    assert "We handed over 5,000 signatures." in html
    assert "sign-form" not in html


def test_declarations_show_verified_endorsers_only_with_their_directory_entry(client, declaration):
    organisation = OrganisationFactory(name="Wemos", country="NL")
    confirmed(
        declaration,
        1,
        name="Contact",
        signer_kind=SignerKind.ORGANISATION,
        organisation_name="Wemos",
        organisation=organisation,
        verified=True,
        country="NL",
    )
    confirmed(
        declaration, 1, name="Other", signer_kind=SignerKind.ORGANISATION, organisation_name="Unverified Org"
    )
    html = client.get(declaration.url).content.decode()
    assert "Endorsing organisations" in html
    assert f'href="{organisation.get_absolute_url()}">Wemos</a>' in html
    assert "Unverified Org" not in html
    assert 'name="signer_kind"' not in html  # individuals sign by default
    organisation_form = client.get(declaration.url + "?as=organisation").content.decode()
    assert 'name="signer_kind" value="organisation"' in organisation_form


def test_the_campaign_page_query_count_does_not_grow(client, declaration, django_assert_max_num_queries):
    def endorse(n):
        for i in range(n):
            organisation = OrganisationFactory()
            confirmed(
                declaration,
                1,
                signer_kind=SignerKind.ORGANISATION,
                organisation=organisation,
                organisation_name=organisation.name,
                verified=True,
                country="DE" if i % 2 else "KE",
            )

    endorse(1)
    client.get(declaration.url)  # warm the per-process caches (locales, site root)
    cache.clear()
    with django_assert_max_num_queries(30) as few:
        client.get(declaration.url)
    few_queries = len(few.captured_queries)  # read now: the next request resets the log
    endorse(15)
    client.get(declaration.url)
    cache.clear()
    with django_assert_max_num_queries(few_queries):
        response = client.get(declaration.url)
    assert response.content.decode().count("campaign-endorser__country") == 16


def test_the_index_lists_open_campaigns_first_with_constant_queries(
    client, index, petition, django_assert_max_num_queries
):
    now = timezone.now()
    services.campaign_create(
        index=index,
        title="Closed one",
        summary="x",
        slug="closed-one",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=2),
    )
    newer = services.campaign_create(
        index=index, title="Newer open", summary="x", slug="newer", opens_at=now - datetime.timedelta(hours=1)
    )
    CampaignPage.objects.filter(pk=petition.pk).update(opens_at=now - datetime.timedelta(days=1))
    confirmed(newer, 2)
    html = client.get(index.url).content.decode()
    assert html.index("Newer open") < html.index("Invest in health workers") < html.index("Closed one")
    assert "2 confirmed signatures" in html

    cache.clear()
    with django_assert_max_num_queries(30) as few:
        client.get(index.url)
    few_queries = len(few.captured_queries)  # read now: the next request resets the log
    for i in range(5):
        services.campaign_create(index=index, title=f"More {i}", summary="x", slug=f"more-{i}")
    client.get(index.url)  # refill the per-process caches page creation cleared (site root paths)
    cache.clear()
    with django_assert_max_num_queries(few_queries):
        client.get(index.url)


def test_the_index_is_paginated(client, index):
    for i in range(14):
        services.campaign_create(index=index, title=f"Campaign {i}", summary="x", slug=f"c-{i}")
    assert client.get(index.url).content.decode().count('class="card campaign-card"') == 12
    second = client.get(index.url + "?page=2").content.decode()
    assert second.count('class="card campaign-card"') == 2
    assert client.get(index.url + "?page=nonsense").status_code == 200


def test_the_home_page_shows_the_current_campaign_or_the_empty_state(client, home_page, index):
    assert "No campaign is running at the moment." in client.get("/en/").content.decode()
    now = timezone.now()
    services.campaign_create(
        index=index, title="Older", summary="x", slug="older", opens_at=now - datetime.timedelta(days=9)
    )
    current = services.campaign_create(
        index=index,
        title="Current campaign title",
        summary="x",
        slug="current",
        opens_at=now - datetime.timedelta(days=1),
    )
    services.campaign_create(
        index=index, title="Not yet", summary="x", slug="not-yet", opens_at=now + datetime.timedelta(days=1)
    )
    confirmed(current, 3)
    assert campaign_current(locale=home_page.locale) == current
    cache.clear()
    html = client.get("/en/").content.decode()
    assert "Current campaign title" in html
    assert "3 confirmed signatures" in html
    assert f'href="{current.url}#sign-heading"' in html


def test_unknown_campaign_slugs_are_not_found(client, index):
    assert client.get(index.url + "no-such-campaign/").status_code == 404


def test_the_map_has_a_path_per_country_and_shades_by_count():
    paths = country_paths()
    assert {"FR", "KE", "BR", "US", "CN"} <= set(paths)
    assert "AQ" not in paths
    assert shade(0, 10) == 0 and shade(10, 10) == 5 and shade(1, 1) == 5
    assert 1 <= shade(1, 1000) < shade(100, 1000) < shade(1000, 1000)
    svg = choropleth_svg([("FR", 10), ("KE", 1)])
    assert 'class="map-shade-5"><title>France: 10</title>' in svg
    assert "<title>Brazil: 0</title>" in svg
    assert len(gzip.compress(svg.encode())) < 15_000


def test_countries_too_small_for_a_shape_appear_as_a_dot_once_someone_signs_there():
    assert "MT" not in country_paths()
    svg = choropleth_svg([("MT", 3), ("SG", 0), ("FR", 3)])
    assert 'class="map-shade-5"><title>Malta: 3</title></circle>' in svg
    assert "Singapore" not in svg


def test_the_demo_has_the_2021_declaration_open_without_invented_signatures(client, db):
    from django.core.management import call_command

    call_command("load_demo")
    declaration = CampaignPage.objects.get(slug="come-together-declaration", locale__language_code="en")
    assert declaration.kind == "declaration" and declaration.is_open()
    assert declaration.opens_at == datetime.datetime(2021, 4, 7, tzinfo=datetime.UTC)
    assert "unequal distribution of and unequal access" in str(declaration.body)
    assert not Signature.objects.exists()
    html = client.get(declaration.url).content.decode()
    assert "Endorse as an organisation" in html and "<strong>0</strong>" in html
    assert "Come Together for Bold Civil Society Action" in client.get("/en/").content.decode()
