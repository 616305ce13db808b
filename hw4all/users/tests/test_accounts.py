"""A person's path through allauth: sign up, verify the address, sign in and out."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from hw4all.users.models import User
from hw4all.users.services import user_create

PASSWORD = "a-Long-passphrase-4-health"


def _signup(client, email="amina@example.org"):
    return client.post("/en/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def _login(client, email, password=PASSWORD):
    return client.post("/en/accounts/login/", {"login": email, "password": password})


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_verify_then_login(client):
    response = _signup(client)

    assert response.status_code == 302
    assert User.objects.filter(email="amina@example.org").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    link = _confirmation_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert b'class="site-header"' in page.content
    confirmed = client.post(link)
    assert confirmed.status_code == 302

    client.logout()
    response = _login(client, "amina@example.org")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="amina@example.org").pk


@pytest.mark.django_db
def test_login_is_refused_before_verification(client):
    _signup(client)
    client.logout()
    mail.outbox.clear()
    cache.clear()  # as if the resend cooldown (allauth's rate limit) had passed

    response = _login(client, "amina@example.org")

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    # A fresh link is sent so the person can still verify.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_wrong_password_shows_a_clear_message_and_keeps_the_email(client):
    user_create(email="kofi@example.org", password=PASSWORD)

    response = _login(client, "kofi@example.org", password="not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert 'role="alert"' in html
    assert 'value="kofi@example.org"' in html


@pytest.mark.django_db
def test_signup_errors_are_next_to_their_field(client):
    response = client.post(
        "/en/accounts/signup/", {"email": "not-an-email", "password1": PASSWORD, "password2": "other"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert re.search(r'<input[^>]+aria-describedby="[^"]*id_email_error', html)
    assert 'value="not-an-email"' in html


@pytest.mark.django_db
def test_logout_is_a_post(client):
    user = user_create(email="kofi@example.org", password=PASSWORD)
    client.force_login(user)

    page = client.get("/en/accounts/logout/")
    assert page.status_code == 200
    assert "_auth_user_id" in client.session

    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_header_offers_logout_as_a_form_to_signed_in_people(client, home_page):
    client.force_login(user_create(email="kofi@example.org", password=PASSWORD))

    html = client.get("/en/").content.decode()

    assert re.search(r'<form[^>]+method="post"[^>]+action="/en/accounts/logout/"', html)
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused():
    from django.test import Client

    user_create(email="kofi@example.org", password=PASSWORD)
    client = Client(enforce_csrf_checks=True)

    response = client.post("/en/accounts/login/", {"login": "kofi@example.org", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/", "/fr/accounts/login/"],
)
def test_account_pages_render_inside_the_site_layout(client, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    # Every visible input has a label pointing at it.
    for input_id in re.findall(r'<input(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


@pytest.mark.django_db
def test_manage_pages_have_the_account_navigation(client):
    client.force_login(user_create(email="kofi@example.org", password=PASSWORD))

    html = client.get("/en/accounts/email/").content.decode()

    assert 'class="account-nav"' in html
    assert 'href="/en/accounts/email/" aria-current="page"' in html


@pytest.mark.django_db
def test_hostile_email_is_escaped(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": '"><script>alert(1)</script>@x.org', "password1": PASSWORD, "password2": PASSWORD},
    )

    assert b"<script>alert(1)</script>" not in response.content
