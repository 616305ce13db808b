"""Following spaces, proposals and discussions: who may, the button each person sees, in place
with htmx and as a plain form, and that followers are then told."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import ActivityKind, Follow, Notification, ProposalStatus, SpaceMembership
from hw4all.forum.services import activity

from .test_notifications import client_for, make_proposal, make_thread

BUTTON = Template("{% load forum_follow %}{% follow_button target %}")


def button(rf, user, target) -> str:
    request = rf.get("/en/forum/somewhere/")
    request.user = user
    return BUTTON.render(Context({"request": request, "target": target}))


def follow_url(kind: str, pk: int) -> str:
    return reverse("forum:follow", kwargs={"kind": kind, "pk": pk})


def test_the_button_shows_to_those_who_may_see(rf, open_space, closed_space, member, outsider):
    assert "Follow this space" in button(rf, member, open_space)
    assert "Follow this space" in button(rf, outsider, open_space)
    assert 'name="next" value="/en/forum/somewhere/"' in button(rf, member, open_space)
    assert "Follow this space" in button(rf, member, closed_space)
    assert button(rf, outsider, closed_space).strip() == ""
    assert button(rf, AnonymousUser(), open_space).strip() == ""
    Follow.objects.create(user=member, space=open_space)
    assert "Stop following this space" in button(rf, member, open_space)


def test_hidden_things_and_drafts_have_no_button_but_for_moderators_and_authors(
    rf, open_space, member, moderator, outsider
):
    hidden = make_thread(open_space, member, is_hidden=True)
    assert button(rf, outsider, hidden).strip() == ""
    assert "Follow this discussion" in button(rf, moderator, hidden)
    draft = make_proposal(open_space, member, status=ProposalStatus.DRAFT)
    assert button(rf, outsider, draft).strip() == ""
    assert button(rf, moderator, draft).strip() == ""
    assert "Follow this proposal" in button(rf, member, draft)


@pytest.mark.parametrize("kind", ["space", "proposal", "thread"])
def test_a_member_follows_and_stops_following_with_a_plain_form(kind, open_space, member, open_member):
    target = {
        "space": lambda: open_space,
        "proposal": lambda: make_proposal(open_space, open_member),
        "thread": lambda: make_thread(open_space, open_member),
    }[kind]()
    client = client_for(member)
    response = client.post(follow_url(kind, target.pk), {"following": "1", "next": "/en/forum/"})
    assert response.status_code == 302 and response["Location"] == "/en/forum/"
    assert Follow.objects.filter(user=member, **{kind: target}).count() == 1
    # Twice (a double click, another tab) is once.
    client.post(follow_url(kind, target.pk), {"following": "1"})
    assert Follow.objects.filter(user=member, **{kind: target}).count() == 1
    response = client.post(follow_url(kind, target.pk), {"following": "0"}, follow=True)
    assert "You no longer follow this" in response.content.decode()
    assert not Follow.objects.filter(user=member, **{kind: target}).exists()


def test_without_a_choice_the_button_toggles(open_space, member):
    client = client_for(member)
    client.post(follow_url("space", open_space.pk))
    assert Follow.objects.filter(user=member, space=open_space).exists()
    client.post(follow_url("space", open_space.pk))
    assert not Follow.objects.filter(user=member, space=open_space).exists()


def test_a_redirect_elsewhere_is_refused(open_space, member):
    response = client_for(member).post(
        follow_url("space", open_space.pk), {"following": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == open_space.get_absolute_url()


def test_htmx_swaps_the_button_and_announces_it(open_space, member):
    response = client_for(member).post(
        follow_url("space", open_space.pk), {"following": "1", "next": "/en/forum/"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Stop following this space" in page
    assert "You follow this space" in page
    assert 'name="next" value="/en/forum/"' in page


def test_a_suspended_member_may_still_follow_what_they_read(open_space, member):
    SpaceMembership.objects.filter(space=open_space, user=member).update(
        suspended_until=timezone.now() + timezone.timedelta(days=3)
    )
    client_for(member).post(follow_url("space", open_space.pk), {"following": "1"})
    assert Follow.objects.filter(user=member, space=open_space).exists()


@pytest.mark.permission("forum:follow", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, open_space):
    response = client.post(follow_url("space", open_space.pk), {"following": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


@pytest.mark.permission("forum:follow", "object")
def test_outsiders_cannot_follow_anything_in_a_closed_space(closed_space, member, outsider, open_member):
    proposal = make_proposal(closed_space, member)
    thread = make_thread(closed_space, member)
    for user in (outsider, open_member):
        client = client_for(user)
        for kind, target in (("space", closed_space), ("proposal", proposal), ("thread", thread)):
            assert client.post(follow_url(kind, target.pk), {"following": "1"}).status_code == 404
    assert not Follow.objects.exists()


def test_hidden_content_and_others_drafts_cannot_be_followed(open_space, member, open_member, moderator):
    hidden = make_thread(open_space, open_member, is_hidden=True)
    draft = make_proposal(open_space, open_member, status=ProposalStatus.DRAFT)
    client = client_for(member)
    assert client.post(follow_url("thread", hidden.pk), {"following": "1"}).status_code == 404
    assert client.post(follow_url("proposal", draft.pk), {"following": "1"}).status_code == 404
    assert client_for(moderator).post(follow_url("thread", hidden.pk), {"following": "1"}).status_code == 302
    assert (
        client_for(open_member).post(follow_url("proposal", draft.pk), {"following": "1"}).status_code == 302
    )


def test_what_was_followed_before_it_was_hidden_can_be_unfollowed(open_space, member, open_member):
    thread = make_thread(open_space, open_member)
    Follow.objects.create(user=member, thread=thread)
    thread.is_hidden = True
    thread.save()
    response = client_for(member).post(follow_url("thread", thread.pk), {"following": "1"})
    assert response.status_code == 302
    assert not Follow.objects.filter(user=member, thread=thread).exists()


def test_unknown_kinds_and_ids_are_not_found(open_space, member):
    client = client_for(member)
    assert client.post(follow_url("poll", 1)).status_code == 404
    assert client.post(follow_url("space", 999999)).status_code == 404
    assert client.get(follow_url("space", open_space.pk)).status_code == 405


def test_following_needs_the_csrf_token(open_space, member):
    response = client_for(member, enforce_csrf_checks=True).post(follow_url("space", open_space.pk))
    assert response.status_code == 403
    assert not Follow.objects.exists()


@pytest.mark.cache
def test_too_many_changes_are_refused(settings, open_space, member):
    from hw4all.forum.views import notifications

    settings.RATE_LIMITS_ENABLED = True
    client = client_for(member)
    for _ in range(notifications.FOLLOW_LIMIT):
        client.post(follow_url("space", open_space.pk))
    response = client.post(follow_url("space", open_space.pk), follow=True)
    assert "too often" in response.content.decode()
    assert client.post(follow_url("space", open_space.pk), HTTP_HX_REQUEST="true").status_code == 429


def test_followers_of_a_proposal_are_told_of_its_new_version(open_space, member, open_member):
    proposal = make_proposal(open_space, open_member)
    client_for(member).post(follow_url("proposal", proposal.pk), {"following": "1"})
    activity.activity_record(
        space=open_space,
        kind=ActivityKind.PROPOSAL_EDITED,
        actor=open_member,
        summary=proposal.title,
        proposal=proposal,
    )
    assert Notification.objects.filter(user=member, reason="following").count() == 1
