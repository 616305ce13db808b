"""Downloading a file: counted once per GET, PDFs open in the browser, anything else is saved and
never rendered from the site's origin, and the page cache never answers in the view's place."""

import pytest

from hw4all.library.factories import ResourceFactory, ResourceFileFactory
from hw4all.library.models import ResourceFile

pytestmark = pytest.mark.django_db


def downloads(file: ResourceFile) -> int:
    file.refresh_from_db()
    return file.downloads


def test_each_get_counts_one_download(client):
    file = ResourceFileFactory(file__data=b"Recruitment and retention.\n")
    for expected in (1, 2, 3):
        response = client.get(file.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"Recruitment and retention.\n"
        assert downloads(file) == expected


def test_head_does_not_count(client):
    file = ResourceFileFactory()
    assert client.head(file.get_absolute_url()).status_code == 200
    assert downloads(file) == 0


def test_post_is_refused(client):
    file = ResourceFileFactory()
    assert client.post(file.get_absolute_url()).status_code == 405
    assert downloads(file) == 0


def test_download_count_shown_on_the_page(client):
    file = ResourceFileFactory()
    client.get(file.get_absolute_url())
    client.get(file.get_absolute_url())
    page = client.get(file.resource.get_absolute_url()).content.decode()
    assert "downloaded 2 times" in page


def test_pdf_opens_inline(client):
    file = ResourceFileFactory(file__filename="kit.pdf", file__data=b"%PDF-1.4\n", format="pdf")
    response = client.get(file.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        # Named .pdf but not read as a PDF: it is saved, not opened.
        ("fake.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_anything_else_is_an_attachment_never_sniffed(client, filename, data):
    file = ResourceFileFactory(file__filename=filename, file__data=data, format="")
    response = client.get(file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.permission("library:file_download", "object")
def test_file_of_another_resource_is_not_found(client):
    file = ResourceFileFactory()
    other = ResourceFactory()
    assert client.get(f"/en/library/{other.pk}-{other.slug}/files/{file.pk}/").status_code == 404
    assert downloads(file) == 0


def test_missing_file_on_disk_is_not_found(client):
    file = ResourceFileFactory()
    file.file.storage.delete(file.file.name)
    assert client.get(file.get_absolute_url()).status_code == 404
    assert downloads(file) == 0


def test_downloads_bypass_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    file = ResourceFileFactory()
    for _ in range(3):
        response = client.get(file.get_absolute_url())
        assert response.get("X-Cache") != "hit"
        assert "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    assert downloads(file) == 3


def test_storage_without_local_files_redirects_and_counts(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://files.example.org/"},
        },
    }
    file = ResourceFileFactory()
    response = client.get(file.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"https://files.example.org/{file.file.name}"
    assert downloads(file) == 1
