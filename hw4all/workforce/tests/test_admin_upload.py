"""Importing a file from the admin: the Secretariat previews it (nothing stored), then imports
it; every other role is refused; a bad or oversized file gets a message, never an error page."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hw4all.coalition.factories import user_in
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.workforce import admin_views, formats
from hw4all.workforce.models import ImportRun, Observation, Source

pytestmark = pytest.mark.django_db

RUNS = "/admin/workforce/"
UPLOAD = "/admin/workforce/import/"
CONFIRM = "/admin/workforce/import/confirm/"
DENSITY = (
    b"iso3,indicator,year,value\nKEN,HWF_0001,2018,1.57\nXKX,HWF_0001,2018,2\n<b>x</b>,HWF_0001,2018,1\n"
)


@pytest.fixture
def secretary():
    return user_in(SECRETARIAT, email="secretary@hw4all.example.org")


@pytest.fixture
def signed_in(secretary) -> Client:
    client = Client()
    client.force_login(secretary)
    return client


def upload_form(data: bytes = DENSITY, **extra) -> dict:
    return {
        "file": SimpleUploadedFile("density.csv", data, content_type="text/csv"),
        "format": "long",
        "dataset": "WHO GHO",
        "publisher": "WHO",
        **extra,
    }


def test_the_secretariat_previews_then_imports_a_file(signed_in, secretary):
    response = signed_in.post(UPLOAD, upload_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "KEN HWF_0001 2018: 1.57" in page
    assert "Unknown country code “XKX”." in page
    # A name from a file is data, never markup.
    assert "&lt;B&gt;X&lt;/B&gt;" in page or "&lt;b&gt;x&lt;/b&gt;" in page
    assert not Observation.objects.exists()
    token = signed_in.session[admin_views.SESSION_KEY]["token"]
    response = signed_in.post(CONFIRM, {"token": token})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"{RUNS}runs/{run.pk}/"
    assert (run.created, len(run.errors), run.imported_by) == (1, 2, secretary)
    assert Source.objects.get().dataset == "WHO GHO"
    detail = signed_in.get(response.url).content.decode()
    assert "Unknown country code “XKX”." in detail
    listing = signed_in.get(RUNS).content.decode()
    assert "density.csv" in listing
    # The same preview cannot be imported twice.
    assert signed_in.post(CONFIRM, {"token": token}).status_code == 400
    assert ImportRun.objects.count() == 1


def test_the_run_page_lists_the_changes_of_a_newer_file(signed_in):
    for value, date in (("1.57", "2022-01-24"), ("1.6", "2022-06-01")):
        data = f"iso3,indicator,year,value\nKEN,HWF_0001,2018,{value}\n".encode()
        signed_in.post(UPLOAD, upload_form(data, file_date=date))
        signed_in.post(CONFIRM, {"token": signed_in.session[admin_views.SESSION_KEY]["token"]})
    run = ImportRun.objects.first()
    assert run is not None and run.changed == 1
    page = signed_in.get(f"{RUNS}runs/{run.pk}/").content.decode()
    assert "1 change" in page and "1.57" in page and "1.6" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00binary", "The file is not CSV text"),
        (b"iso3,indicator,value\nKEN,HWF_0001,1\n", "The file has no “year” column."),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_bad_file_gets_a_message(signed_in, data, message):
    response = signed_in.post(UPLOAD, upload_form(data))
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert "Import</button>" not in response.content.decode()
    assert not Observation.objects.exists()


def test_an_oversized_file_is_refused_with_a_message(signed_in, monkeypatch):
    monkeypatch.setattr(formats, "MAX_BYTES", 1000)
    monkeypatch.setattr(admin_views, "REQUEST_MAX_BYTES", 100_000)
    response = signed_in.post(UPLOAD, upload_form(DENSITY * 100))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_a_single_series_format_needs_its_indicator(signed_in):
    data = b"Country Name,Country Code,Year,Value\nKenya,KEN,2020,53005614\n"
    response = signed_in.post(UPLOAD, upload_form(data, format="world_bank"))
    assert "Give the indicator code of the file" in response.content.decode()
    assert "Import</button>" not in response.content.decode()
    response = signed_in.post(UPLOAD, upload_form(data, format="world_bank", indicator="SP.POP.TOTL"))
    assert "KEN SP.POP.TOTL 2020" in response.content.decode()


def test_the_import_needs_the_csrf_token(secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assert client.post(UPLOAD, upload_form()).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


@pytest.mark.permission("workforce_admin:confirm", "role")
@pytest.mark.permission("workforce_admin:runs", "role")
@pytest.mark.permission("workforce_admin:upload", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_are_refused(role):
    user = user_in(role, email=f"{role.replace(' ', '').lower()}@other.example.org")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    for url in (RUNS, UPLOAD):
        assert client.get(url).status_code == 403, url
    assert client.post(UPLOAD, upload_form()).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert "Workforce data" not in client.get("/admin/").content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.permission("workforce_admin:runs", "authenticated")
@pytest.mark.permission("workforce_admin:upload", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (RUNS, UPLOAD):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_the_secretariat_sees_the_menu_item(signed_in):
    assert "Workforce data" in signed_in.get("/admin/").content.decode()
