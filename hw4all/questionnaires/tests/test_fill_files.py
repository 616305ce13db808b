"""Files given as answers: accepted by content, refused when fake, executable or too large;
replaced and removed; downloaded only through the response's pages, as attachments."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.questionnaires import answers
from hw4all.questionnaires.models import Access, Response, ResponseFile
from hw4all.questionnaires.services.responses import response_start
from hw4all.questionnaires.tests.fill_data import form_create
from hw4all.questionnaires.tests.test_fill_views import page_data, url
from hw4all.users.roles import MEMBER, SECRETARIAT

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _reset(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    translation.activate("en")


@pytest.fixture
def response(db):
    return response_start(questionnaire=form_create())


def upload(client, response, name, content, **changes):
    response.refresh_from_db()
    data = page_data(response, cv=SimpleUploadedFile(name, content), **changes)
    return client.post(url("response", response), data)


def test_a_pdf_is_stored_and_downloaded_as_an_attachment(response):
    client = Client()
    reply = upload(client, response, "My CV.pdf", PDF)
    assert reply.status_code == 302
    stored = Response.objects.get(pk=response.pk)
    item = ResponseFile.objects.get(response=response)
    assert stored.answers["cv"] == {"id": item.pk, "name": "My CV.pdf", "size": len(PDF)}
    assert item.content_type == "application/pdf" and item.path == "cv"
    html = client.get(url("response", response)).content.decode()
    assert "Current file:" in html and url("file", response, file_id=item.pk) in html
    download = client.get(url("file", response, file_id=item.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # an executable named .pdf
        ("cv.pdf", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_files_that_are_not_what_is_accepted_are_refused(response, name, content):
    reply = upload(Client(), response, name, content, role="Nurse")
    html = reply.content.decode()
    assert reply.status_code == 422
    assert "This kind of file cannot be given" in html and 'href="#q-cv"' in html
    assert not ResponseFile.objects.exists()
    assert Response.objects.get(pk=response.pk).answers == {"role": "Nurse"}


def test_a_file_over_20_mb_is_refused_and_never_stored(response):
    reply = upload(Client(), response, "big.pdf", PDF + b"0" * answers.FILE_MAX_BYTES)
    assert reply.status_code == 422
    assert "The file is larger than 20 MB." in reply.content.decode()
    assert not ResponseFile.objects.exists()


def test_replacing_and_removing_a_file(response, tmp_path):
    client = Client()
    upload(client, response, "first.pdf", PDF)
    first = ResponseFile.objects.get()
    upload(client, response, "second.txt", b"Plain notes")
    second = ResponseFile.objects.get()
    assert second.pk != first.pk and second.content_type == "text/plain"
    assert not (tmp_path / first.file.name).exists()
    response.refresh_from_db()
    client.post(url("response", response), page_data(response, **{"cv__remove": "1"}))
    assert not ResponseFile.objects.exists()
    assert "cv" not in Response.objects.get(pk=response.pk).answers


@pytest.mark.permission("questionnaires:file", "object")
def test_a_file_of_another_response_cannot_be_claimed_or_downloaded(db):
    questionnaire = form_create()
    mine, theirs = response_start(questionnaire=questionnaire), response_start(questionnaire=questionnaire)
    upload(Client(), theirs, "secret.pdf", PDF)
    item = ResponseFile.objects.get(response=theirs)
    mine.refresh_from_db()
    Client().post(url("response", mine), page_data(mine, **{"cv__file": str(item.pk)}))
    assert "cv" not in Response.objects.get(pk=mine.pk).answers
    assert Client().get(url("file", mine, file_id=item.pk)).status_code == 404


@pytest.mark.permission("questionnaires:file", "object")
@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("member", 200), ("other", 403), ("secretary", 200)]
)
def test_files_of_an_identified_response_are_for_its_organisation(db, who, expected):
    organisation = OrganisationFactory(is_member=True)
    member = user_in(MEMBER, organisation=organisation)
    questionnaire = form_create(slug="members", access=Access.IDENTIFIED)
    response = response_start(questionnaire=questionnaire, user=member, organisation=organisation)
    owner = Client()
    owner.force_login(member)
    upload(owner, response, "plan.pdf", PDF)
    item = ResponseFile.objects.get()
    users = {
        "anonymous": None,
        "member": member,
        "other": user_in(MEMBER, organisation=OrganisationFactory(is_member=True)),
        "secretary": user_in(SECRETARIAT),
    }
    client = Client()
    if users[who]:
        client.force_login(users[who])
    assert client.get(url("file", response, file_id=item.pk)).status_code == expected


def test_an_uploaded_answer_is_shown_on_the_thank_you_page_as_a_link(response):
    client = Client()
    upload(client, response, "cv.pdf", PDF, role="Nurse", migrated="no", submit="1")
    item = ResponseFile.objects.get()
    done = client.get(reverse("questionnaires:done", kwargs={"slug": "workforce", "key": response.key}))
    assert f'href="{url("file", response, file_id=item.pk)}">cv.pdf</a>' in done.content.decode()
