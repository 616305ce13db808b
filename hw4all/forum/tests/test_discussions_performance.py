"""A thread's page costs the same number of queries with 20 comments as with 200 (one for the
comments, one for their authors' names, whatever the depth and the number of authors), for an
anonymous visitor, a member and a moderator."""

import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.models import Comment, Thread
from hw4all.forum.queries.discussions import COMMENTS_PER_PAGE
from hw4all.forum.services import access

pytestmark = pytest.mark.django_db


def thread_with(space, authors, count: int) -> Thread:
    """A thread of `count` comments by many authors, replies up to eight levels deep."""
    rng = random.Random(count)
    thread = Thread.objects.create(space=space, title=f"{count} comments", created_by=authors[0])
    now = timezone.now()
    made: list[tuple[Comment, int]] = []
    for number in range(count):
        parent, depth = (None, 0)
        if made and rng.random() < 0.7:
            parent, parent_depth = rng.choice(made)
            depth = parent_depth + 1
            if depth > 8:
                parent, depth = None, 0
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            author=authors[number % len(authors)],
            body=f"Comment {number}",
            body_html=f"<p>Comment {number}</p>",
            created_at=now,
            edited_at=now if number % 7 == 0 else None,
            is_hidden=number % 50 == 3,
            is_deleted=number % 50 == 5,
        )
        made.append((comment, depth))
    Thread.objects.filter(pk=thread.pk).update(comment_count=count)
    for author in authors:
        access.participant_for(author)
    return thread


@pytest.mark.parametrize("role", ["anonymous", "open_member", "moderator"])
def test_the_query_count_does_not_grow_with_the_comments(
    role, request, open_space, django_assert_max_num_queries
):
    viewer = None if role == "anonymous" else request.getfixturevalue(role)
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    few_authors = [member_of(open_space, country="KE") for _ in range(3)]
    many_authors = [member_of(open_space, country="KE") for _ in range(30)]
    small = thread_with(open_space, few_authors, 20)
    large = thread_with(open_space, many_authors, 200)

    client.get(small.get_absolute_url())  # per-process caches filled
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(large.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    # A full page of comments, and the rest on further pages.
    assert text.count('class="forum-comment"') >= COMMENTS_PER_PAGE
    assert "Pages of comments" in text
