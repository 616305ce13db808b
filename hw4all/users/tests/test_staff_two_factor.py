"""Staff must set up TOTP before reaching the admin, where the setting asks for it."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

PASSWORD = "a-Long-passphrase-4-health"


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def staff(db):
    return user_create(email="editor@example.org", password=PASSWORD, is_staff=True, roles=(SECRETARIAT,))


@pytest.mark.django_db
def test_staff_without_totp_are_sent_to_totp_setup_when_required(client, settings, staff):
    settings.HW4ALL_REQUIRE_STAFF_2FA = True
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")


@pytest.mark.django_db
def test_secretariat_without_is_staff_is_held_to_the_same_rule(client, settings):
    settings.HW4ALL_REQUIRE_STAFF_2FA = True
    editor = user_create(email="editor2@example.org", password=PASSWORD, roles=(SECRETARIAT,))
    client.force_login(editor)

    response = client.get("/admin/")

    assert response["Location"].endswith("/accounts/2fa/totp/activate/")


@pytest.mark.django_db
def test_staff_reach_the_admin_when_not_required(client, settings, staff):
    settings.HW4ALL_REQUIRE_STAFF_2FA = False
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_members_are_not_asked_for_totp_but_cannot_enter(client, settings):
    settings.HW4ALL_REQUIRE_STAFF_2FA = True
    member = user_create(email="member@example.org", password=PASSWORD, roles=(MEMBER,))
    client.force_login(member)

    response = client.get("/admin/")

    assert "/2fa/" not in response.get("Location", "")
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_staff_with_totp_sign_in_with_a_code_and_reach_the_admin(client, settings, staff):
    settings.HW4ALL_REQUIRE_STAFF_2FA = True
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    response = client.post("/en/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session

    wrong = client.post(
        response["Location"], {"code": "000000" if _current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    done = client.post(response["Location"], {"code": _current_code(secret)})
    assert done.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk

    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert b"wagtail" in admin.content.lower()


@pytest.mark.django_db
def test_totp_setup_page_renders_inside_the_site_layout(client, staff):
    client.post("/en/accounts/login/", {"login": staff.email, "password": PASSWORD})
    # allauth asks for the password again before a security change, even right after login.
    asked = client.get("/en/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in asked["Location"]
    assert b'class="site-header"' in client.get(asked["Location"]).content
    client.post(asked["Location"], {"password": PASSWORD})

    response = client.get("/en/accounts/2fa/totp/activate/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert 'class="account-nav"' in html
    assert '<label for="authenticator_secret">' in html
    assert '<label for="id_code">' in html
    assert 'aria-describedby="authenticator_secret_helptext"' in html

    wrong = client.post("/en/accounts/2fa/totp/activate/", {"code": "12"})
    assert 'aria-invalid="true"' in wrong.content.decode()
