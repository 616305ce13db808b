"""Two join requests from the same person at once (a double click, two tabs) make one membership
and one "joined" line in the activity, through real parallel requests against the database."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from hw4all.forum.models import Activity, ActivityKind, MembershipStatus, Report, SpaceMembership, Thread
from hw4all.forum.services import moderation

REQUESTS = 4


def parallel(target, count: int) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 - reported by the test
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("space_fixture", ["open_space", "closed_space"])
def test_simultaneous_joins_make_one_membership(request, outsider, space_fixture):
    space = request.getfixturevalue(space_fixture)
    url = reverse("forum:space_join", args=[space.slug]) if space.is_open else reverse("forum:invitations")
    data = {} if space.is_open else {"action": "ask", "slug": space.slug}

    def join():
        client = Client()
        client.force_login(outsider)
        return client.post(url, data).status_code

    statuses = parallel(join, REQUESTS)
    assert statuses == [302] * REQUESTS
    memberships = SpaceMembership.objects.filter(space=space, user=outsider)
    assert memberships.count() == 1
    expected = MembershipStatus.ACTIVE if space.is_open else MembershipStatus.REQUESTED
    assert memberships.get().status == expected
    joined = Activity.objects.filter(space=space, kind=ActivityKind.MEMBER_JOINED, actor=outsider).count()
    assert joined == (1 if space.is_open else 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_reports_make_one_open_report(open_space, member, moderator):
    thread = Thread.objects.create(space=open_space, title="Rural retention", created_by=moderator)

    def report():
        try:
            moderation.report_create(reporter=member, target=thread, reason="Spam")
            return "made"
        except moderation.ValidationError:
            return "refused"

    results = parallel(report, REQUESTS)
    assert sorted(results) == ["made"] + ["refused"] * (REQUESTS - 1)
    assert Report.objects.count() == 1
