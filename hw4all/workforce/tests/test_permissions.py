"""Who may use each workforce address: the figures are public data, so every page and every API
operation answers anyone the same, signed in or not; importing files and reading an import's
report is the Secretariat's alone."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hw4all.coalition.factories import user_in
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.workforce import admin_views
from hw4all.workforce.models import ImportRun

from .world_data import world_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world_create()


def clients() -> dict[str, Client]:
    """An anonymous visitor, a member and the Secretariat: public data shows the same to each."""
    found = {"anonymous": Client()}
    for role in (MEMBER, SECRETARIAT):
        client = Client()
        client.force_login(user_in(role))
        found[role] = client
    return found


@pytest.mark.permission("workforce:index", "public")
@pytest.mark.permission("workforce:ranking", "public")
@pytest.mark.permission("workforce:shortage", "public")
@pytest.mark.permission("workforce:safeguard", "public")
@pytest.mark.permission("workforce:migration", "public")
@pytest.mark.permission("workforce:trends", "public")
@pytest.mark.permission("workforce:countries", "public")
@pytest.mark.permission("workforce:sources", "public")
@pytest.mark.parametrize(
    "name", ["index", "ranking", "shortage", "safeguard", "migration", "trends", "countries", "sources"]
)
def test_every_world_page_is_open_to_everyone_alike(world, name):
    pages = {who: client.get(reverse(f"workforce:{name}")) for who, client in clients().items()}
    assert {who: page.status_code for who, page in pages.items()} == dict.fromkeys(pages, 200)


@pytest.mark.permission("hw4all_workforce_api_indicator_list", "public")
@pytest.mark.permission("hw4all_workforce_api_observation_list", "public")
@pytest.mark.permission("hw4all_workforce_api_country_list", "public")
@pytest.mark.permission("hw4all_workforce_api_shortage", "public")
@pytest.mark.permission("hw4all_workforce_api_safeguard_criteria_check", "public")
@pytest.mark.permission("hw4all_workforce_api_migration_destination", "public")
@pytest.mark.permission("hw4all_workforce_api_migration_origin", "public")
@pytest.mark.permission("hw4all_workforce_api_migration_pairs", "public")
@pytest.mark.permission("hw4all_workforce_api_migration_flows", "public")
@pytest.mark.parametrize(
    "path",
    [
        "indicators/",
        "observations/?country=KEN",
        "countries/",
        "shortage/",
        "safeguard-check/?list=2023",
        "migration/destinations/GBR/",
        "migration/origins/KEN/",
        "migration/pairs/",
        "migration/flows/?destination=GBR",
    ],
)
def test_every_workforce_operation_answers_everyone_the_same(world, path):
    answers = {who: client.get(f"/api/v1/workforce/{path}") for who, client in clients().items()}
    assert {who: answer.status_code for who, answer in answers.items()} == dict.fromkeys(answers, 200)
    assert len({answer.content for answer in answers.values()}) == 1


@pytest.fixture
def run():
    secretary = Client()
    secretary.force_login(user_in(SECRETARIAT, email="secretary@hw4all.example.org"))
    data = b"iso3,indicator,year,value\nKEN,HWF_0001,2018,1.57\n"
    secretary.post(
        reverse("workforce_admin:upload"),
        {
            "file": SimpleUploadedFile("density.csv", data, content_type="text/csv"),
            "format": "long",
            "dataset": "WHO GHO",
            "publisher": "WHO",
        },
    )
    token = secretary.session[admin_views.SESSION_KEY]["token"]
    secretary.post(reverse("workforce_admin:confirm"), {"token": token})
    return ImportRun.objects.get()


@pytest.mark.permission("workforce_admin:run", "role")
@pytest.mark.permission("workforce_admin:run", "authenticated")
def test_only_the_secretariat_reads_an_imports_report(client, run):
    url = reverse("workforce_admin:run", args=[run.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    for role in (MEMBER, REVIEWER, STEERING_COMMITTEE):
        user = user_in(role)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, role
        assert "density.csv" not in response.content.decode()
    client.force_login(user_in(SECRETARIAT))
    response = client.get(url)
    assert response.status_code == 200
    assert "density.csv" in response.content.decode()
