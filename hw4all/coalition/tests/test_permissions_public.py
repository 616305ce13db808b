"""Who may use the directory's addresses: members, partners, people and projects are public, so
each page and API operation answers an anonymous visitor as it answers a member, and a person's
account (their email address) never shows through any of them; the application form is open to
anyone."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, ProjectParticipationFactory, user_in
from hw4all.users.roles import MEMBER

pytestmark = pytest.mark.django_db

EMAIL = "linda.private@example.org"


@pytest.fixture
def directory():
    organisation = OrganisationFactory(name="Wemos", slug="wemos")
    # A member's account comes with their person in the directory.
    person = user_in(MEMBER, email=EMAIL, organisation=organisation).person
    person.name, person.slug = "Linda Mans", "linda-mans"
    person.save()
    participation = ProjectParticipationFactory(organisation=organisation)
    return {"organisation": organisation, "person": person, "project": participation.project}


def visitors() -> dict[str, Client]:
    member = Client()
    member.force_login(user_in(MEMBER, email="another.member@example.org"))
    return {"anonymous": Client(), "member": member}


PAGES = [
    ("coalition:directory", None),
    ("coalition:people", None),
    ("coalition:organisation_detail", "organisation"),
    ("coalition:person_detail", "person"),
    ("coalition:project_index", None),
    ("coalition:project_detail", "project"),
    ("coalition:application_create", None),
    ("coalition:application_thanks", None),
]


@pytest.mark.permission("coalition:directory", "public")
@pytest.mark.permission("coalition:people", "public")
@pytest.mark.permission("coalition:organisation_detail", "public")
@pytest.mark.permission("coalition:person_detail", "public")
@pytest.mark.permission("coalition:project_index", "public")
@pytest.mark.permission("coalition:project_detail", "public")
@pytest.mark.permission("coalition:application_create", "public")
@pytest.mark.permission("coalition:application_thanks", "public")
@pytest.mark.parametrize(("name", "kind"), PAGES, ids=[name for name, _ in PAGES])
def test_every_directory_page_is_open_to_everyone(directory, name, kind):
    args = [directory[kind].slug] if kind else []
    for who, client in visitors().items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, who
        assert EMAIL not in response.content.decode()


OPERATIONS = [
    "organisations",
    "organisations/wemos",
    "people",
    "people/linda-mans",
    "projects",
    "projects/{project}",
]


@pytest.mark.permission("hw4all_coalition_api_organisation_list", "public")
@pytest.mark.permission("hw4all_coalition_api_organisation_get", "public")
@pytest.mark.permission("hw4all_coalition_api_person_list", "public")
@pytest.mark.permission("hw4all_coalition_api_person_get", "public")
@pytest.mark.permission("hw4all_coalition_api_project_list", "public")
@pytest.mark.permission("hw4all_coalition_api_project_get", "public")
@pytest.mark.parametrize("path", OPERATIONS)
def test_every_directory_operation_answers_everyone_alike_without_accounts(directory, path):
    url = "/api/v1/directory/" + path.format(project=directory["project"].slug)
    answers = {who: client.get(url) for who, client in visitors().items()}
    assert {who: answer.status_code for who, answer in answers.items()} == dict.fromkeys(answers, 200)
    assert answers["anonymous"].json() == answers["member"].json()
    assert EMAIL not in answers["anonymous"].content.decode()
