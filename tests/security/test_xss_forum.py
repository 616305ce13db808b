"""The forum's user text (discussion titles, comments and their edits, proposals, poll questions
and options, reports, members' names, a space's description) written with the OWASP corpus
through the forms members use, then read on every page, feed and API answer that shows it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Comment, Proposal, SpaceKind, Thread
from hw4all.forum.services import polls
from hw4all.forum.services import proposals as proposal_services

from .xss import SHORT, TYPEABLE, assert_feed_inert, assert_json_html_inert, assert_pages_inert, packed

pytestmark = pytest.mark.django_db

CORPUS = "\n\n".join(TYPEABLE)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def ok(response) -> None:
    assert response.status_code in (200, 302), response.content.decode()[:2000]


def forum_pages(*, titles: list[str], body: str, short: str, medium: str, query: str) -> dict[str, str]:
    space = SpaceFactory(
        name="Global", slug="global", kind=SpaceKind.GLOBAL, is_open=True, description=medium
    )
    author = member_of(space, moderator=True, country="KE")
    author.first_name, author.last_name = short[:150], "Otieno"
    author.save()
    client = Client()
    client.force_login(author)

    for title in titles:
        ok(client.post(reverse("forum:thread_create", args=[space.slug]), {"title": title, "body": body}))
    thread = Thread.objects.order_by("pk").first()
    ok(client.post(reverse("forum:thread_comment", args=[thread.pk]), {"body": body}))
    comment = Comment.objects.filter(thread=thread).order_by("pk").last()
    ok(client.post(reverse("forum:thread_comment", args=[thread.pk]), {"body": body, "parent": comment.pk}))
    ok(client.post(reverse("forum:comment_edit", args=[comment.pk]), {"body": body + "\n\nEdited."}))
    ok(client.post(reverse("forum:report", args=["comment", comment.pk]), {"reason": medium}))

    ok(
        client.post(
            reverse("forum:proposal_create", args=[space.slug]),
            {
                "title": titles[0],
                "problem": body,
                "proposed": body,
                "addressees": ["other"],
                "addressee_detail": short,
                "level": "global",
                "countries": ["KE"],
                "code_articles": [5],
            },
        )
    )
    proposal = Proposal.objects.get()
    proposal_services.proposal_open(proposal=proposal, user=author)
    ok(client.post(reverse("forum:proposal_comment", args=[proposal.pk]), {"body": body}))

    poll = polls.poll_create(
        space=space,
        by=author,
        question=titles[0],
        description=body,
        closes_at=timezone.now() + datetime.timedelta(days=7),
        options=[short[:200], titles[-1][:200]],
    )

    pages = {
        "space": reverse("forum:space", args=[space.slug]),
        "space activity": reverse("forum:space_activity", args=[space.slug]),
        "discussions": reverse("forum:thread_list", args=[space.slug]),
        "discussion": thread.get_absolute_url(),
        "comment history": reverse("forum:comment_history", args=[comment.pk]),
        "comment edit form": reverse("forum:comment_edit", args=[comment.pk]),
        "moderation": reverse("forum:space_moderation", args=[space.slug]),
        "proposals": reverse("forum:proposal_list", args=[space.slug]),
        "proposal": proposal.get_absolute_url(),
        "proposal versions": reverse("forum:proposal_versions", args=[proposal.pk]),
        "proposal edit form": reverse("forum:proposal_edit", args=[proposal.pk]),
        "poll": reverse("forum:poll_detail", args=[poll.pk]),
        "polls": reverse("forum:poll_list", args=[space.slug]),
        "search": reverse("forum:search") + "?q=" + query.split()[0],
        "space search": reverse("forum:space_search", args=[space.slug]) + "?q=" + query.split()[0],
    }
    shown = {}
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        shown[where] = response.content.decode()
    for url in (
        reverse("forum:space_feed", args=[space.slug]),
        reverse("forum:space_feed_rss", args=[space.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_feed_inert(response.content.decode(), url)
    for url in (
        f"/api/v1/forum/proposals/{proposal.pk}",
        f"/api/v1/forum/threads/{thread.pk}/comments",
        f"/api/v1/forum/proposals/{proposal.pk}/comments",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_json_html_inert(response.json(), url)
    return shown


def test_the_forum_shows_every_vector_inert():
    assert_pages_inert(
        forum_pages,
        titles=packed(SHORT, 200, " "),
        body=CORPUS,
        short=" ".join(SHORT)[:150],
        medium="\n".join(SHORT),
        query="alert",
    )
