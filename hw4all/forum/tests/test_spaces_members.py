"""Who belongs to a space: the members page, invitations, requests to join a closed space, and
what moderators decide about people (approve, refuse, suspend, appoint, remove, expel), each
written to the moderation log with who and why."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.factories import SpaceFactory
from hw4all.forum.models import Activity, ActivityKind, MembershipStatus, ModerationAction, SpaceMembership
from hw4all.forum.services import access
from hw4all.forum.services import spaces as services

pytestmark = pytest.mark.django_db

XSS = '<img src=x onerror="alert(1)">'


def text(response) -> str:
    return response.content.decode()


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def membership(space, user):
    return SpaceMembership.objects.filter(space=space, user=user).first()


def action_url(space, user, action):
    return reverse("forum:member_action", args=[space.slug, user.pk, action])


def tomorrow_plus(days=7) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# The members page.


def test_members_are_listed_by_name_never_by_email(client, open_space, member, moderator):
    named(member, "Amina", "Otieno")
    client.force_login(member)
    page = text(client.get(reverse("forum:space_members", args=[open_space.slug])))
    assert "Amina Otieno" in page
    assert member.email not in page and moderator.email not in page
    assert "Moderator" in page
    # Members do not see the moderators' tools.
    assert "Requests to join" not in page and "Invite someone" not in page and "Manage" not in page


@pytest.mark.permission("forum:space_members", "public")
def test_anonymous_visitors_see_the_members_of_an_open_space_only(client, open_space, closed_space, member):
    assert client.get(reverse("forum:space_members", args=[open_space.slug])).status_code == 200
    assert client.get(reverse("forum:space_members", args=[closed_space.slug])).status_code == 404


def test_moderators_see_requests_invitations_and_tools(client, closed_space, moderator, member, outsider):
    services.space_join(
        space=closed_space, user=named(outsider, "Pedro", "Reyes"), message="I chair a union."
    )
    client.force_login(moderator)
    page = text(client.get(reverse("forum:space_members", args=[closed_space.slug])))
    assert "Pedro Reyes" in page and "I chair a union." in page
    assert "Invite someone" in page and "Suspend…" in page
    assert action_url(closed_space, outsider, "approve") in page


# Invitations.


def test_a_moderator_invites_by_email_and_the_person_accepts(client, closed_space, moderator, outsider):
    client.force_login(moderator)
    response = client.post(
        reverse("forum:space_members", args=[closed_space.slug]),
        {"who": outsider.email.upper(), "message": "Welcome"},
    )
    assert response.status_code == 302
    assert membership(closed_space, outsider).status == MembershipStatus.INVITED
    assert ModerationAction.objects.filter(kind="invite", target_user=outsider, moderator=moderator).exists()

    client.force_login(outsider)
    page = text(client.get(reverse("forum:invitations")))
    assert "HRH working group" in page and "Welcome" in page
    # An invitation is not membership: the space stays closed to them until they accept.
    assert client.get(reverse("forum:space", args=[closed_space.slug])).status_code == 404
    response = client.post(reverse("forum:invitations"), {"space": closed_space.pk, "action": "accept"})
    assert response.url == reverse("forum:space", args=[closed_space.slug])
    assert membership(closed_space, outsider).status == MembershipStatus.ACTIVE
    assert Activity.objects.filter(
        kind=ActivityKind.MEMBER_JOINED, actor=outsider, space=closed_space
    ).exists()


def test_an_invitation_by_handle_and_declined(client, closed_space, moderator, outsider):
    handle = access.participant_for(outsider).handle
    services.member_invite(space=closed_space, invitee=services.invitee_find(f"@{handle}"), by=moderator)
    client.force_login(outsider)
    client.post(reverse("forum:invitations"), {"space": closed_space.pk, "action": "decline"})
    assert membership(closed_space, outsider) is None


def test_inviting_an_unknown_address_keeps_what_was_typed(client, closed_space, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("forum:space_members", args=[closed_space.slug]),
        {"who": "nobody@example.org", "message": "A long welcome"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "No account has this @handle or email address." in page
    assert 'value="nobody@example.org"' in page and "A long welcome" in page


@pytest.mark.permission("forum:space_members", "role")
@pytest.mark.parametrize("role", ["member", "open_member"])
def test_people_who_do_not_moderate_cannot_invite(client, request, open_space, outsider, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("forum:space_members", args=[open_space.slug]), {"who": outsider.email})
    assert response.status_code == 403
    assert membership(open_space, outsider) is None


@pytest.mark.permission("forum:invitations", "object")
def test_accepting_an_invitation_one_does_not_have_is_404(client, closed_space, outsider):
    client.force_login(outsider)
    assert (
        client.post(reverse("forum:invitations"), {"space": closed_space.pk, "action": "accept"}).status_code
        == 404
    )
    assert client.get(reverse("forum:invitations")).status_code == 200
    assert Client().get(reverse("forum:invitations")).status_code == 302


# Requests to join a closed space.


def test_asking_to_join_answers_the_same_whether_the_closed_space_exists(client, closed_space, outsider):
    client.force_login(outsider)
    answers = []
    for slug in (closed_space.slug, "no-such-space"):
        response = client.post(
            reverse("forum:invitations"), {"action": "ask", "slug": slug, "message": "Please"}, follow=True
        )
        answers.append(text(response).split('class="messages"')[1].split("</ul>")[0])
    assert answers[0] == answers[1]
    assert membership(closed_space, outsider).status == MembershipStatus.REQUESTED
    assert membership(closed_space, outsider).message == "Please"
    assert "HRH working group" in text(client.get(reverse("forum:invitations")))  # their own request


def test_a_moderator_approves_a_request(client, closed_space, moderator, outsider):
    services.space_join(space=closed_space, user=outsider)
    client.force_login(moderator)
    assert client.post(action_url(closed_space, outsider, "approve")).status_code == 302
    assert membership(closed_space, outsider).status == MembershipStatus.ACTIVE
    log = ModerationAction.objects.get(kind="approve")
    assert log.moderator == moderator and log.target_user == outsider


def test_a_moderator_refuses_a_request_with_a_reason(client, closed_space, moderator, outsider):
    services.space_join(space=closed_space, user=outsider)
    client.force_login(moderator)
    assert client.get(action_url(closed_space, outsider, "refuse")).status_code == 200
    client.post(action_url(closed_space, outsider, "refuse"), {"reason": "Not a member organisation yet."})
    assert membership(closed_space, outsider) is None
    assert ModerationAction.objects.get(kind="refuse").reason == "Not a member organisation yet."


def test_the_person_withdraws_their_request(client, closed_space, outsider):
    services.space_join(space=closed_space, user=outsider)
    client.force_login(outsider)
    client.post(reverse("forum:invitations"), {"space": closed_space.pk, "action": "withdraw"})
    assert membership(closed_space, outsider) is None


def test_asking_to_join_is_rate_limited(client, db, outsider):
    client.force_login(outsider)
    for number in range(11):
        response = client.post(
            reverse("forum:invitations"), {"action": "ask", "slug": f"guess-{number}"}, follow=True
        )
    assert "Too many requests" in text(response)


# Suspensions, moderators and expulsions.


def test_a_moderator_suspends_a_member_who_then_reads_but_does_not_take_part(
    client, open_space, moderator, member
):
    client.force_login(moderator)
    url = action_url(open_space, member, "suspend")
    assert "Suspended until" in text(client.get(url))
    response = client.post(url, {"until": tomorrow_plus(), "reason": "Repeated insults"})
    assert response.status_code == 302
    access.forget_membership(member, open_space)
    assert access.is_suspended(member, open_space)
    assert not access.may_participate(member, open_space)
    assert access.may_view_space(member, open_space)
    log = ModerationAction.objects.get(kind="suspend")
    assert (log.moderator, log.target_user, log.reason) == (moderator, member, "Repeated insults")

    client.post(action_url(open_space, member, "unsuspend"))
    access.forget_membership(member, open_space)
    assert access.may_participate(member, open_space)
    assert ModerationAction.objects.filter(kind="unsuspend").exists()


def test_a_suspension_needs_a_reason_and_a_day_to_come_and_keeps_what_was_typed(
    client, open_space, moderator, member
):
    client.force_login(moderator)
    url = action_url(open_space, member, "suspend")
    page = text(client.post(url, {"until": timezone.localdate().isoformat(), "reason": ""}))
    assert "Choose a day after today." in page and "This field is required." in page
    page = text(client.post(url, {"until": tomorrow_plus(), "reason": "x" * 2001}))
    assert "at most 2000 characters" in page
    assert "x" * 2001 in page
    assert not access.is_suspended(member, open_space)


@pytest.mark.permission("forum:member_action", "role")
def test_only_the_secretariat_suspends_a_moderator(
    client, open_space, closed_space, moderator, secretary, steering
):
    other = SpaceMembership.objects.create(
        space=open_space,
        user=steering,
        status=MembershipStatus.ACTIVE,
        is_moderator=True,
        joined_at=timezone.now(),
    )
    client.force_login(moderator)
    page = text(
        client.post(action_url(open_space, steering, "suspend"), {"until": tomorrow_plus(), "reason": "r"})
    )
    assert "Only the Secretariat suspends a moderator." in page
    other.refresh_from_db()
    assert other.suspended_until is None
    client.force_login(secretary)
    client.post(action_url(open_space, steering, "suspend"), {"until": tomorrow_plus(), "reason": "r"})
    other.refresh_from_db()
    assert other.suspended_until is not None


def test_appointing_and_removing_a_moderator(client, open_space, moderator, member):
    client.force_login(moderator)
    client.post(action_url(open_space, member, "appoint"))
    assert membership(open_space, member).is_moderator
    client.post(action_url(open_space, member, "remove"))
    assert not membership(open_space, member).is_moderator
    assert membership(open_space, member).status == MembershipStatus.ACTIVE
    assert list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True)) == [
        "appoint",
        "demote",
    ]


def test_a_moderator_appoints_only_members_the_secretariat_anyone(open_space, moderator, outsider, secretary):
    with pytest.raises(services.ValidationError):
        services.moderator_appoint(space=open_space, user=outsider, by=moderator)
    services.moderator_appoint(space=open_space, user=outsider, by=secretary)
    assert membership(open_space, outsider).is_moderator
    assert membership(open_space, outsider).status == MembershipStatus.ACTIVE


def test_expelling_a_member_of_a_closed_space_closes_it_to_them(client, closed_space, moderator, member):
    client.force_login(moderator)
    page = text(client.post(action_url(closed_space, member, "expel"), {"reason": ""}))
    assert "This field is required." in page
    client.post(action_url(closed_space, member, "expel"), {"reason": "Leaked the minutes"})
    assert membership(closed_space, member) is None
    access.forget_membership(member, closed_space)
    assert not access.may_view_space(member, closed_space)
    client.force_login(member)
    assert client.get(reverse("forum:space", args=[closed_space.slug])).status_code == 404


ACTIONS = ["approve", "refuse", "suspend", "unsuspend", "appoint", "remove", "expel"]


@pytest.mark.permission("forum:member_action", "role")
@pytest.mark.parametrize("role", ["member", "open_member"])
def test_members_who_do_not_moderate_are_refused_every_action(client, request, open_space, moderator, role):
    client.force_login(request.getfixturevalue(role))
    for action in ACTIONS:
        response = client.post(
            action_url(open_space, moderator, action), {"reason": "r", "until": tomorrow_plus()}
        )
        assert response.status_code == 403, action
    assert membership(open_space, moderator).is_moderator
    assert not ModerationAction.objects.exists()


def test_a_suspended_member_moderates_nothing(client, open_space, moderator, member, open_member):
    services.member_suspend(
        space=open_space,
        user=open_member,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="r",
        by=moderator,
    )
    client.force_login(open_member)
    assert client.post(action_url(open_space, member, "suspend"), {"reason": "r"}).status_code == 403


@pytest.mark.permission("forum:member_action", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, open_space, member):
    response = client.post(action_url(open_space, member, "expel"), {"reason": "r"})
    assert response.status_code == 302 and "login" in response.url
    assert membership(open_space, member) is not None


@pytest.mark.permission("forum:member_action", "object")
def test_the_steering_committee_moderates_open_spaces_only(
    client, open_space, closed_space, steering, member
):
    client.force_login(steering)
    client.post(action_url(open_space, member, "suspend"), {"until": tomorrow_plus(), "reason": "r"})
    assert membership(open_space, member).suspended_until is not None
    assert client.post(action_url(closed_space, member, "expel"), {"reason": "r"}).status_code == 404


def test_unknown_actions_and_people_are_404(client, open_space, moderator, member, outsider):
    client.force_login(moderator)
    assert client.post(action_url(open_space, member, "promote")).status_code == 404
    assert client.post(action_url(open_space, outsider, "appoint")).status_code == 404
    # Moderating one space gives nothing in another.
    other = SpaceFactory()
    assert (
        client.post(reverse("forum:member_action", args=[other.slug, member.pk, "appoint"])).status_code
        == 403
    )
    # The button actions have no page of their own.
    assert client.get(action_url(open_space, member, "appoint")).status_code == 404


def test_member_actions_need_csrf(open_space, moderator, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(action_url(open_space, member, "appoint")).status_code == 403
    assert not membership(open_space, member).is_moderator


def test_reasons_and_messages_are_escaped(client, closed_space, moderator, outsider):
    services.space_join(space=closed_space, user=named(outsider, XSS, ""), message=XSS)
    client.force_login(moderator)
    page = text(client.get(reverse("forum:space_members", args=[closed_space.slug])))
    assert XSS not in page and "&lt;img" in page
    client.post(action_url(closed_space, outsider, "refuse"), {"reason": XSS})
    page = text(client.get(reverse("forum:space_moderation", args=[closed_space.slug])))
    assert XSS not in page and "&lt;img" in page
