"""The shared limit on writes: what counts, under which key, and what a refused client is told."""

import json
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from hw4all.core.apierrors import ApiProblem
from hw4all.core.ratelimit import Rate, api_rate_limit, rate_limited, rates_parse

pytestmark = pytest.mark.cache

OFFICE = "203.0.113.7"


class Member:
    """What the limit reads of a signed-in user."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "forum-writing": "3/1h/account,5/1h/network"}


# A scope of the settings, its limits replaced for these tests.
@rate_limited("forum-writing")
def _view(request):
    return HttpResponse("written")


def _post(*, address=OFFICE, user=None, json=True, **headers):
    request = RequestFactory().post("/somewhere/", {"body": "Text"}, REMOTE_ADDR=address, headers=headers)
    request.user = user or AnonymousUser()
    if json:
        request.META["HTTP_ACCEPT"] = "application/json"
    return _view(request)


def test_rates_are_read_as_count_window_and_key():
    assert rates_parse("10/1h/account, 30/15m/network") == (
        Rate(10, 3600, "account"),
        Rate(30, 900, "network"),
    )
    for wrong in ("10/h/ip", "10/1w/network", "ten/1h/network", "10/1h"):
        with pytest.raises((ImproperlyConfigured, ValueError)):
            rates_parse(wrong)


def test_a_scope_without_limits_fails_when_the_view_is_defined():
    with pytest.raises(ImproperlyConfigured):
        rate_limited("no-such-scope")


def test_a_network_is_refused_over_its_limit_with_when_to_come_back():
    assert [_post().status_code for _ in range(5)] == [200] * 5

    refused = _post()

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "no-store" in refused["Cache-Control"]
    assert "too many times" in json.loads(refused.content)["error"]
    assert _post(address="198.51.100.20").status_code == 200


def test_a_member_is_limited_by_account_whatever_the_network():
    member = Member(pk=41)
    for number in range(3):
        assert _post(user=member, address=f"198.51.100.{number}").status_code == 200

    assert _post(user=member, address="198.51.100.99").status_code == 429
    assert _post(user=Member(pk=42), address="198.51.100.99").status_code == 200


def test_reads_are_never_counted():
    for _ in range(10):
        request = RequestFactory().get("/somewhere/", REMOTE_ADDR=OFFICE)
        request.user = AnonymousUser()
        assert _view(request).status_code == 200
    assert _post().status_code == 200


def test_nothing_is_limited_when_limits_are_off(settings):
    settings.RATE_LIMITS_ENABLED = False
    assert {_post().status_code for _ in range(10)} == {200}


def test_htmx_gets_a_fragment_it_can_show():
    for _ in range(5):
        _post(json=False, HX_Request="true")

    refused = _post(json=False, HX_Request="true")

    assert refused.status_code == 429
    assert refused.content.decode().startswith('<p class="form-errors" role="alert">')


def test_the_api_is_refused_with_its_problem_and_retry_after(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "library-api-submission": "2/1m/account"}
    request = RequestFactory().post("/api/v1/x", REMOTE_ADDR=OFFICE)
    api_rate_limit(request, "library-api-submission", account="token:1")
    api_rate_limit(request, "library-api-submission", account="token:1")

    with pytest.raises(ApiProblem) as refused:
        api_rate_limit(request, "library-api-submission", account="token:1")

    assert refused.value.status == 429
    assert 0 < int(refused.value.headers["Retry-After"]) <= 60
    api_rate_limit(request, "library-api-submission", account="token:2")


def test_concurrent_writes_never_pass_the_limit():
    statuses: list[int] = []
    barrier = threading.Barrier(12)

    def write():
        barrier.wait()
        statuses.append(_post().status_code)

    threads = [threading.Thread(target=write) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 5 + [429] * 7
