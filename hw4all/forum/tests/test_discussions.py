"""Threads: the list of a space's discussions, starting one, and a thread's page, for every role;
closed spaces answer 404 to whoever may not see them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import Activity, ActivityKind, Comment, Follow, SpaceMembership, Thread
from hw4all.forum.services import discussions

pytestmark = pytest.mark.django_db


def start(space, author, title="Retention of nurses in rural Kenya", body="How do we keep nurses?"):
    return discussions.thread_create(space=space, author=author, title=title, body=body)


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def suspend(user, space):
    SpaceMembership.objects.filter(user=user, space=space).update(
        suspended_until=timezone.now() + timedelta(days=7), suspension_reason="Insults"
    )


# The list


def test_the_list_shows_threads_most_recent_activity_first_with_count_author_and_lock(open_space, member):
    older = start(open_space, member, title="Older thread")
    newer = start(open_space, member, title="Newer thread")
    Thread.objects.filter(pk=older.pk).update(last_activity_at=timezone.now() + timedelta(minutes=5))
    Thread.objects.filter(pk=newer.pk).update(is_locked=True)
    discussions.comment_create(author=member, body="A second comment", thread=older)

    response = signed_in(None).get(reverse("forum:thread_list", args=[open_space.slug]))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Older thread") < text.index("Newer thread")
    assert "2 comments" in text
    assert "Started by Member KE" in text
    assert "Locked" in text
    assert response.context["section"] == "discussions"


def test_the_list_is_paginated(open_space, member):
    threads = [Thread(space=open_space, title=f"Thread {n}", created_by=member) for n in range(30)]
    Thread.objects.bulk_create(threads)
    response = signed_in(None).get(reverse("forum:thread_list", args=[open_space.slug]) + "?page=2")
    assert response.status_code == 200
    assert len(response.context["threads"]) == 5


def test_hidden_threads_are_placeholders_except_for_moderators(open_space, member, moderator):
    thread = start(open_space, member, title="Offensive title")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    url = reverse("forum:thread_list", args=[open_space.slug])

    for viewer in (None, member):
        text = signed_in(viewer).get(url).content.decode()
        assert "Offensive title" not in text
        assert "Discussion hidden by a moderator" in text
    text = signed_in(moderator).get(url).content.decode()
    assert "Offensive title" in text
    assert "Hidden by a moderator" in text

    page = signed_in(member).get(thread.get_absolute_url()).content.decode()
    assert "Offensive title" not in page
    assert "How do we keep nurses?" not in page
    assert "Offensive title" in signed_in(moderator).get(thread.get_absolute_url()).content.decode()


@pytest.mark.permission("forum:thread_detail", "object")
@pytest.mark.permission("forum:thread_list", "object")
@pytest.mark.parametrize("role", ["anonymous", "outsider", "open_member"])
def test_a_closed_space_is_404_for_whoever_may_not_see_it(role, request, closed_space, member):
    viewer = None if role == "anonymous" else request.getfixturevalue(role)
    thread = start(closed_space, member, title="Secret strategy")
    client = signed_in(viewer)
    urls = [
        reverse("forum:thread_list", args=[closed_space.slug]),
        reverse("forum:thread_create", args=[closed_space.slug]),
        thread.get_absolute_url(),
        reverse("forum:thread_comment", args=[thread.pk]),
        reverse("forum:comment_history", args=[thread.comments.get().pk]),
        reverse("forum:comment_edit", args=[thread.comments.get().pk]),
        reverse("forum:comment_delete", args=[thread.comments.get().pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Secret strategy" not in response.content
    response = client.post(reverse("forum:thread_comment", args=[thread.pk]), {"body": "Let me in"})
    assert response.status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.permission("forum:thread_list", "role")
@pytest.mark.parametrize("role", ["member", "moderator", "secretary"])
def test_who_may_see_a_closed_space_reads_its_threads(role, request, closed_space, member):
    viewer = request.getfixturevalue(role)
    thread = start(closed_space, member, title="Secret strategy")
    client = signed_in(viewer)
    assert b"Secret strategy" in client.get(reverse("forum:thread_list", args=[closed_space.slug])).content
    assert b"Secret strategy" in client.get(thread.get_absolute_url()).content


def test_steering_committee_outside_a_closed_space_does_not_see_it(closed_space, member, steering):
    thread = start(closed_space, member)
    assert signed_in(steering).get(thread.get_absolute_url()).status_code == 404


# Starting a thread


def test_a_member_starts_a_thread_with_its_first_comment(open_space, open_member):
    client = signed_in(open_member)
    url = reverse("forum:thread_create", args=[open_space.slug])
    assert client.get(url).status_code == 200

    response = client.post(url, {"title": "  Bilateral   agreements ", "body": "What do **you** think?"})

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    assert thread.title == "Bilateral agreements"
    assert thread.comment_count == 1
    assert thread.created_by == open_member
    comment = thread.comments.get()
    assert comment.body_html == "<p>What do <strong>you</strong> think?</p>\n"
    activity = Activity.objects.get()
    assert activity.kind == ActivityKind.THREAD_STARTED
    assert activity.thread == thread
    assert Follow.objects.filter(user=open_member, thread=thread).exists()

    page = client.get(response.url).content.decode()
    assert "Your discussion is started." in page
    assert "<strong>you</strong>" in page


@pytest.mark.parametrize("role", ["secretary"])
def test_the_secretariat_starts_threads_without_joining(role, request, closed_space):
    client = signed_in(request.getfixturevalue(role))
    response = client.post(
        reverse("forum:thread_create", args=[closed_space.slug]), {"title": "Agenda", "body": "Items?"}
    )
    assert response.status_code == 302
    assert Thread.objects.filter(space=closed_space).count() == 1


@pytest.mark.permission("forum:thread_create", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(open_space):
    response = signed_in(None).post(
        reverse("forum:thread_create", args=[open_space.slug]), {"title": "Spam", "body": "Spam"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Thread.objects.exists()


@pytest.mark.permission("forum:thread_create", "role")
@pytest.mark.parametrize("role", ["outsider", "steering"])
def test_who_is_not_a_member_may_not_start_a_thread(role, request, open_space):
    client = signed_in(request.getfixturevalue(role))
    url = reverse("forum:thread_create", args=[open_space.slug])
    response = client.post(url, {"title": "Hello", "body": "Hi"})
    assert response.status_code == 403
    assert "Join this space to start a discussion." in response.content.decode()
    assert client.get(url).status_code == 403
    assert not Thread.objects.exists()


@pytest.mark.permission("forum:thread_create", "object")
def test_a_suspended_member_may_not_start_a_thread(open_space, open_member):
    suspend(open_member, open_space)
    response = signed_in(open_member).post(
        reverse("forum:thread_create", args=[open_space.slug]), {"title": "Hello", "body": "Hi"}
    )
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_thread_form_with_errors_keeps_what_was_typed(open_space, open_member):
    long_title = "T" * 201
    response = signed_in(open_member).post(
        reverse("forum:thread_create", args=[open_space.slug]), {"title": long_title, "body": ""}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "A title holds at most 200 characters." in text or "Write your comment first." in text
    assert long_title in text
    assert not Thread.objects.exists()

    body = "x" * 20_001
    response = signed_in(open_member).post(
        reverse("forum:thread_create", args=[open_space.slug]), {"title": "Fine", "body": body}
    )
    text = response.content.decode()
    assert "A comment holds at most 20,000 characters; this one has 20,001." in text
    assert body in text
    assert not Thread.objects.exists()


def test_a_thread_title_with_markup_is_escaped_everywhere(open_space, open_member):
    start(open_space, open_member, title='<script>alert("x")</script>')
    client = signed_in(None)
    for url in (
        reverse("forum:thread_list", args=[open_space.slug]),
        Thread.objects.get().get_absolute_url(),
    ):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_starting_a_thread_needs_the_csrf_token(open_space, open_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(open_member)
    response = client.post(
        reverse("forum:thread_create", args=[open_space.slug]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 403
    assert not Thread.objects.exists()


# A thread's page


def test_the_thread_page_shows_the_lock_notice_and_no_form_to_members(open_space, open_member, moderator):
    thread = start(open_space, open_member)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    member_page = signed_in(open_member).get(thread.get_absolute_url()).content.decode()
    assert "This discussion is locked: no new comments." in member_page
    assert 'id="comment-form"' not in member_page
    moderator_page = signed_in(moderator).get(thread.get_absolute_url()).content.decode()
    assert "As a moderator you can still comment." in moderator_page
    assert 'id="comment-form"' in moderator_page


@pytest.mark.parametrize(
    ("role", "form_shown"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("steering", False),
        ("open_member", True),
        ("member", True),
        ("moderator", True),
        ("secretary", True),
    ],
)
def test_the_comment_form_is_offered_to_who_may_comment(role, form_shown, request, open_space, member):
    viewer = None if role == "anonymous" else request.getfixturevalue(role)
    thread = start(open_space, member)
    response = signed_in(viewer).get(thread.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert ('id="comment-form"' in text) is form_shown
    assert ("Reply<span" in text) is form_shown
    if role == "anonymous":
        assert "Sign in</a> to comment." in text
    elif not form_shown:
        assert "Join this space to take part in its discussions." in text


@pytest.mark.permission("forum:thread_detail", "public")
def test_unknown_threads_and_spaces_are_404(open_space):
    client = signed_in(None)
    assert client.get(reverse("forum:thread_detail", args=[999])).status_code == 404
    assert client.get(reverse("forum:thread_list", args=["nowhere"])).status_code == 404
