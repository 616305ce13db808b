import pytest

from hw4all.coalition.factories import OrganisationFactory, PersonFactory, ProjectFactory


@pytest.mark.django_db
def test_secretariat_edits_the_directory_in_the_admin(client, secretariat_user):
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation)
    project = ProjectFactory()
    client.force_login(secretariat_user)
    for model, obj in (("organisation", organisation), ("person", person), ("project", project)):
        assert client.get(f"/admin/snippets/coalition/{model}/").status_code == 200, model
        assert client.get(f"/admin/snippets/coalition/{model}/add/").status_code == 200, model
        assert client.get(f"/admin/snippets/coalition/{model}/edit/{obj.pk}/").status_code == 200, model
    html = client.get(f"/admin/snippets/coalition/project/edit/{project.pk}/").content.decode()
    assert "participations-TOTAL_FORMS" in html


# The rich text editor posts Draftail's JSON content state.
DRAFTAIL_TEXT = (
    '{"blocks": [{"key": "a", "type": "unstyled", "text": "Dutch health advocacy", "depth": 0,'
    ' "inlineStyleRanges": [], "entityRanges": [], "data": {}}], "entityMap": {}}'
)


@pytest.mark.django_db
def test_editing_an_organisation_keeps_a_revision(client, secretariat_user):
    organisation = OrganisationFactory(name="Wemos", slug="wemos")
    client.force_login(secretariat_user)
    response = client.post(
        f"/admin/snippets/coalition/organisation/edit/{organisation.pk}/",
        {
            "name": "Wemos Foundation",
            "acronym": "WEMOS",
            "slug": "wemos",
            "country": "NL",
            "type": "ngo",
            "website": "https://www.wemos.nl/",
            "description": DRAFTAIL_TEXT,
            "is_member": "on",
            "member_since": "2013-01-01",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Wemos Foundation"
    assert "Dutch health advocacy" in organisation.description
    assert organisation.revisions.count() == 1
