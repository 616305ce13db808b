"""The Secretariat's "Personal data" screen in the Wagtail admin: look an address up, download its
export, erase it behind a confirmation page. Nobody else may, and every form posts with its CSRF
token."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import Signature
from hw4all.campaigns.services import SignatureInput
from hw4all.core.audit import AuditEntry
from hw4all.core.personaldata import personal_data_address_hash
from hw4all.users.models import User
from hw4all.users.roles import MEMBER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.users.services import user_create

ADDRESS = "zofia.quellbrandt@example.org"
INDEX = "personal_data:index"
EXPORT = "personal_data:export"
ERASE = "personal_data:erase"


@pytest.fixture
def subject(home_page):
    user = user_create(email=ADDRESS, first_name="Zofia", last_name="Quellbrandt", roles=(MEMBER,))
    index = campaigns.campaigns_index_ensure(home=home_page)
    petition = campaigns.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")
    campaigns.signature_submit(
        campaign=petition, data=SignatureInput(name="Zofia Quellbrandt", email=ADDRESS, country="KE")
    )
    return user


@pytest.fixture
def secretariat(db):
    return user_create(email="secretariat@example.org", roles=(SECRETARIAT,))


@pytest.fixture
def secretariat_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def _held() -> bool:
    return User.objects.filter(email=ADDRESS).exists() and Signature.objects.filter(email=ADDRESS).exists()


@pytest.mark.permission("personal_data:index", "role")
@pytest.mark.permission("personal_data:export", "role")
@pytest.mark.permission("personal_data:erase", "role")
@pytest.mark.parametrize("role", ["member", "steering", "staff", "anonymous"])
def test_only_the_secretariat_may_look_up_export_or_erase(subject, role):
    client = Client()
    if role == "member":
        client.force_login(user_create(email="member@example.org", roles=(MEMBER,)))
    elif role == "steering":
        client.force_login(user_create(email="steering@example.org", roles=(STEERING_COMMITTEE,)))
    elif role == "staff":
        client.force_login(user_create(email="staff@example.org", is_staff=True))
    data = {"email": ADDRESS, "confirmed": "yes"}

    assert client.get(reverse(INDEX)).status_code in (302, 403)
    for name in (INDEX, EXPORT, ERASE):
        response = client.post(reverse(name), data)
        assert response.status_code in (302, 403), name
        assert b"quellbrandt" not in response.content.lower()
    assert _held()
    if role == "steering":
        # Inside the admin, but refused in words rather than sent away.
        assert client.get(reverse(INDEX)).status_code == 403
        assert b"personal-data" not in client.get(reverse("wagtailadmin_home")).content


def test_the_menu_offers_the_screen_to_the_secretariat(secretariat_client):
    home = secretariat_client.get(reverse("wagtailadmin_home"))
    assert reverse(INDEX).encode() in home.content


def test_a_lookup_counts_what_is_held_whatever_the_case_and_spaces(subject, secretariat_client):
    page = secretariat_client.post(reverse(INDEX), {"email": "  Zofia.QUELLBRANDT@example.ORG "})

    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Signature: 1" in html
    assert "Account: 1" in html
    assert reverse(EXPORT) in html and reverse(ERASE) in html
    # The address travels in posted forms only, never in a link.
    assert "?email=" not in html


def test_an_unknown_address_is_said_to_hold_nothing(subject, secretariat_client):
    page = secretariat_client.post(reverse(INDEX), {"email": "nobody@example.org"})
    assert "Nothing is held about this address" in page.content.decode()
    assert reverse(ERASE) not in page.content.decode()

    erased = secretariat_client.post(reverse(ERASE), {"email": "nobody@example.org", "confirmed": "yes"})
    assert "nothing was erased" in erased.content.decode()
    assert _held()


@pytest.mark.parametrize("value", ["", "not an address", "<script>alert(1)</script>@x", "a@" + "b" * 400])
def test_what_is_not_an_address_is_refused(subject, secretariat_client, value):
    for name in (INDEX, EXPORT, ERASE):
        response = secretariat_client.post(reverse(name), {"email": value, "confirmed": "yes"})
        assert response.status_code == 400
        assert b"<script>alert" not in response.content
    assert _held()


def test_the_export_is_one_private_json_attachment(subject, secretariat_client):
    response = secretariat_client.post(reverse(EXPORT), {"email": ADDRESS.upper()})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["address"] == ADDRESS
    assert document["sections"]["campaigns"]["records"][0]["name"] == "Zofia Quellbrandt"
    entry = AuditEntry.objects.get(action="personal_data.export")
    assert entry.object_id == personal_data_address_hash(ADDRESS)
    assert "quellbrandt" not in json.dumps([entry.summary, entry.detail, entry.object_id]).lower()


def test_erasing_asks_first_then_says_what_went(subject, secretariat_client, secretariat):
    confirm = secretariat_client.post(reverse(ERASE), {"email": ADDRESS})
    assert confirm.status_code == 200
    assert "Signature: 1" in confirm.content.decode()
    assert 'name="confirmed" value="yes"' in confirm.content.decode()
    assert _held()

    done = secretariat_client.post(reverse(ERASE), {"email": ADDRESS, "confirmed": "yes"})

    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    assert "Campaigns" in done.content.decode()
    assert not User.objects.filter(email=ADDRESS).exists()
    assert not Signature.objects.filter(email=ADDRESS).exists()
    entry = AuditEntry.objects.get(action="personal_data.erase")
    assert entry.user == secretariat
    assert entry.detail["campaigns"] == 1
    assert "quellbrandt" not in json.dumps([entry.summary, entry.detail, entry.object_id]).lower()


def test_erasing_without_the_csrf_token_is_refused(subject, secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)

    response = client.post(reverse(ERASE), {"email": ADDRESS, "confirmed": "yes"})

    assert response.status_code == 403
    assert _held()
