"""Images and documents uploaded through the admin are limited in type and size by settings."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from hw4all.users.roles import SECRETARIAT
from hw4all.users.services import user_create


def _png(size: int = 64) -> bytes:
    # Random pixels do not compress, so the file's size follows the image's.
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor_client(client, db):
    client.force_login(user_create(email="secretariat@example.org", roles=(SECRETARIAT,)))
    return client


def test_a_valid_image_is_stored(editor_client):
    response = editor_client.post(
        "/admin/images/add/", {"title": "Logo", "file": SimpleUploadedFile("logo.png", _png(), "image/png")}
    )

    assert response.status_code == 302
    assert Image.objects.filter(title="Logo").exists()


def test_too_large_image_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2000
    data = _png(64)
    assert len(data) > 2000

    response = editor_client.post(
        "/admin/images/add/", {"title": "Huge", "file": SimpleUploadedFile("huge.png", data, "image/png")}
    )

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
    ],
)
def test_wrong_image_type_is_refused(editor_client, name, content, content_type):
    response = editor_client.post(
        "/admin/images/add/", {"title": "Wrong", "file": SimpleUploadedFile(name, content, content_type)}
    )

    assert response.status_code == 200
    html = response.content.decode()
    # Wagtail checks the extension, Django's ImageField the content; either explains why.
    assert "Not a supported image format" in html or "Upload a valid image" in html
    assert not Image.objects.exists()


def test_a_valid_document_is_stored(editor_client):
    response = editor_client.post(
        "/admin/documents/add/",
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", "application/pdf")},
    )

    assert response.status_code == 302
    assert Document.objects.filter(title="Report").exists()


def test_too_large_document_is_refused(editor_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100

    response = editor_client.post(
        "/admin/documents/add/",
        {
            "title": "Huge",
            "file": SimpleUploadedFile("huge.pdf", b"%PDF-1.4 " + b"x" * 500, "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["macro.docm", "page.html", "run.exe"])
def test_wrong_document_type_is_refused(editor_client, name):
    response = editor_client.post(
        "/admin/documents/add/",
        {"title": "Wrong", "file": SimpleUploadedFile(name, b"content", "application/octet-stream")},
    )

    assert response.status_code == 200
    assert "File extension" in response.content.decode()
    assert not Document.objects.exists()
