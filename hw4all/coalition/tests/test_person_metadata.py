"""A person's directory page as schema.org Person: name, job title, organisation, page and
photo, and nothing of their account."""

import pytest
from wagtail_factories import ImageFactory

from hw4all.coalition.factories import OrganisationFactory, PersonFactory, user_in
from hw4all.core.tests.metadata import json_ld, meta
from hw4all.users.roles import MEMBER

pytestmark = pytest.mark.django_db


def test_a_person_is_a_person_affiliated_with_their_organisation(client):
    photo = ImageFactory()
    wemos = OrganisationFactory(name="Wemos", slug="wemos")
    # An account's person: the directory shows their public fields, never the account's.
    person = user_in(MEMBER, email="amina.private@example.org").person
    person.name, person.slug, person.job_title = "Amina Diallo", "amina-diallo", "Policy adviser"
    person.organisation, person.photo = wemos, photo
    person.save()
    response = client.get(person.get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Person"
    assert data["name"] == "Amina Diallo"
    assert data["jobTitle"] == "Policy adviser"
    assert data["url"] == f"http://testserver{person.get_absolute_url()}"
    assert data["affiliation"] == {
        "@type": "Organization",
        "name": "Wemos",
        "url": f"http://testserver{wemos.get_absolute_url()}",
    }
    assert data["image"].startswith("http://testserver/") and data["image"].endswith(".webp")
    assert meta(response, "og:image") == [data["image"]]
    assert meta(response, "og:type") == ["profile"]
    assert set(data) == {"@context", "@type", "name", "jobTitle", "url", "affiliation", "image"}
    assert "amina.private@example.org" not in response.content.decode()


def test_a_person_without_organisation_or_photo_leaves_them_out(client):
    person = PersonFactory(name="Jo Smith", slug="jo-smith", job_title="", organisation=None)
    data = json_ld(client.get(person.get_absolute_url()))
    assert set(data) == {"@context", "@type", "name", "url"}


def test_a_hostile_name_stays_in_the_data(client):
    hostile = "</script><script>alert(1)</script>\"'&"
    person = PersonFactory(name=hostile, slug="hostile")
    response = client.get(person.get_absolute_url())
    assert json_ld(response)["name"] == hostile
    assert "<script>alert(1)" not in response.content.decode()
