"""The models' own behaviour: slugs, canonical URLs, dates, download totals, citations' record."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.library.factories import (
    ResourceAuthorFactory,
    ResourceFactory,
    ResourceFileFactory,
    TopicFactory,
)
from hw4all.library.models import ResourceFile, TopicName

pytestmark = pytest.mark.django_db


def test_slug_from_title_and_url_with_id():
    resource = ResourceFactory(title="Code of Practice: a user's guide")
    assert resource.slug == "code-of-practice-a-users-guide"
    assert resource.get_absolute_url() == f"/en/library/{resource.pk}-code-of-practice-a-users-guide/"


def test_slug_keeps_non_latin_letters():
    resource = ResourceFactory(title="Кадры здравоохранения")
    assert resource.slug == "кадры-здравоохранения"


def test_date_text_shows_only_what_is_known():
    assert ResourceFactory(year=2015, month=None, day=None).date_text() == "2015"
    assert ResourceFactory(year=2015, month=3, day=None).date_text() == "2015-03"
    assert ResourceFactory(year=2015, month=3, day=9).date_text() == "2015-03-09"
    assert ResourceFactory(year=None).date_text() == ""


def test_download_count_adds_the_files():
    resource = ResourceFactory()
    ResourceFileFactory(resource=resource, downloads=3)
    ResourceFileFactory(resource=resource, language="ro", downloads=4)
    assert resource.download_count() == 7
    assert resource.languages() == ["en", "ro"]


def test_new_file_records_its_size():
    file = ResourceFileFactory(file__data=b"x" * 1234)
    assert file.size == 1234


def test_topic_name_in_a_language_falls_back_to_english():
    topic = TopicFactory(name="Task shifting", slug="task-shifting")
    TopicName.objects.create(topic=topic, language="fr", name="Délégation des tâches")
    assert topic.name_in("fr") == "Délégation des tâches"
    assert topic.name_in("ro") == "Task shifting"


def test_authors_link_to_the_directory():
    resource = ResourceFactory()
    person = PersonFactory(name="Wanjiru Kamau")
    organisation = OrganisationFactory(name="Wemos")
    ResourceAuthorFactory(resource=resource, name="", person=person, sort_order=0)
    ResourceAuthorFactory(resource=resource, name="", organisation=organisation, sort_order=1)
    ResourceAuthorFactory(resource=resource, name="Smith, Jane", sort_order=2)
    authors = list(resource.authors.all())
    assert [author.display_name() for author in authors] == ["Wanjiru Kamau", "Wemos", "Smith, Jane"]
    assert authors[0].get_absolute_url() == person.get_absolute_url()
    assert authors[2].get_absolute_url() is None
    record = resource.as_record()
    assert [str(author) for author in record.authors] == ["Kamau, Wanjiru", "Wemos", "Smith, Jane"]


def test_a_file_over_the_upload_limit_is_refused_by_the_model(settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    resource = ResourceFactory()
    small = ResourceFile(resource=resource, language="en", file=SimpleUploadedFile("a.txt", b"x" * 1024))
    small.full_clean()
    large = ResourceFile(
        resource=resource, language="en", file=SimpleUploadedFile("b.txt", b"x" * (1024 * 1024 + 1))
    )
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        large.full_clean()
