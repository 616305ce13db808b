"""Writing in the forum is limited per account and per network, on top of the per-minute
comment limit; a refused comment is given back with a clear message."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hw4all.forum.models import Comment
from hw4all.forum.services import discussions

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "forum-writing": "2/1h/account,100/1h/network",
        "forum-action": "3/1h/account,100/1h/network",
    }


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_comment_over_the_limit_is_refused_and_given_back(open_space, member, open_member):
    thread = discussions.thread_create(space=open_space, author=member, title="Retention", body="First")
    url = reverse("forum:thread_comment", args=[thread.pk])
    client = _signed_in(open_member)
    for number in range(2):
        assert client.post(url, {"body": f"Comment {number}"}).status_code == 302

    refused = client.post(url, {"body": f"A long answer\nthat took an hour to write. {HOSTILE}"})

    page = refused.content.decode()
    assert refused.status_code == 429
    assert refused["Retry-After"].isdigit()
    assert "You have sent this too many times in a short while" in page
    assert "A long answer\nthat took an hour to write. &lt;script&gt;" in page
    assert HOSTILE not in page
    assert f'action="{url}"' in page
    assert Comment.objects.filter(author=open_member).count() == 2

    # Someone else may still write, and so may this member once the window has passed.
    assert _signed_in(member).post(url, {"body": "Mine"}).status_code == 302
    cache.clear()
    assert client.post(url, {"body": "At last"}).status_code == 302


def test_htmx_writes_over_the_limit_get_a_short_message(open_space, member, open_member):
    thread = discussions.thread_create(space=open_space, author=member, title="Retention", body="First")
    url = reverse("forum:thread_comment", args=[thread.pk])
    client = _signed_in(open_member)
    for number in range(2):
        client.post(url, {"body": f"Comment {number}"}, headers={"HX-Request": "true"})

    refused = client.post(url, {"body": "Third"}, headers={"HX-Request": "true"})

    assert refused.status_code == 429
    assert refused.content.decode().strip().startswith('<p class="form-errors" role="alert">You have sent')


def test_following_and_unfollowing_in_a_loop_is_limited(open_space, member, open_member):
    thread = discussions.thread_create(space=open_space, author=member, title="Retention", body="First")
    url = reverse("forum:follow", args=["thread", thread.pk])
    client = _signed_in(open_member)

    statuses = [client.post(url, {"following": str(number % 2)}).status_code for number in range(4)]

    assert statuses == [302, 302, 302, 429]
