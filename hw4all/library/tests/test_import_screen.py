"""The Secretariat's bulk import in the admin: upload, preview row by row, confirm; a second
import of the same file updates instead of adding; nobody else may import; the file waits on the
server between preview and confirmation, named by a signed token the browser cannot alter."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from hw4all.library.models import Resource, Status
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
UPLOAD_URL = "/admin/library/import/"
CONFIRM_URL = "/admin/library/import/confirm/"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def stored_files(settings) -> list[Path]:
    folder = Path(settings.VAR_DIR) / "private" / "library-imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def user_with_role(email: str, role: str):
    user = user_create(email=email, password="a-long-password-1")
    user.groups.add(Group.objects.get(name=role))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def secretariat(client):
    client.force_login(user_with_role("secretariat@example.org", SECRETARIAT))
    return client


def upload(client, name: str, data: bytes | None = None, file_format: str = ""):
    content = (SAMPLES / name).read_bytes() if data is None else data
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content), "format": file_format})


def preview(client, name: str, data: bytes | None = None, file_format: str = ""):
    """Upload a file and follow the redirect to its preview."""
    response = upload(client, name, data, file_format)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def preview_rows(response) -> list[tuple[str, str, str, str]]:
    """The preview table as a person reads it: row, title, what will happen, messages."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        tuple(" ".join(cell.get_text(" ", strip=True).split()) for cell in line.find_all("td"))
        for line in soup.select("table.listing tbody tr")
    ]


def token_of(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("input", {"name": "token"})["value"]


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True).split())


def test_the_preview_has_a_line_per_row_with_its_number_title_action_and_messages(secretariat):
    response = preview(secretariat, "zotero-export-bad.csv")
    assert response.status_code == 200
    rows = preview_rows(response)
    assert [row[0] for row in rows] == ["2", "5", "6", "7", "8", "9", "10"]
    assert rows[0] == ("2", "Human resources for health in Romania: a national analysis", "new", "")
    assert rows[1] == ("5", "—", "error", "Error: The title is missing.")
    assert rows[2][1:] == (
        "Health workforce brief with a mistyped DOI",
        "error",
        "Error: The DOI “10.12/not-a-doi” is not valid.",
    )
    assert rows[5][2] == "error"
    assert "Error: The date “sometime” has no year." in rows[5][3]
    assert "Warning: Unknown type “statute”: imported as a report." in rows[5][3]
    assert rows[6][2] == "new"
    assert "Warning: Unknown language “Klingon” left out." in rows[6][3]
    page = text_of(response)
    assert (
        "7 rows read as CSV (Zotero export): 2 new resources, 0 updates, 5 rows with errors (left out)."
        in page
    )
    assert "Import 2 resources" in page
    assert not Resource.objects.exists()


def test_importing_creates_published_resources_and_says_how_many(secretariat, settings):
    response = preview(secretariat, "zotero-export-bad.csv")
    assert len(stored_files(settings)) == 1
    done = secretariat.post(CONFIRM_URL, {"token": token_of(response)})
    assert done.status_code == 200
    page = text_of(done)
    assert "2 resources created" in page
    assert "0 resources updated" in page
    assert "5 rows skipped with errors" in page
    assert sorted(Resource.objects.values_list("title", "status")) == [
        ("Human resources for health in Romania: a national analysis", Status.PUBLISHED),
        ("Invest in the Health Workforce: That is how we keep the UHC promise", Status.PUBLISHED),
    ]
    romania = Resource.objects.get(title__startswith="Human resources")
    assert romania.publisher == "Center for Health Policies and Services"
    assert romania.year == 2014
    assert romania.submitted_by.email == "secretariat@example.org"
    assert stored_files(settings) == []  # the file is removed once imported


@pytest.mark.parametrize("name", ["zotero-export.csv", "library.ris", "library.json"])
def test_a_second_import_of_the_same_file_updates_and_creates_nothing(secretariat, name):
    first = preview(secretariat, name)
    secretariat.post(CONFIRM_URL, {"token": token_of(first)})
    assert Resource.objects.count() == 6

    again = preview(secretariat, name)
    rows = preview_rows(again)
    assert {row[2].split(" ", 1)[0] for row in rows} == {"updates"}
    code = Resource.objects.get(
        title="WHO Global Code of Practice on the International Recruitment of Health Personnel"
    )
    soup = BeautifulSoup(again.content, "html.parser")
    assert soup.find("a", href=f"/admin/snippets/library/resource/edit/{code.pk}/")
    assert "0 new resources, 6 updates" in text_of(again)

    done = secretariat.post(CONFIRM_URL, {"token": token_of(again)})
    assert "0 resources created" in text_of(done)
    assert "6 resources updated" in text_of(done)
    assert Resource.objects.count() == 6


def test_the_same_resource_in_csv_then_ris_is_one_resource(secretariat):
    secretariat.post(CONFIRM_URL, {"token": token_of(preview(secretariat, "zotero-export.csv"))})
    rows = preview_rows(preview(secretariat, "library.ris"))
    # The Code (same address), the Kampala Declaration and the Romanian Code (same title and year).
    assert [row[2].split(" ", 1)[0] for row in rows] == [
        "updates",
        "updates",
        "updates",
        "new",
        "updates",
        "new",
    ]


def test_the_format_is_recognised_from_the_content_whatever_the_file_is_called(secretariat):
    ris = (SAMPLES / "library.ris").read_bytes()
    response = preview(secretariat, "export.txt", ris)
    assert "6 rows read as RIS" in text_of(response)
    json_export = (SAMPLES / "library.json").read_bytes()
    assert "read as CSL-JSON" in text_of(preview(secretariat, "export.csv", json_export))


def test_a_format_chosen_by_the_user_is_used(secretariat):
    ris = (SAMPLES / "library.ris").read_bytes()
    response = upload(secretariat, "library.ris", ris, file_format="csv")
    assert response.status_code == 200
    assert "no “Title” column" in text_of(response)


def test_two_rows_for_one_resource_import_the_first_and_report_the_second(secretariat):
    data = (
        b"Title,Url,Date\n"
        b"Retention of health workers,https://example.org/retention,2015\n"
        b"Retention of health workers (copy),https://EXAMPLE.org/retention/,2016\n"
    )
    rows = preview_rows(preview(secretariat, "twice.csv", data))
    assert rows[0][2] == "new"
    assert rows[1][2:] == (
        "error",
        "Error: Row 2 has the same DOI, address or title: only that row is imported.",
    )


def test_values_longer_than_the_database_keeps_are_errors_in_the_preview(secretariat):
    data = f"Title,Manual Tags\n{'A' * 501},retention\nShort title,{'t' * 101}\n".encode()
    rows = preview_rows(preview(secretariat, "long.csv", data))
    assert rows[0][2:] == ("error", "Error: The title is longer than 500 characters.")
    assert rows[1][2:] == ("error", "Error: A tag is longer than 100 characters.")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("blank.ris", b"  \n\n", "The file is empty."),
        ("latin1.csv", "Title\nSanté des migrants\n".encode("latin-1"), "The file is not UTF-8 text."),
        ("cut.json", b'[{"title": "Cut short"', "This is not valid JSON (line 1)."),
        ("notes.txt", b"Some notes about health workers\n", "this is not a Zotero CSV export"),
        ("numbers.json", b"[1, 2", "This is not valid JSON"),
    ],
)
def test_a_file_refused_whole_is_answered_on_the_upload_form(secretariat, settings, name, data, message):
    response = upload(secretariat, name, data)
    assert response.status_code == 200
    assert "This file cannot be imported:" in text_of(response)
    assert message in text_of(response)
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_without_being_kept(secretariat, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    data = b"Title\n" + b"A report on health workforce migration\n" * 30_000
    response = upload(secretariat, "big.csv", data)
    assert response.status_code == 200
    assert "The file is larger than 1.0 MB." in text_of(response)
    assert stored_files(settings) == []


def test_a_hostile_title_is_shown_escaped(secretariat):
    data = f'Title,Abstract Note\n"{HOSTILE}","{HOSTILE}"\n,missing title\n'.encode()
    response = preview(secretariat, "hostile.csv", data)
    content = response.content.decode()
    assert HOSTILE not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    secretariat.post(CONFIRM_URL, {"token": token_of(response)})
    assert Resource.objects.get().title == HOSTILE  # stored as typed; escaped wherever shown
    assert HOSTILE not in preview(secretariat, "hostile.csv", data).content.decode()


@pytest.mark.permission("library_import_confirm", "object")
@pytest.mark.permission("library_import_preview", "object")
def test_a_tampered_or_foreign_token_is_refused_and_nothing_is_imported(secretariat, client, settings):
    response = preview(secretariat, "zotero-export.csv")
    token = token_of(response)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    refused = secretariat.post(CONFIRM_URL, {"token": tampered})
    assert refused.status_code == 400
    assert "This import link is not valid" in text_of(refused)
    assert secretariat.get("/admin/library/import/preview/", {"token": tampered}).status_code == 400
    assert secretariat.post(CONFIRM_URL, {"token": ""}).status_code == 400

    # Another member of the Secretariat cannot confirm an import they did not upload.
    other = Client()
    other.force_login(user_with_role("other@example.org", SECRETARIAT))
    assert other.post(CONFIRM_URL, {"token": token}).status_code == 400
    assert not Resource.objects.exists()
    assert len(stored_files(settings)) == 1

    # A file changed on the server after the preview is not imported either.
    stored_files(settings)[0].write_bytes(b"Title\nSomething else\n")
    assert secretariat.post(CONFIRM_URL, {"token": token}).status_code == 400
    assert not Resource.objects.exists()


def test_a_token_is_good_once(secretariat):
    token = token_of(preview(secretariat, "library.json"))
    assert secretariat.post(CONFIRM_URL, {"token": token}).status_code == 200
    assert secretariat.post(CONFIRM_URL, {"token": token}).status_code == 400
    assert Resource.objects.count() == 6


def test_the_confirmation_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role("secretariat@example.org", SECRETARIAT))
    page = client.get(UPLOAD_URL)
    csrf = BeautifulSoup(page.content, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})["value"]
    data = (SAMPLES / "library.json").read_bytes()
    uploaded = client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("library.json", data), "csrfmiddlewaretoken": csrf}
    )
    shown = client.get(uploaded["Location"])
    form = BeautifulSoup(shown.content, "html.parser").find("form", action=CONFIRM_URL)
    assert form.find("input", {"name": "csrfmiddlewaretoken"})
    assert client.post(CONFIRM_URL, {"token": token_of(shown)}).status_code == 403
    assert not Resource.objects.exists()
    assert (
        client.post(CONFIRM_URL, {"token": token_of(shown), "csrfmiddlewaretoken": csrf}).status_code == 200
    )
    assert Resource.objects.count() == 6


@pytest.mark.permission("library_import", "role")
@pytest.mark.permission("library_import_confirm", "role")
def test_members_may_not_import(client):
    client.force_login(user_with_role("member@example.org", MEMBER))
    for response in (
        client.get(UPLOAD_URL),
        upload(client, "library.json"),
        client.post(CONFIRM_URL, {"token": "anything"}),
    ):
        assert response.status_code == 403
        assert "Only the Secretariat may import resources into the library." in text_of(response)
    assert not Resource.objects.exists()


@pytest.mark.permission("library_import", "authenticated")
def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_secretariat_finds_import_in_the_library_menu(secretariat):
    page = secretariat.get("/admin/").content.decode()
    assert UPLOAD_URL in page
    member = Client()
    member.force_login(user_with_role("member@example.org", MEMBER))
    assert UPLOAD_URL not in member.get("/admin/").content.decode()


def _refuse_inserts_titled(title: str) -> None:
    """A database that refuses one row half-way through the import, as a full disk or a
    constraint would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_title() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON library_resource "
                "FOR EACH ROW EXECUTE FUNCTION refuse_title()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_title BEFORE INSERT ON library_resource "
                f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def test_a_failure_while_saving_imports_nothing_and_says_so(secretariat, settings):
    _refuse_inserts_titled("Ghid de utilizare pentru factorii de decizie europeni")
    response = preview(secretariat, "library.json")
    failed = secretariat.post(CONFIRM_URL, {"token": token_of(response)})
    assert failed.status_code == 500
    assert "nothing was imported" in text_of(failed)
    assert not Resource.objects.exists()
    # The file is kept, so the Secretariat can go back to the preview and try again.
    back = BeautifulSoup(failed.content, "html.parser").find("a", string=re.compile("Back to the preview"))
    assert secretariat.get(back["href"]).status_code == 200
    assert len(stored_files(settings)) == 1
