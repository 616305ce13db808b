"""Comments on threads and proposals: posting and replying (plain forms and htmx), the tree, edits
with their history, deletion, mentions, and what every role may do; hostile input stays inert."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import (
    Activity,
    ActivityKind,
    Comment,
    CommentRevision,
    Notification,
    NotificationReason,
    Proposal,
    ProposalAuthor,
    ProposalLevel,
    ProposalStatus,
    SpaceMembership,
    Thread,
)
from hw4all.forum.services import access, discussions

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def htmx(user) -> Client:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(user)
    return client


def start(space, author, title="Retention of nurses", body="First comment"):
    return discussions.thread_create(space=space, author=author, title=title, body=body)


def comment_url(thread) -> str:
    return reverse("forum:thread_comment", args=[thread.pk])


def handle_of(user) -> str:
    return access.participant_for(user).handle


def proposal_in(space, author, status=ProposalStatus.OPEN) -> Proposal:
    proposal = Proposal.objects.create(
        space=space,
        title="Ethical recruitment code for Belgium",
        problem="Agencies recruit from red-list countries.",
        proposed="A binding code.",
        level=ProposalLevel.NATIONAL,
        status=status,
        created_by=author,
    )
    ProposalAuthor.objects.create(proposal=proposal, user=author)
    return proposal


# Posting


def test_a_member_comments_without_javascript(open_space, member, open_member):
    thread = start(open_space, member)
    client = signed_in(open_member)

    response = client.post(comment_url(thread), {"body": "I agree, *strongly*."})

    comment = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == f"{thread.get_absolute_url()}#comment-{comment.pk}"
    assert comment.body_html == "<p>I agree, <em>strongly</em>.</p>\n"
    thread.refresh_from_db()
    assert thread.comment_count == 2
    assert thread.last_activity_at == comment.created_at
    activity = Activity.objects.get(kind=ActivityKind.COMMENT_POSTED)
    assert activity.comment == comment
    # The thread's author follows it and is told.
    assert Notification.objects.filter(user=member, activity=activity).exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Your comment is posted." in page
    assert "<em>strongly</em>" in page
    assert "2 comments" in page


def test_a_reply_without_javascript_has_a_page_of_its_own(open_space, member, open_member):
    thread = start(open_space, member)
    first = thread.comments.get()
    client = signed_in(open_member)

    form_page = client.get(comment_url(thread) + f"?parent={first.pk}")
    text = form_page.content.decode()
    assert form_page.status_code == 200
    assert "First comment" in text
    assert f'name="parent" value="{first.pk}"' in text
    assert "Your reply" in text

    response = client.post(comment_url(thread), {"body": "A reply", "parent": first.pk})
    reply = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert reply.parent == first
    notification = Notification.objects.get(user=member, activity__comment=reply)
    assert notification.reason == NotificationReason.REPLY


def test_a_comment_with_htmx_comes_back_for_its_place_with_an_empty_form(open_space, member, open_member):
    thread = start(open_space, member)
    response = htmx(open_member).post(comment_url(thread), {"body": "In place"})
    text = response.content.decode()
    comment = Comment.objects.latest("pk")
    assert response.status_code == 200
    assert text.lstrip().startswith(f'<li class="forum-comment" id="comment-{comment.pk}">')
    assert "In place" in text
    assert 'id="comment-form"' in text and 'hx-swap-oob="true"' in text
    assert re.search(r"<textarea[^>]*>\s*</textarea>", text)
    assert 'hx-swap-oob="innerHTML:#comments-status">Your comment is posted.' in text


def test_a_reply_form_with_htmx_lands_in_the_comment_and_the_reply_in_its_list(
    open_space, member, open_member
):
    thread = start(open_space, member)
    first = thread.comments.get()
    client = htmx(open_member)

    form = client.get(comment_url(thread) + f"?parent={first.pk}").content.decode()
    assert form.lstrip().startswith(f'<form id="reply-form-{first.pk}"')
    assert f'hx-target="#replies-{first.pk}"' in form

    text = client.post(comment_url(thread), {"body": "In reply", "parent": first.pk}).content.decode()
    assert "In reply" in text
    assert f'<div id="reply-slot-{first.pk}" class="forum-comment__reply" hx-swap-oob="true"></div>' in text


def test_htmx_errors_come_back_in_the_form_with_the_text_kept(open_space, member, open_member):
    thread = start(open_space, member)
    body = "y" * 20_001
    response = htmx(open_member).post(comment_url(thread), {"body": body})
    text = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comment-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert "A comment holds at most 20,000 characters; this one has 20,001." in text
    assert body in text
    assert Comment.objects.count() == 1


def test_an_oversized_comment_is_refused_with_the_text_kept(open_space, member, open_member):
    thread = start(open_space, member)
    body = "Long. " * 4000
    response = signed_in(open_member).post(comment_url(thread), {"body": body})
    text = response.content.decode()
    assert response.status_code == 200
    assert "A comment holds at most 20,000 characters" in text
    assert body.strip() in text
    assert 'href="#comment-body"' in text
    assert Comment.objects.count() == 1


def test_an_empty_comment_is_refused(open_space, member, open_member):
    thread = start(open_space, member)
    response = signed_in(open_member).post(comment_url(thread), {"body": "   "})
    assert "Write your comment first." in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_are_rate_limited_with_a_clear_message(open_space, member, open_member):
    thread = start(open_space, member)
    client = signed_in(open_member)
    for number in range(discussions.COMMENTS_PER_MINUTE):
        assert client.post(comment_url(thread), {"body": f"Comment {number}"}).status_code == 302
    response = client.post(comment_url(thread), {"body": "One too many"})
    text = response.content.decode()
    assert "Wait a minute, then post this one again" in text
    assert "One too many" in text
    assert Comment.objects.count() == 1 + discussions.COMMENTS_PER_MINUTE


def test_commenting_needs_the_csrf_token(open_space, member, open_member):
    thread = start(open_space, member)
    client = Client(enforce_csrf_checks=True)
    client.force_login(open_member)
    assert client.post(comment_url(thread), {"body": "Forged"}).status_code == 403
    assert Comment.objects.count() == 1


@pytest.mark.permission("forum:thread_comment", "role")
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("outsider", False),
        ("steering", False),
        ("open_member", True),
        ("member", True),
        ("moderator", True),
        ("secretary", True),
    ],
)
def test_who_may_comment_in_an_open_space(role, allowed, request, open_space, member):
    thread = start(open_space, member)
    user = request.getfixturevalue(role)
    response = signed_in(user).post(comment_url(thread), {"body": "Hello"})
    assert response.status_code == (302 if allowed else 403)
    assert Comment.objects.count() == (2 if allowed else 1)


@pytest.mark.permission("forum:thread_comment", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_posted(open_space, member):
    thread = start(open_space, member)
    response = signed_in(None).post(comment_url(thread), {"body": "Hello"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Comment.objects.count() == 1


@pytest.mark.permission("forum:thread_comment", "object")
def test_a_suspended_member_may_not_comment(open_space, member, open_member):
    thread = start(open_space, member)
    SpaceMembership.objects.filter(user=open_member).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )
    response = signed_in(open_member).post(comment_url(thread), {"body": "Hello"})
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_locked_thread_refuses_comments_but_not_its_moderators(open_space, member, open_member, moderator):
    thread = start(open_space, member)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = signed_in(open_member).post(comment_url(thread), {"body": "Hello"})
    assert response.status_code == 403
    assert "locked" in response.content.decode()
    with pytest.raises(PermissionDenied):
        discussions.comment_create(author=open_member, body="Direct", thread=Thread.objects.get())
    assert signed_in(moderator).post(comment_url(thread), {"body": "Locked because…"}).status_code == 302
    assert Comment.objects.count() == 2


def test_a_reply_to_a_comment_of_another_thread_is_404(open_space, member, open_member):
    thread = start(open_space, member)
    other = start(open_space, member, title="Other")
    response = signed_in(open_member).post(
        comment_url(thread), {"body": "Hi", "parent": other.comments.get().pk}
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 2


# Hostile input


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ('<a href="javascript:alert(1)">x</a>', '<a href="javascript:'),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
    ],
)
def test_markup_in_a_comment_shows_escaped(body, forbidden, open_space, member, open_member):
    thread = start(open_space, member)
    signed_in(open_member).post(comment_url(thread), {"body": body})
    page = signed_in(None).get(thread.get_absolute_url()).content.decode()
    comments = page[page.index('id="replies-root"') :]
    assert forbidden not in comments


def test_a_mention_of_a_handle_with_markup_stays_text(open_space, member, open_member):
    thread = start(open_space, member)
    body = '@<script>alert(1)</script> @"><b>x</b> @member-ke<script>'
    signed_in(open_member).post(comment_url(thread), {"body": body})
    comment = Comment.objects.latest("pk")
    assert "<script>" not in comment.body_html
    assert "<b>" not in comment.body_html


# Mentions


def test_a_mention_notifies_the_member_and_is_marked(open_space, member, open_member):
    thread = start(open_space, open_member)
    handle = handle_of(member)
    discussions.comment_create(author=open_member, body=f"What do you think, @{handle}?", thread=thread)
    comment = Comment.objects.latest("pk")
    assert f'<strong class="forum-mention">@{handle}</strong>' in comment.body_html
    notification = Notification.objects.get(user=member, activity__comment=comment)
    assert notification.reason == NotificationReason.MENTIONED


def test_mentions_in_code_addresses_or_of_unknown_handles_are_left_alone(open_space, member, open_member):
    thread = start(open_space, open_member)
    handle = handle_of(member)
    body = f"`@{handle}` and mail {handle}@example.org and @nobody-here"
    discussions.comment_create(author=open_member, body=body, thread=thread)
    comment = Comment.objects.latest("pk")
    assert "forum-mention" not in comment.body_html
    assert not Notification.objects.filter(user=member).exists()


def test_mentioning_someone_who_cannot_see_a_closed_space_notifies_nobody(
    closed_space, member, open_member, outsider
):
    thread = start(closed_space, member)
    body = f"@{handle_of(open_member)} and @{handle_of(outsider)}, look"
    discussions.comment_create(author=member, body=body, thread=thread)
    comment = Comment.objects.latest("pk")
    assert "forum-mention" not in comment.body_html
    assert not Notification.objects.filter(user__in=[open_member, outsider]).exists()


# The tree


def test_replies_nest_four_levels_then_list_flat_saying_whom_they_answer(open_space, member, open_member):
    thread = start(open_space, member)
    parent = thread.comments.get()
    chain = [parent]
    for depth in range(1, 7):
        author = member if depth % 2 else open_member
        chain.append(
            discussions.comment_create(author=author, body=f"Level {depth}", thread=thread, parent=chain[-1])
        )
    page = signed_in(None).get(thread.get_absolute_url()).content.decode()
    # Levels 0 to 3 each hold a list; levels 4, 5 and 6 are listed flat under level 3.
    for comment in chain[:4]:
        assert f'id="replies-{comment.pk}"' in page
    for comment in chain[4:]:
        assert f'id="replies-{comment.pk}"' not in page
    flat = page[page.index(f'id="replies-{chain[3].pk}"') :]
    assert flat.index("Level 4") < flat.index("Level 5") < flat.index("Level 6")
    assert f'in reply to <a href="#comment-{chain[4].pk}">' in flat
    assert f'in reply to <a href="#comment-{chain[5].pk}">' in flat


def test_comments_are_paginated_by_whole_conversations(open_space, member, open_member):
    from hw4all.forum.queries import discussions as queries

    thread = start(open_space, member)
    Comment.objects.bulk_create(
        [
            Comment(thread=thread, author=open_member, body=f"Root {n}", body_html=f"<p>Root {n}.</p>")
            for n in range(1, queries.COMMENTS_PER_PAGE + 5)
        ]
    )
    first_page_last = Comment.objects.get(body=f"Root {queries.COMMENTS_PER_PAGE - 1}")
    discussions.comment_create(author=member, body="Early reply", thread=thread, parent=first_page_last)
    last = Comment.objects.get(body=f"Root {queries.COMMENTS_PER_PAGE + 4}")
    response = signed_in(open_member).post(comment_url(thread), {"body": "Late reply", "parent": last.pk})
    assert response.url.endswith(f"?page=2#comment-{Comment.objects.latest('pk').pk}")

    page1 = signed_in(None).get(thread.get_absolute_url()).content.decode()
    page2 = signed_in(None).get(thread.get_absolute_url() + "?page=2").content.decode()
    # The first page ends with a whole conversation: the reply stays with its comment.
    assert "Early reply" in page1
    assert f"Root {queries.COMMENTS_PER_PAGE - 1}." in page1
    assert f"Root {queries.COMMENTS_PER_PAGE}." not in page1
    assert "Late reply" in page2
    assert "Root 1." not in page2
    assert "Pages of comments" in page1


# Editing


@pytest.mark.permission("forum:comment_history", "public")
def test_the_author_edits_and_everyone_who_reads_sees_the_earlier_version(open_space, member, open_member):
    thread = start(open_space, member)
    comment = discussions.comment_create(author=open_member, body="Fisrt draft", thread=thread)
    client = signed_in(open_member)
    edit_url = reverse("forum:comment_edit", args=[comment.pk])
    assert "Fisrt draft" in client.get(edit_url).content.decode()

    response = client.post(edit_url, {"body": "First draft, **fixed**"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.body_html == "<p>First draft, <strong>fixed</strong></p>\n"
    assert comment.edited_at is not None
    assert CommentRevision.objects.get(comment=comment).body == "Fisrt draft"
    history_url = reverse("forum:comment_history", args=[comment.pk])
    assert (
        f'<a href="{history_url}">edited</a>'
        in signed_in(None).get(thread.get_absolute_url()).content.decode()
    )
    history = signed_in(None).get(history_url).content.decode()
    assert "Fisrt draft" in history
    assert "<strong>fixed</strong>" in history


@pytest.mark.permission("forum:comment_delete", "object")
@pytest.mark.permission("forum:comment_edit", "object")
@pytest.mark.parametrize("role", ["member", "moderator", "secretary", "outsider"])
def test_nobody_but_the_author_edits_or_deletes(role, request, open_space, open_member):
    thread = start(open_space, open_member)
    comment = thread.comments.get()
    client = signed_in(request.getfixturevalue(role))
    edit_url = reverse("forum:comment_edit", args=[comment.pk])
    delete_url = reverse("forum:comment_delete", args=[comment.pk])
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"body": "Hijacked"}).status_code == 403
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "First comment"


@pytest.mark.permission("forum:comment_delete", "authenticated")
@pytest.mark.permission("forum:comment_edit", "authenticated")
def test_anonymous_visitors_edit_or_delete_nothing(open_space, open_member):
    thread = start(open_space, open_member)
    comment = thread.comments.get()
    client = signed_in(None)
    response = client.post(reverse("forum:comment_edit", args=[comment.pk]), {"body": "x"})
    assert "/accounts/login/" in response.url
    response = client.post(reverse("forum:comment_delete", args=[comment.pk]))
    assert "/accounts/login/" in response.url
    assert Comment.objects.filter(pk=comment.pk, body="First comment").exists()


def test_edits_are_refused_when_locked_hidden_or_suspended(open_space, member, open_member):
    thread = start(open_space, open_member)
    comment = thread.comments.get()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    comment.thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        discussions.comment_edit(comment=Comment.objects.get(pk=comment.pk), user=open_member, body="New")
    Thread.objects.filter(pk=thread.pk).update(is_locked=False)
    Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
    with pytest.raises(PermissionDenied):
        discussions.comment_edit(comment=Comment.objects.get(pk=comment.pk), user=open_member, body="New")
    Comment.objects.filter(pk=comment.pk).update(is_hidden=False)
    SpaceMembership.objects.filter(user=open_member).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )
    access.forget_membership(open_member, open_space)
    with pytest.raises(PermissionDenied):
        discussions.comment_edit(comment=Comment.objects.get(pk=comment.pk), user=open_member, body="New")
    assert not CommentRevision.objects.exists()


def test_the_edit_and_delete_pages_say_why_when_the_thread_is_locked(open_space, open_member):
    thread = start(open_space, open_member)
    comment = thread.comments.get()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client = signed_in(open_member)
    for name in ("forum:comment_edit", "forum:comment_delete"):
        response = client.get(reverse(name, args=[comment.pk]))
        assert response.status_code == 403
        assert "This discussion is locked: no new comments." in response.content.decode()


def test_an_oversized_edit_is_refused_with_the_text_kept(open_space, open_member):
    thread = start(open_space, open_member)
    comment = thread.comments.get()
    body = "z" * 20_001
    response = signed_in(open_member).post(reverse("forum:comment_edit", args=[comment.pk]), {"body": body})
    assert body in response.content.decode()
    assert "at most 20,000 characters" in response.content.decode()
    with pytest.raises(ValidationError):
        discussions.comment_edit(comment=comment, user=open_member, body=body)


@pytest.mark.permission("forum:comment_history", "role")
def test_a_hidden_comment_shows_a_placeholder_and_its_history_only_to_moderators(
    open_space, member, open_member, moderator
):
    thread = start(open_space, member)
    comment = discussions.comment_create(author=open_member, body="Rude words", thread=thread)
    discussions.comment_edit(comment=comment, user=open_member, body="Ruder words")
    Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
    history_url = reverse("forum:comment_history", args=[comment.pk])
    for viewer in (None, member, open_member):
        page = signed_in(viewer).get(thread.get_absolute_url()).content.decode()
        assert "Rude words" not in page and "Ruder words" not in page
        assert "Comment hidden by a moderator" in page
        assert signed_in(viewer).get(history_url).status_code == 404
    page = signed_in(moderator).get(thread.get_absolute_url()).content.decode()
    assert "Ruder words" in page
    assert "forum-comment--hidden" in page
    assert "Rude words" in signed_in(moderator).get(history_url).content.decode()


# Deleting


def test_deleting_a_comment_with_replies_leaves_a_placeholder(open_space, member, open_member):
    thread = start(open_space, member)
    comment = discussions.comment_create(author=open_member, body="Mine", thread=thread)
    discussions.comment_edit(comment=comment, user=open_member, body="Mine, edited")
    discussions.comment_create(author=member, body="A reply", thread=thread, parent=comment)
    client = signed_in(open_member)
    delete_url = reverse("forum:comment_delete", args=[comment.pk])
    assert "It has replies" in client.get(delete_url).content.decode()

    response = client.post(delete_url)

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    assert not CommentRevision.objects.filter(comment=comment).exists()
    thread.refresh_from_db()
    assert thread.comment_count == 2
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Comment deleted by its author" in page
    assert "Mine" not in page
    assert "A reply" in page
    assert "2 comments" in page


def test_deleting_the_last_reply_also_removes_placeholders_above_it(open_space, member, open_member):
    thread = start(open_space, member)
    comment = discussions.comment_create(author=open_member, body="Mine", thread=thread)
    reply = discussions.comment_create(author=open_member, body="My reply", thread=thread, parent=comment)
    discussions.comment_delete(comment=comment, user=open_member)
    discussions.comment_delete(comment=Comment.objects.get(pk=reply.pk), user=open_member)
    assert list(Comment.objects.values_list("body", flat=True)) == ["First comment"]
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_deleting_a_comment_without_replies_removes_it(open_space, member, open_member):
    thread = start(open_space, member)
    comment = discussions.comment_create(author=open_member, body="Mine", thread=thread)
    signed_in(open_member).post(reverse("forum:comment_delete", args=[comment.pk]))
    assert not Comment.objects.filter(pk=comment.pk).exists()
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_deleting_needs_the_csrf_token(open_space, open_member):
    thread = start(open_space, open_member)
    client = Client(enforce_csrf_checks=True)
    client.force_login(open_member)
    assert client.post(reverse("forum:comment_delete", args=[thread.comments.get().pk])).status_code == 403
    assert Comment.objects.count() == 1


# Proposals


def test_comments_on_an_open_proposal_tell_its_authors(open_space, member, open_member):
    proposal = proposal_in(open_space, member)
    url = reverse("forum:proposal_comment", args=[proposal.pk])
    response = signed_in(open_member).post(url, {"body": "Supported"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{proposal.get_absolute_url()}#comment-{comment.pk}"
    assert comment.proposal == proposal
    assert Notification.objects.get(user=member).reason == NotificationReason.AUTHOR


@pytest.mark.permission("forum:proposal_comment", "object")
@pytest.mark.parametrize(
    "status", [ProposalStatus.ADOPTED, ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN]
)
def test_closed_proposals_refuse_comments(status, open_space, member, open_member):
    proposal = proposal_in(open_space, member, status=status)
    response = signed_in(open_member).post(
        reverse("forum:proposal_comment", args=[proposal.pk]), {"body": "Too late"}
    )
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_draft_proposal_refuses_comments_and_hides_from_others(open_space, member, open_member):
    proposal = proposal_in(open_space, member, status=ProposalStatus.DRAFT)
    url = reverse("forum:proposal_comment", args=[proposal.pk])
    assert signed_in(open_member).post(url, {"body": "Early"}).status_code == 404
    response = signed_in(member).post(url, {"body": "Early"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        discussions.comment_create(author=member, body="Early", proposal=proposal)
    assert not Comment.objects.exists()


def test_the_comments_block_of_a_proposal(rf, open_space, member, open_member):
    from hw4all.forum.views.discussions import comments_block

    proposal = proposal_in(open_space, member)
    discussions.comment_create(author=open_member, body="On the proposal", proposal=proposal)
    request = rf.get(proposal.get_absolute_url())
    request.user = open_member
    request.htmx = False
    html = comments_block(request, proposal=proposal)
    assert "On the proposal" in html
    assert reverse("forum:proposal_comment", args=[proposal.pk]) in html
    assert "1 comment" in html

    closed = proposal_in(open_space, member, status=ProposalStatus.ADOPTED)
    request = rf.get(closed.get_absolute_url())
    request.user = open_member
    html = comments_block(request, proposal=closed)
    assert "This proposal is closed: no new comments." in html
    assert 'id="comment-form"' not in html
