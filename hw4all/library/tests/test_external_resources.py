"""Entries another app keeps in the library (a practices case study): created, updated and
removed under their key, found by the search through their text, never taken over by an import."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hw4all.library import records, search, services
from hw4all.library.models import Kind, Resource, Status

pytestmark = pytest.mark.django_db

URL = "https://hw4all.example/en/practices/12-retaining-rural-nurses/"


def upsert(**changes):
    fields = {
        "key": "practices:12",
        "title": "Retaining rural nurses",
        "summary": "Housing and career paths kept nurses in rural districts.",
        "url": URL,
        "kind": Kind.CASE_STUDY,
        "countries": ["KE", "UG"],
        "year": 2024,
        "text": "The practice\n\nStaff housing and a hardship allowance in Turkana.",
    } | changes
    return services.resource_external_upsert(**fields)


def found(query: str) -> list[int]:
    return [hit.resource_id for hit in search.search(query=query).hits]


@pytest.fixture
def entry(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return upsert()


def test_an_entry_is_a_published_case_study_pointing_at_the_page(entry):
    resource = Resource.objects.get()
    assert resource == entry
    assert (resource.kind, resource.status, resource.url, resource.year) == (
        Kind.CASE_STUDY,
        Status.PUBLISHED,
        URL,
        2024,
    )
    assert sorted(str(country) for country in resource.countries) == ["KE", "UG"]
    assert resource.import_key == "practices:12"
    assert resource.summary.startswith("Housing and career paths")


def test_the_search_finds_it_by_title_summary_and_text(entry):
    assert found("rural nurses") == [entry.pk]
    assert found("career") == [entry.pk]
    assert found("Turkana") == [entry.pk]
    assert found("allowances") == [entry.pk]  # a stem of the text's "allowance"


def test_the_search_page_links_to_the_entry_whose_page_links_to_the_case(client, entry):
    results = client.get("/en/library/", {"q": "Turkana"}).content.decode()
    assert entry.get_absolute_url() in results
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert f'href="{URL}"' in detail
    api = client.get("/api/v1/library/resources", {"q": "Turkana", "kind": "case-study"}).json()
    assert [item["id"] for item in api["items"]] == [entry.pk]


def test_an_upsert_updates_the_same_entry_and_its_index(entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        again = upsert(title="Keeping nurses in Turkana", text="Mentoring by senior midwives.")
    assert again.pk == entry.pk and Resource.objects.count() == 1
    assert found("Keeping") == [entry.pk]
    assert found("midwives") == [entry.pk]
    assert found("hardship") == []


def test_an_upsert_that_changes_nothing_writes_nothing(entry):
    with CaptureQueriesContext(connection) as captured:
        upsert()
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert statements.count("SELECT") == 1
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)


def test_an_edit_in_the_admin_does_not_lose_the_entry(entry, django_capture_on_commit_callbacks):
    # Resource.save() computes the import key from the address, as an edit in the admin does.
    entry.publisher = "Health Workers for All"
    entry.save()
    assert Resource.objects.get().import_key == records.url_normalise(URL)
    with django_capture_on_commit_callbacks(execute=True):
        upsert(title="Retaining rural nurses in Kenya")
    resource = Resource.objects.get()
    assert (resource.pk, resource.import_key, resource.title) == (
        entry.pk,
        "practices:12",
        "Retaining rural nurses in Kenya",
    )


def test_an_import_never_takes_the_entry_over(entry):
    record = records.ResourceRecord(
        title="Another report", kind=Kind.REPORT, doi="10.1234/practices-12", url="https://example.org/12"
    )
    imported, created = services.resource_from_record(record)
    assert created and imported.pk != entry.pk
    assert Resource.objects.get(pk=entry.pk).title == "Retaining rural nurses"


@pytest.mark.parametrize("key", ["12", "https://hw4all.example/12", "doi:10.1/x", "practices:", ":12"])
def test_a_key_that_could_collide_with_an_import_is_refused(db, key):
    with pytest.raises(ValueError):
        upsert(key=key)


def test_an_unknown_kind_or_an_address_that_is_not_a_web_address_is_refused(db):
    with pytest.raises(ValueError):
        upsert(kind="rumour")
    with pytest.raises(ValueError):
        upsert(url="javascript:alert(1)")
    assert not Resource.objects.exists()


def test_removal_takes_it_out_of_the_library_and_the_index(client, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resource_external_remove(key="practices:12") is True
    assert not Resource.objects.exists()
    assert found("Turkana") == []
    assert client.get(entry.get_absolute_url()).status_code == 404
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM library_search")
        assert cursor.fetchone()[0] == 0
    assert services.resource_external_remove(key="practices:12") is False


def test_removal_by_address_after_an_edit_in_the_admin(entry, django_capture_on_commit_callbacks):
    entry.save()
    assert services.resource_external_remove(key="practices:12") is False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resource_external_remove(key="practices:12", url=URL) is True
    assert found("Turkana") == []


def test_markup_in_the_text_is_shown_as_text(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = upsert(title="<script>alert(1)</script>", text="<img src=x onerror=alert(2)> Turkana")
    results = client.get("/en/library/", {"q": "Turkana"}).content.decode()
    detail = client.get(entry.get_absolute_url()).content.decode()
    for html in (results, detail):
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
