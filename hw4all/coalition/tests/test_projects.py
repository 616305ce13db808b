import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hw4all.coalition.factories import OrganisationFactory, ProjectFactory
from hw4all.coalition.models import ProjectRole
from hw4all.coalition.services import project_create, project_participation_add


@pytest.fixture
def hw4all_project(db):
    commission = OrganisationFactory(name="European Commission", type="funder", is_member=False)
    project = project_create(
        title="Health workers for all and all for health workers",
        acronym="HW4All",
        slug="hw4all",
        start_date=datetime.date(2013, 1, 1),
        end_date=datetime.date(2015, 12, 31),
        funder=commission,
        grant_number="DCI-NSAED/2011/106",
        summary="A European civil society initiative.",
        description="<p>Advocacy for the WHO Code.</p>",
        outputs="<ul><li>Case studies</li></ul>",
    )
    wemos = OrganisationFactory(name="Wemos", country="NL")
    amref = OrganisationFactory(name="Amref Flying Doctors", country="NL")
    project_participation_add(project=project, organisation=wemos, role=ProjectRole.COORDINATOR)
    project_participation_add(project=project, organisation=amref, role=ProjectRole.PARTNER, country="IT")
    return project


def test_project_page(client, hw4all_project):
    html = client.get("/en/projects/hw4all/").content.decode()
    assert "Health workers for all and all for health workers" in html
    assert "DCI-NSAED/2011/106" in html
    assert "European Commission" in html
    assert "Advocacy for the WHO Code." in html
    assert "<li>Case studies</li>" in html
    assert "Coordinator" in html
    assert "Wemos" in html
    # A partner is shown with the country it took part from, not its seat.
    assert "Amref Flying Doctors" in html
    assert "Italy" in html


def test_project_list(client, hw4all_project):
    html = client.get("/en/projects/").content.decode()
    assert "HW4All" in html
    assert "2013–2015" in html
    assert 'href="/en/projects/hw4all/"' in html


@pytest.mark.django_db
def test_project_list_query_count_is_constant(client, django_assert_max_num_queries):
    ProjectFactory.create_batch(2, funder=OrganisationFactory())
    with CaptureQueriesContext(connection) as context:
        client.get("/en/projects/")
    baseline = len(context.captured_queries)
    ProjectFactory.create_batch(15, funder=OrganisationFactory())
    with django_assert_max_num_queries(baseline):
        client.get("/en/projects/")


@pytest.mark.django_db
def test_project_detail_query_count_is_constant(client, django_assert_max_num_queries):
    project = ProjectFactory(slug="p")
    project_participation_add(project=project, organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as context:
        client.get("/en/projects/p/")
    baseline = len(context.captured_queries)
    for _ in range(8):
        project_participation_add(project=project, organisation=OrganisationFactory())
    with django_assert_max_num_queries(baseline):
        client.get("/en/projects/p/")


@pytest.mark.django_db
def test_end_before_start_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        project_create(
            title="Backwards", start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2013, 1, 1)
        )


@pytest.mark.django_db
def test_hostile_project_text_is_escaped(client, hostile):
    project_create(
        title=hostile,
        acronym="x",
        slug="hostile",
        summary=hostile,
        description=hostile,
        outputs=hostile,
        grant_number=hostile[:100],
    )
    for url in ("/en/projects/hostile/", "/en/projects/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert "<img src=x" not in html, url
