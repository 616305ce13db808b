"""Guessing passwords or two-factor codes locks the account (and a guessing network) for a while.

The limits are settings.ACCOUNT_RATE_LIMITS, counted by allauth in the cache; these tests use
the test settings' real (locmem) cache. Time passing is played by ageing the counted failures.
"""

import time

import pytest
from allauth.core.internal import ratelimit
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import RequestFactory

from hw4all.users.adapter import AccountAdapter
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

pytestmark = pytest.mark.cache

PASSWORD = "a-Long-passphrase-4-health"
LOGIN = "/en/accounts/login/"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
FIFTEEN_MINUTES = 15 * 60


@pytest.fixture
def member(db):
    return user_create(email="nurse@example.org", password=PASSWORD, roles=(MEMBER,))


def _log_in(client, email, password, address=ATTACKER):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _time_passes(seconds: int, *, address: str, key: str) -> None:
    """Ages every counted failure of this network and key as if `seconds` had passed."""
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=address)
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        cache.set(cache_key, [at - seconds for at in cache.get(cache_key, [])], rate.duration)


def _account_key(email: str) -> str:
    request = RequestFactory().post(LOGIN)
    return AccountAdapter(request)._get_login_attempts_cache_key(request, email=email)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_until_the_window_passes(client, member):
    for _ in range(5):
        wrong = _log_in(client, member.email, "not-the-password")
        assert wrong.status_code == 200
        assert "Too many failed attempts" not in wrong.content.decode()

    refused = _log_in(client, member.email, PASSWORD)

    html = refused.content.decode()
    assert refused.status_code == 200
    assert not _logged_in(client)
    assert "Too many failed attempts to log in" in html
    assert "try again in 15 minutes" in html
    # The form keeps the address typed, so the person only has to wait.
    assert 'value="nurse@example.org"' in html

    # Locked from every network: the lock is on the account, not only on the guesser.
    assert not _logged_in_from(client, member.email, ELSEWHERE)

    _time_passes(FIFTEEN_MINUTES, address=ATTACKER, key=_account_key(member.email))
    _time_passes(FIFTEEN_MINUTES, address=ELSEWHERE, key=_account_key(member.email))

    assert _log_in(client, member.email, PASSWORD).status_code == 302
    assert _logged_in(client)


def _logged_in_from(client, email, address) -> bool:
    response = _log_in(client, email, PASSWORD, address=address)
    return response.status_code == 302 and _logged_in(client)


@pytest.mark.django_db
def test_the_message_says_how_long_is_left(client, member):
    for _ in range(5):
        _log_in(client, member.email, "not-the-password")
    _time_passes(10 * 60, address=ATTACKER, key=_account_key(member.email))

    refused = _log_in(client, member.email, PASSWORD)

    assert "try again in 5 minutes" in refused.content.decode()


@pytest.mark.django_db
def test_another_account_from_another_network_is_not_affected(client, member):
    other = user_create(email="midwife@example.org", password=PASSWORD, roles=(MEMBER,))
    for _ in range(6):
        _log_in(client, member.email, "not-the-password")

    assert _log_in(client, other.email, PASSWORD, address=ELSEWHERE).status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


@pytest.mark.django_db
def test_a_correct_password_does_not_count_as_a_failure(client, member):
    for _ in range(4):
        _log_in(client, member.email, "not-the-password")
    assert _log_in(client, member.email, PASSWORD).status_code == 302
    client.logout()

    # Four failures and a success: had the success counted, this would be the sixth try.
    assert _log_in(client, member.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_network_guessing_many_accounts_is_locked_out(client, db):
    emails = [f"person{number}@example.org" for number in range(21)]
    for email in emails[:20]:
        _log_in(client, email, "guess")

    # A real account, its right password, from the guessing network: refused for now.
    user_create(email=emails[20], password=PASSWORD, roles=(MEMBER,))
    refused = _log_in(client, emails[20], PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed attempts to log in" in refused.content.decode()
    assert not _logged_in(client)

    # The same person from home is let in.
    assert _log_in(client, emails[20], PASSWORD, address=ELSEWHERE).status_code == 302


def _code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD + offset))


@pytest.mark.django_db
def test_staff_two_factor_codes_are_limited_too(client):
    staff = user_create(email="editor@example.org", password=PASSWORD, is_staff=True, roles=(SECRETARIAT,))
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    stage = _log_in(client, staff.email, PASSWORD)["Location"]
    assert "/accounts/2fa/authenticate/" in stage
    # Codes far from now are never accepted, whatever the clock's drift.
    wrong = next(code for code in (_code(secret, 100), _code(secret, 200)) if code != _code(secret))

    for _ in range(5):
        assert client.post(stage, {"code": wrong}, REMOTE_ADDR=ATTACKER).status_code == 200

    refused = client.post(stage, {"code": _code(secret)}, REMOTE_ADDR=ATTACKER)

    assert refused.status_code == 200
    assert "Too many failed attempts to log in" in refused.content.decode()
    assert not _logged_in(client)


@pytest.mark.django_db
def test_too_many_signups_from_one_network_get_a_page_of_the_site(client, db):
    for number in range(10):
        client.post(
            "/en/accounts/signup/",
            {"email": f"new{number}@example.org", "password1": PASSWORD, "password2": PASSWORD},
            REMOTE_ADDR=ATTACKER,
        )

    response = client.post(
        "/en/accounts/signup/",
        {"email": "new-again@example.org", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert 'class="site-header"' in html
    assert "Please wait a moment" in html
    assert "too many attempts from your network" in html
    # The ten signups counted are all within the last seconds: the hour's window lifts in an hour.
    assert 3500 < int(response["Retry-After"]) <= 3600


@pytest.mark.django_db
def test_a_burst_of_logins_is_told_to_wait_for_the_minute_window(client, member):
    for _ in range(30):
        _log_in(client, member.email, PASSWORD, address=ELSEWHERE)
        client.logout()

    response = _log_in(client, member.email, PASSWORD, address=ELSEWHERE)

    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_password_resets_for_one_address_are_limited_from_every_network(client, member):
    networks = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]
    for address in networks[:3]:
        sent = client.post("/en/accounts/password/reset/", {"email": member.email}, REMOTE_ADDR=address)
        assert sent.status_code == 302

    response = client.post(
        "/en/accounts/password/reset/", {"email": member.email.upper()}, REMOTE_ADDR=networks[3]
    )

    assert response.status_code == 429
    assert 3500 < int(response["Retry-After"]) <= 3600
