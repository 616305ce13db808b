"""The disk fills while a member's upload or an editor's document is stored.

The server runs with a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that the process
is not killed): writing a file past the limit fails with EFBIG from the kernel, where a full
disk fails with ENOSPC, through the same OSError in Django's storage. Chosen over a small tmpfs,
which needs root to mount: it works the same on a developer's machine and in CI, as root or not.
The limit is set above the size of the SQLite database files, which the server's writes here do
not reach, so that only the upload meets it."""

import pytest
from wagtail.documents.models import Document

from hw4all.library.factories import user_with_role
from hw4all.library.models import Resource
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MIB = 1024 * 1024


def _form(title: str, rows: int) -> dict:
    form = {
        "title": title,
        "kind": "case-study",
        "summary": "How nurses move within the EU.",
        "authors": "Popescu, Ana",
        "year": "2014",
        "countries": ["RO"],
        "licence": "CC-BY-4.0",
        "files-TOTAL_FORMS": str(rows),
        "files-INITIAL_FORMS": "0",
    }
    for row in range(rows):
        form[f"files-{row}-language"] = "en"
        form[f"files-{row}-label"] = f"Part {row + 1}"
    return form


def test_an_upload_that_fills_the_disk_is_refused_with_nothing_left_behind(limited_server, home_page):
    server, limit = limited_server, limited_server.file_size_limit
    member = user_with_role(MEMBER, email="member@example.org")
    visitor = server.visitor(member)
    stored_before = server.stored_files()
    small = b"Health workers for all: recruitment.\n" * 300
    large = b"Retention of nurses in rural districts.\n" * (limit // 40 + 20_000)

    # The first file fits, the second does not: neither is kept, nor the resource.
    answer = visitor.post(
        "/en/library/submit/",
        _form("Nurses' migration from Romania", rows=2),
        {"files-0-file": ("summary.txt", small), "files-1-file": ("report.txt", large)},
    )
    assert answer.status == 200, answer.text[:2000]
    assert "The server could not store the file" in answer.text
    assert 'value="Nurses&#x27; migration from Romania"' in answer.text  # what was typed is kept
    assert "Traceback" not in answer.text
    assert not Resource.objects.filter(title="Nurses' migration from Romania").exists()
    assert server.stored_files() == stored_before

    # Files that fit are stored by the same server afterwards.
    answer = visitor.post(
        "/en/library/submit/",
        _form("Nurses' migration from Romania", rows=1),
        {"files-0-file": ("s.txt", small)},
    )
    assert answer.status == 302, answer.text[:2000]
    resource = Resource.objects.get(title="Nurses' migration from Romania")
    assert [file.size for file in resource.files.all()] == [len(small)]
    assert len(server.stored_files()) == len(stored_before) + 1


def test_an_editors_document_that_fills_the_disk_answers_503_with_nothing_left_behind(
    limited_server, home_page
):
    server, limit = limited_server, limited_server.file_size_limit
    editor = user_create(email="secretariat@example.org", roles=(SECRETARIAT,))
    visitor = server.visitor(editor)
    stored_before = server.stored_files()
    large = b"%PDF-1.4\n" + b"0" * (limit + MIB)

    answer = visitor.post(
        "/admin/documents/add/", {"title": "Annual report"}, {"file": ("report.pdf", large)}
    )
    assert answer.status == 503, answer.text[:2000]
    assert "The server could not store the file" in answer.text
    assert "Traceback" not in answer.text
    assert not Document.objects.filter(title="Annual report").exists()
    assert server.stored_files() == stored_before

    answer = visitor.post(
        "/admin/documents/add/", {"title": "Annual report"}, {"file": ("report.pdf", b"%PDF-1.4\n" * 100)}
    )
    assert answer.status == 302, answer.text[:2000]
    assert Document.objects.filter(title="Annual report").count() == 1
    assert len(server.stored_files()) == len(stored_before) + 1
