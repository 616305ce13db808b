"""Nothing of a closed space reaches anybody outside it: a proposal, a discussion, a comment and
a poll whose titles carry a marker word never show it to an outsider or an anonymous visitor, in
the forum's pages and their titles, search, notifications, emails, feeds or the API."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import (
    ActivityKind,
    Follow,
    Notification,
    Participant,
    Poll,
    PollOption,
    SpaceMembership,
)
from hw4all.forum.services import activity, delivery

from .test_notifications import (
    client_for,
    comment_activity,
    frequency,
    make_comment,
    make_proposal,
    make_thread,
)

MARKER = "Zebrafinch"


@pytest.fixture
def secret(closed_space, member):
    """The closed space's content, each title with the marker."""
    proposal = make_proposal(
        closed_space,
        member,
        title=f"{MARKER} proposal",
        problem=f"{MARKER} problem",
        proposed=f"{MARKER} plan",
    )
    thread = make_thread(closed_space, member, title=f"{MARKER} discussion")
    comment = make_comment(member, f"{MARKER} comment body", thread=thread)
    now = timezone.now()
    poll = Poll.objects.create(
        space=closed_space,
        question=f"{MARKER} poll",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
        created_by=member,
    )
    PollOption.objects.create(poll=poll, label=f"{MARKER} option")
    return {"proposal": proposal, "thread": thread, "comment": comment, "poll": poll}


@pytest.fixture
def former_member(closed_space):
    """An outsider now: they followed the space while a member, and asked for email at once."""
    from hw4all.forum.factories import member_of

    user = member_of(closed_space, country="PH")
    Follow.objects.create(user=user, space=closed_space)
    frequency(user, Participant.EmailFrequency.IMMEDIATE)
    return user


def space_pages(space, secret) -> list[str]:
    slug = {"slug": space.slug}
    return [
        reverse("forum:space", kwargs=slug),
        reverse("forum:space_activity", kwargs=slug),
        # The 404 page repeats the address asked for; ask with another word of the content.
        reverse("forum:space_search", kwargs=slug) + "?q=plan",
        reverse("forum:space_members", kwargs=slug),
        reverse("forum:proposal_list", kwargs=slug),
        reverse("forum:thread_list", kwargs=slug),
        reverse("forum:poll_list", kwargs=slug),
        reverse("forum:space_feed", kwargs=slug),
        reverse("forum:proposal_detail", kwargs={"pk": secret["proposal"].pk}),
        reverse("forum:proposal_versions", kwargs={"pk": secret["proposal"].pk}),
        reverse("forum:thread_detail", kwargs={"pk": secret["thread"].pk}),
        reverse("forum:comment_history", kwargs={"pk": secret["comment"].pk}),
        reverse("forum:poll_detail", kwargs={"pk": secret["poll"].pk}),
        reverse("forum:poll_ballots", kwargs={"pk": secret["poll"].pk}),
    ]


def api_paths(space, secret) -> list[str]:
    return [
        "/api/v1/forum/spaces",
        f"/api/v1/forum/spaces/{space.slug}",
        f"/api/v1/forum/spaces/{space.slug}/proposals",
        f"/api/v1/forum/spaces/{space.slug}/threads",
        f"/api/v1/forum/proposals/{secret['proposal'].pk}",
    ]


@pytest.mark.permission("forum:index", "object")
@pytest.mark.permission("hw4all_forum_api_proposal_list", "public")
@pytest.mark.permission("hw4all_forum_api_thread_list", "public")
def test_nothing_of_a_closed_space_reaches_outsiders(
    client,
    closed_space,
    open_space,
    member,
    secret,
    former_member,
    outsider,
    open_member,
    steering,
    django_capture_on_commit_callbacks,
):
    # While they were a member, the former member was told of the comment.
    comment_activity(closed_space, member, secret["thread"], secret["comment"])
    assert Notification.objects.filter(user=former_member).count() == 1
    Notification.objects.filter(user=former_member).update(emailed_at=None)
    SpaceMembership.objects.filter(space=closed_space, user=former_member).delete()

    # Since they left: a poll opens and a comment mentions them; they are told nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        activity.activity_record(
            space=closed_space,
            kind=ActivityKind.POLL_OPENED,
            actor=member,
            summary=secret["poll"].question,
            poll=secret["poll"],
        )
        comment_activity(
            closed_space,
            member,
            secret["thread"],
            make_comment(member, f"@someone {MARKER} again", thread=secret["thread"]),
            mentioned=[former_member, outsider],
        )
    delivery.digests_send()
    assert Notification.objects.filter(user__in=[outsider, open_member, steering]).count() == 0
    assert Notification.objects.filter(user=former_member).count() == 1  # the one from before
    leaked_mail = [message for message in mail.outbox if MARKER in message.subject + message.body]
    assert all(message.to == [member.email] for message in leaked_mail)
    assert not [message for message in mail.outbox if former_member.email in message.to]

    visitors = {
        "anonymous": client,
        "outsider": client_for(outsider),
        "former member": client_for(former_member),
        "member of another space": client_for(open_member),
        "steering committee": client_for(steering),
    }
    for name, visitor in visitors.items():
        for url in space_pages(closed_space, secret):
            response = visitor.get(url)
            assert response.status_code == 404, (name, url, response.status_code)
            assert MARKER not in response.content.decode(), (name, url)
            assert closed_space.name not in response.content.decode(), (name, url)
        for url in (
            reverse("forum:index"),
            # Searched by the content's other words (the page repeats the words searched).
            reverse("forum:search") + "?q=problem",
            reverse("forum:search") + "?q=plan",
            reverse("forum:search") + "?q=comment+body",
            reverse("forum:search") + "?q=discussion",
            reverse("forum:space_search", kwargs={"slug": open_space.slug}) + "?q=proposal",
            reverse("forum:notifications"),
            reverse("forum:notification_settings"),
            reverse("forum:space_feed", kwargs={"slug": open_space.slug}),
        ):
            response = visitor.get(url, follow=True)
            assert response.status_code == 200, (name, url)
            page = response.content.decode()
            assert MARKER not in page, (name, url)
            assert closed_space.name not in page, (name, url)
        search = visitor.get(reverse("forum:search"), {"q": MARKER}).content.decode()
        assert "0 results" in search, name
        assert closed_space.name not in search, name
        for path in api_paths(closed_space, secret):
            response = visitor.get(path)
            assert MARKER not in response.content.decode(), (name, path)
            assert closed_space.slug not in response.content.decode(), (name, path)
        for kind, target in (
            ("space", closed_space),
            ("proposal", secret["proposal"]),
            ("thread", secret["thread"]),
        ):
            response = visitor.post(reverse("forum:follow", kwargs={"kind": kind, "pk": target.pk}))
            assert response.status_code in (302, 404), (name, kind)
            if response.status_code == 302:  # anonymous: to the sign-in page
                assert "/accounts/login/" in response["Location"]

    # The member of the space sees it all, so the marker is really there to find.
    inside = client_for(member)
    assert MARKER in inside.get(reverse("forum:search") + f"?q={MARKER}").content.decode()
