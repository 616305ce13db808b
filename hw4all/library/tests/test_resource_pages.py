"""A resource's page: what it shows, who sees an unpublished one, permanent URLs, citations."""

import json

import bibtexparser
import pytest
import rispy
from django.core.files.base import ContentFile

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.library.factories import (
    ResourceAuthorFactory,
    ResourceFactory,
    ResourceFileFactory,
    TopicFactory,
    user_with_role,
)
from hw4all.library.models import Extraction, Status, TopicName
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def resource():
    resource = ResourceFactory(
        title="User's kit on the WHO Global Code of Practice",
        summary="First paragraph on recruitment.\n\nSecond paragraph on retention.",
        publisher="Wemos",
        year=2015,
        month=3,
        countries=["RO", "KE"],
        regions=["EUR", "AFR"],
        doi="10.1186/1478-4491-12-1",
        isbn="9780306406157",
        url="https://example.org/kit",
        topics=[TopicFactory(name="Ethical recruitment", slug="ethical-recruitment")],
    )
    ResourceAuthorFactory(resource=resource, name="Kamau, Wanjiru", sort_order=0)
    return resource


def test_page_shows_the_metadata(client, resource):
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="resource-title">User&#x27;s kit on the WHO Global Code of Practice</h1>' in page
    assert "<p>First paragraph on recruitment.</p>" in page
    assert "<p>Second paragraph on retention.</p>" in page
    assert "Report" in page
    assert "Kamau, Wanjiru" in page
    assert "Wemos" in page
    assert "2015-03" in page
    assert "Romania" in page and "Kenya" in page
    assert "Europe (WHO region)" in page and "Africa (WHO region)" in page
    assert "Ethical recruitment" in page
    assert "CC BY 4.0" in page
    assert 'href="https://doi.org/10.1186/1478-4491-12-1"' in page
    assert "9780306406157" in page
    assert 'href="https://example.org/kit"' in page


def test_page_in_french_names_topics_and_languages_in_french(client, resource):
    TopicName.objects.create(topic=resource.topics.get(), language="fr", name="Recrutement éthique")
    ResourceFileFactory(resource=resource, language="ro")
    page = client.get(f"/fr/library/{resource.pk}-{resource.slug}/").content.decode()
    assert "Recrutement éthique" in page
    assert "Roumain" in page or "roumain" in page


def test_authors_link_to_the_directory(client, resource):
    person = PersonFactory(name="Ana Popescu")
    organisation = OrganisationFactory(name="Nurses Without Borders")
    ResourceAuthorFactory(resource=resource, name="", person=person, sort_order=1)
    ResourceAuthorFactory(resource=resource, name="", organisation=organisation, sort_order=2)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert f'<a href="{person.get_absolute_url()}">Ana Popescu</a>' in page
    assert f'<a href="{organisation.get_absolute_url()}">Nurses Without Borders</a>' in page


def test_files_by_language_with_size_format_and_downloads(client, resource):
    ResourceFileFactory(
        resource=resource, language="en", file__data=b"x" * 2048, file__filename="kit-en.txt", downloads=5
    )
    ResourceFileFactory(
        resource=resource, language="ro", label="Ghidul utilizatorului", format="pdf", pages=12, downloads=2
    )
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "English" in page and "Romanian" in page
    assert page.index("English") < page.index("Romanian")
    assert "kit-en" in page
    assert "2.0\xa0KB" in page
    assert "Ghidul utilizatorului" in page
    assert "PDF" in page and "12 pages" in page
    assert "downloaded 5 times" in page
    assert "7 downloads in all" in page


def test_pdf_preview_image_with_alt_text(client, resource):
    file = ResourceFileFactory(resource=resource, format="pdf")
    file.preview.save("1.webp", ContentFile(b"RIFF....WEBP"), save=True)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert f'src="{file.preview.url}"' in page
    assert 'alt="First page of User&#x27;s kit on the WHO Global Code of Practice"' in page


def test_no_preview_without_a_pdf(client, resource):
    ResourceFileFactory(resource=resource)
    assert "First page of" not in client.get(resource.get_absolute_url()).content.decode()


def test_hostile_text_is_escaped(client):
    resource = ResourceFactory(title=HOSTILE, summary=HOSTILE, publisher=HOSTILE)
    ResourceAuthorFactory(resource=resource, name=HOSTILE)
    ResourceFileFactory(resource=resource, label=HOSTILE)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_related_resources_only_published(client, resource):
    published = ResourceFactory(title="Kampala Declaration")
    waiting = ResourceFactory(title="A draft nobody approved", status=Status.SUBMITTED)
    resource.related.set([published, waiting])
    resource.save()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Kampala Declaration" in page
    assert "A draft nobody approved" not in page


def test_suggested_citation_and_export_links(client, resource):
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Kamau, W. (2015). User&#x27;s kit on the WHO Global Code of Practice. Wemos." in page
    for format in ("bib", "ris", "json"):
        assert f"/en/library/{resource.pk}-{resource.slug}/cite.{format}" in page


@pytest.mark.permission("library:resource_detail_short", "public")
def test_old_slug_and_short_url_redirect_permanently(client, resource):
    canonical = resource.get_absolute_url()
    for old in (f"/en/library/{resource.pk}-an-older-title/", f"/en/library/{resource.pk}/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == canonical
    resource.title = "A new title"
    resource.slug = "a-new-title"
    resource.save()
    response = client.get(canonical)
    assert response.status_code == 301
    assert response["Location"] == f"/en/library/{resource.pk}-a-new-title/"


def test_unknown_id_is_not_found(client):
    assert client.get("/en/library/999999-anything/").status_code == 404


@pytest.mark.permission("library:resource_detail", "public")
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DECLINED])
def test_unpublished_resource_is_hidden(client, status):
    submitter = user_with_role(MEMBER, email="submitter@example.org")
    resource = ResourceFactory(status=status, submitted_by=submitter)
    file = ResourceFileFactory(resource=resource)
    url = resource.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(file.get_absolute_url()).status_code == 404
    assert client.get(url + "cite.bib").status_code == 404
    for role, email in ((MEMBER, "other@example.org"), (REVIEWER, "reviewer@example.org")):
        client.force_login(user_with_role(role, email=email))
        assert client.get(url).status_code == 404
        assert client.get(file.get_absolute_url()).status_code == 404


@pytest.mark.permission("library:resource_detail", "object")
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DECLINED])
def test_unpublished_resource_shown_to_its_submitter_and_the_secretariat(client, status):
    submitter = user_with_role(MEMBER, email="submitter@example.org")
    resource = ResourceFactory(
        status=status, submitted_by=submitter, decision_note="Not about health workers."
    )
    for user in (submitter, user_with_role(SECRETARIAT)):
        client.force_login(user)
        response = client.get(resource.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        if status == Status.SUBMITTED:
            assert "Waiting for approval." in page
        else:
            assert "Declined." in page
            assert "Not about health workers." in page


def test_extraction_message_only_for_submitter_and_secretariat(client):
    submitter = user_with_role(MEMBER, email="submitter@example.org")
    resource = ResourceFactory(submitted_by=submitter)
    ResourceFileFactory(
        resource=resource, extraction=Extraction.FAILED, extraction_message="This is not a PDF file."
    )
    url = resource.get_absolute_url()
    assert "This is not a PDF file." not in client.get(url).content.decode()
    client.force_login(user_with_role(MEMBER, email="other@example.org"))
    assert "This is not a PDF file." not in client.get(url).content.decode()
    for user in (submitter, user_with_role(SECRETARIAT)):
        client.force_login(user)
        assert "This is not a PDF file." in client.get(url).content.decode()


def test_citation_exports(client, resource):
    base = f"/en/library/{resource.pk}-{resource.slug}/cite"

    response = client.get(base + ".bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert f'filename="hw4all-{resource.pk}.bib"' in response["Content-Disposition"]
    [entry] = bibtexparser.parse_string(response.content.decode()).entries
    assert entry.fields_dict["doi"].value == "10.1186/1478-4491-12-1"

    response = client.get(base + ".ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    [entry] = rispy.loads(response.content.decode())
    assert entry["primary_title"] == resource.title

    response = client.get(base + ".json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    [item] = json.loads(response.content)
    assert item["title"] == resource.title
    assert item["DOI"] == "10.1186/1478-4491-12-1"


@pytest.mark.permission("library:resource_cite", "public")
def test_citation_unknown_format_and_old_slug(client, resource):
    assert client.get(f"/en/library/{resource.pk}-{resource.slug}/cite.docx").status_code == 404
    response = client.get(f"/en/library/{resource.pk}-old/cite.ris")
    assert response.status_code == 301
    assert response["Location"] == f"/en/library/{resource.pk}-{resource.slug}/cite.ris"


def test_page_query_count_does_not_grow_with_files(client, resource, django_assert_max_num_queries):
    for language in ("en", "fr", "es", "pt", "ro"):
        ResourceFileFactory(resource=resource, language=language)
        ResourceAuthorFactory(resource=resource, person=PersonFactory(), name="")
    with django_assert_max_num_queries(15):
        assert client.get(resource.get_absolute_url()).status_code == 200
