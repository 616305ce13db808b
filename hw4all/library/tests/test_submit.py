"""Members add resources; the Secretariat is told; bad input is refused with a message and the
member keeps what they typed; oversized uploads are stopped while the body is read."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hw4all.library.factories import ResourceFactory, TopicFactory, user_with_role
from hw4all.library.models import Extraction, Resource, Status, TopicName
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db

URL = "/en/library/submit/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def member(client):
    user = user_with_role(MEMBER, email="member@example.org")
    client.force_login(user)
    return user


def management(rows: int = 4) -> dict:
    return {"files-TOTAL_FORMS": str(rows), "files-INITIAL_FORMS": "0"}


def text_file(name: str = "report.txt", data: bytes = b"Health workers for all: recruitment.\n"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def form_data(**overrides) -> dict:
    data = {
        "title": "Nurses' migration from Romania",
        "kind": "case-study",
        "summary": "How Romanian nurses move within the EU.\n\nWhat it means for retention.",
        "authors": "Popescu, Ana\nWemos",
        "publisher": "Health Workers for All",
        "year": "2014",
        "month": "6",
        "day": "",
        "countries": ["RO", "DE"],
        "regions": ["EUR"],
        "licence": "CC-BY-4.0",
        "doi": "https://doi.org/10.1186/1478-4491-12-99",
        "isbn": "",
        "url": "",
        **management(),
        "files-0-language": "en",
        "files-0-file": text_file(),
        "files-0-label": "Full report",
        "files-1-language": "en",
        "files-2-language": "en",
        "files-3-language": "en",
    }
    data.update(overrides)
    return data


def browser_form(page: str) -> dict:
    """What a browser sends for the form as it is shown: every field with its default value."""
    form = BeautifulSoup(page, "html.parser").find("form", enctype="multipart/form-data")
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("file", "submit"):
            continue
        if field.name == "select":
            chosen = field.find_all("option", selected=True) or (
                [] if field.has_attr("multiple") else [field.option]
            )
            data[name] = (
                [option["value"] for option in chosen] if field.has_attr("multiple") else chosen[0]["value"]
            )
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
        else:
            data[name] = field.get("value", "") if field.name == "input" else field.text.strip()
    return data


def test_the_form_as_a_browser_sends_it_needs_only_one_file(client, member):
    data = browser_form(client.get(URL).content.decode())
    data.update(
        {"title": "Retention in rural Kenya", "summary": "A case study.", "files-0-file": text_file()}
    )
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()
    assert Resource.objects.get().files.count() == 1


@pytest.mark.permission("library:resource_submit", "authenticated")
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/library/submit/")
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert not Resource.objects.exists()


@pytest.mark.permission("library:resource_submit", "role")
@pytest.mark.parametrize("role", [None, REVIEWER, STEERING_COMMITTEE])
def test_accounts_without_the_member_role_are_forbidden(client, role):
    client.force_login(user_with_role(role))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only members can add resources" in response.content.decode()
    assert client.post(URL, form_data()).status_code == 403
    assert not Resource.objects.exists()


@pytest.mark.parametrize("role", [MEMBER, SECRETARIAT])
def test_members_and_secretariat_see_the_form(client, role):
    client.force_login(user_with_role(role))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "at most 50.0\xa0MB" in page
    assert 'name="files-0-file"' in page and 'name="files-3-file"' in page


def test_topics_are_offered_in_the_page_language(client, member):
    topic = TopicFactory(name="Task shifting", slug="task-shifting")
    TopicName.objects.create(topic=topic, language="fr", name="Délégation des tâches")
    assert "Délégation des tâches" in client.get("/fr/library/submit/").content.decode()


def test_submission_is_stored_waiting_and_listed(client, member, django_capture_on_commit_callbacks):
    topic = TopicFactory(name="Task shifting", slug="task-shifting")
    data = form_data(topics=[str(topic.pk)])
    data.update(
        {"files-1-language": "ro", "files-1-file": text_file("raport.txt", b"Lucratori in sanatate.\n")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    resource = Resource.objects.get()
    assert resource.status == Status.SUBMITTED
    assert resource.submitted_by == member
    assert resource.title == "Nurses' migration from Romania"
    assert resource.kind == "case-study"
    assert (resource.year, resource.month, resource.day) == (2014, 6, None)
    assert [str(country) for country in resource.countries] == ["DE", "RO"]
    assert resource.regions == ["EUR"]
    assert list(resource.topics.all()) == [topic]
    assert resource.doi == "10.1186/1478-4491-12-99"
    assert [author.display_name() for author in resource.authors.all()] == ["Popescu, Ana", "Wemos"]
    files = {file.language: file for file in resource.files.all()}
    assert set(files) == {"en", "ro"}
    assert files["en"].label == "Full report"
    # Tasks run at once in tests: the text is read.
    assert files["ro"].extraction == Extraction.DONE
    assert "Lucratori" in files["ro"].text

    page = client.get(URL).content.decode()
    assert "is waiting for approval" in page
    assert "The Secretariat reviews every submission" in page
    assert "Your submissions" in page
    assert resource.get_absolute_url() in page
    assert "Waiting for approval" in page

    [notice] = mail.outbox
    assert notice.to == ["secretariat@hw4all.org"]
    assert "Nurses' migration from Romania" in notice.subject
    assert "/admin/snippets/library/resource/?status=submitted" in notice.body


def test_fake_pdf_is_stored_and_its_message_shown_to_the_submitter(
    client, member, django_capture_on_commit_callbacks
):
    fake = text_file("kit.pdf", b"This is a text file, not a PDF.\n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(**{"files-0-file": fake}))
    resource = Resource.objects.get()
    file = resource.files.get()
    assert file.extraction_message
    assert file.format != "pdf"
    page = client.get(resource.get_absolute_url()).content.decode()
    assert file.extraction_message.replace("'", "&#x27;") in page
    assert "Waiting for approval." in page


def test_errors_keep_what_was_typed_and_say_to_choose_files_again(client, member):
    response = client.post(
        URL, form_data(doi="10.12/not a doi", isbn="978-0-306-40615-8", url="ftp://example.org/x")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The DOI “10.12/not a doi” is not valid." in page
    assert "The ISBN “978-0-306-40615-8” is not valid." in page
    assert "is not a web address (http or https)" in page
    assert 'value="Nurses&#x27; migration from Romania"' in page
    assert "How Romanian nurses move within the EU." in page
    assert "Popescu, Ana\nWemos" in page
    assert '<option value="RO" selected>' in page
    assert "please choose the files again" in page
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"day": "31", "month": "2"}, "This date does not exist."),
        ({"year": "", "month": "2"}, "Give the year too."),
        ({"authors": "Popescu, Ana\n, Ana"}, "“, Ana” is not a name"),
        ({"files-0-file": "", "files-0-label": ""}, "Add at least one file."),
        ({"files-0-file": ""}, "This field is required."),
        ({"files-1-language": "ro"}, "This field is required."),
    ],
)
def test_invalid_fields_are_refused_with_a_message(client, member, fields, message):
    response = client.post(URL, form_data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_a_resource_already_in_the_library_is_refused(client, member):
    existing = ResourceFactory(title="The original", doi="10.1186/1478-4491-12-99")
    response = client.post(URL, form_data())
    assert "The library already has this resource (The original)" in response.content.decode()
    assert list(Resource.objects.all()) == [existing]


def test_hostile_text_is_escaped_in_the_list_of_submissions(client, member):
    ResourceFactory(title=HOSTILE, status=Status.SUBMITTED, submitted_by=member)
    page = client.get(URL).content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_csrf_is_enforced(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(URL, form_data()).status_code == 403
    assert not Resource.objects.exists()


def media_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_file_over_the_limit_is_refused_and_not_stored(client, member, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    big = text_file("big.txt", b"x" * (1024 * 1024 + 512 * 1024))
    response = client.post(URL, form_data(**{"files-0-file": big}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“big.txt” is larger than 1 MB, the largest file the library accepts." in page
    # The fields after the refused file are still read.
    assert 'value="Full report"' in page
    assert not Resource.objects.exists()
    assert media_files(settings) == []


class TwoGigabyteBody:
    """A multipart body that claims 2 GB and produces them on demand, counting what is read."""

    def __init__(self, head: bytes, total: int) -> None:
        self.head, self.total, self.consumed = head, total, 0

    def read(self, size: int = -1) -> bytes:
        assert 0 < size <= 10 * 1024 * 1024, "the body must be read in chunks"
        size = min(size, self.total - self.consumed)
        start, self.consumed = self.consumed, self.consumed + size
        head = self.head[start : start + size]
        return head + b"\0" * (size - len(head))

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size > 0 else 1024)


def test_a_two_gigabyte_upload_is_stopped_without_being_read(client, member, settings):
    boundary = "hw4allBoundary"
    fields = [("title", "A very large report"), ("kind", "report"), ("summary", "Too big.")]
    fields += [*management().items(), ("files-0-language", "en")]
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    )
    head += (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="files-0-file"; filename="huge.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    total = 2 * 1024**3
    body = TwoGigabyteBody(head, total)
    response = client.generic(
        "POST",
        URL,
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(total),
        **{"wsgi.input": body},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“huge.pdf” is larger than 50 MB, the largest file the library accepts." in page
    assert 'value="A very large report"' in page
    assert body.consumed < 1024 * 1024
    assert not Resource.objects.exists()
    assert media_files(settings) == []
