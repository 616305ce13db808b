import datetime

import pytest

from hw4all.coalition.factories import (
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    ProjectParticipationFactory,
)
from hw4all.coalition.models import CoalitionRole, ProjectRole
from hw4all.coalition.services import organisation_create, person_create


@pytest.mark.django_db
def test_organisation_page_shows_fields_people_and_project_roles(client):
    wemos = OrganisationFactory(
        name="Wemos",
        acronym="WEMOS",
        slug="wemos",
        country="NL",
        website="https://www.wemos.nl/",
        member_since=datetime.date(2013, 1, 1),
    )
    PersonFactory(
        name="Corinne Hinlopen", organisation=wemos, coalition_role=CoalitionRole.STEERING_COMMITTEE
    )
    project = ProjectFactory(
        acronym="HW4All", start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2015, 12, 31)
    )
    ProjectParticipationFactory(project=project, organisation=wemos, role=ProjectRole.COORDINATOR)
    html = client.get("/en/members/wemos/").content.decode()
    assert "<h1>Wemos" in html
    assert "Netherlands" in html
    assert "https://www.wemos.nl/" in html
    assert "Corinne Hinlopen" in html
    assert "Steering Committee member" in html
    assert "Coordinator of" in html
    assert "HW4All</a> 2013–2015" in html


@pytest.mark.permission("coalition:organisation_detail", "public")
@pytest.mark.permission("coalition:person_detail", "public")
@pytest.mark.permission("coalition:project_detail", "public")
@pytest.mark.django_db
def test_unknown_slugs_give_404(client):
    assert client.get("/en/members/nobody/").status_code == 404
    assert client.get("/en/people/nobody/").status_code == 404
    assert client.get("/en/projects/nothing/").status_code == 404


@pytest.mark.django_db
def test_an_organisation_cannot_take_the_people_slug():
    assert organisation_create(name="People").slug != "people"


@pytest.mark.django_db
def test_person_page(client):
    organisation = OrganisationFactory(name="Medicus Mundi International")
    PersonFactory(
        name="Thomas Schwarz",
        slug="thomas-schwarz",
        organisation=organisation,
        job_title="Executive secretary",
        bio="<p>Coordinates the network.</p>",
        coalition_role=CoalitionRole.STEERING_COMMITTEE,
    )
    html = client.get("/en/people/thomas-schwarz/").content.decode()
    assert "<h1>Thomas Schwarz</h1>" in html
    assert "Executive secretary" in html
    assert "Coordinates the network." in html
    assert "Medicus Mundi International" in html
    assert "Steering Committee member" in html


@pytest.mark.django_db
def test_person_page_links_to_their_articles_when_a_news_index_exists(client, news_index):
    PersonFactory(name="Linda Mans", slug="linda-mans")
    html = client.get("/en/people/linda-mans/").content.decode()
    assert f'href="{news_index.url}?author=linda-mans"' in html
    assert "Articles by Linda Mans" in html


@pytest.mark.django_db
def test_person_page_has_no_articles_link_without_a_news_index(client, home_page):
    PersonFactory(name="Linda Mans", slug="linda-mans")
    html = client.get("/en/people/linda-mans/").content.decode()
    assert "Articles by" not in html


@pytest.mark.django_db
def test_person_page_ignores_an_unpublished_news_index(client, news_index):
    news_index.unpublish()
    PersonFactory(name="Linda Mans", slug="linda-mans")
    assert "Articles by" not in client.get("/en/people/linda-mans/").content.decode()


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_detail_pages(client, hostile):
    organisation = organisation_create(
        name=hostile,
        acronym=hostile[:40],
        description=hostile,
        website="https://example.org/",
        slug="hostile",
    )
    person_create(name=hostile, organisation=organisation, job_title=hostile, bio=hostile, slug="hostile")
    for url in ("/en/members/hostile/", "/en/people/hostile/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert "<img src=x" not in html, url


@pytest.mark.django_db
def test_no_personal_email_on_person_page(client, make_user):
    user = make_user()
    PersonFactory(name="Account holder", slug="account-holder", user=user)
    assert user.email not in client.get("/en/people/account-holder/").content.decode()
