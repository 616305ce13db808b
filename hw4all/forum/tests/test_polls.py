"""Polls as people meet them: who sees, opens and votes in a poll (every role, the forbidden ones
included), the closed space's 404s, the ballot's errors, the receipt, the results and the
published ballots. The other test_polls_* files import the helpers at the top."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.models import Activity, ActivityKind, Ballot, Poll, PollParticipation, SpaceMembership
from hw4all.forum.services import access
from hw4all.forum.services import polls as services

OPTIONS = ["Amina Diallo", "Jan de Vries", "Maria Costa"]
RECEIPT = re.compile(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}")


def poll_open(space, by, **fields) -> Poll:
    values = {
        "question": "Who chairs the Steering Committee?",
        "options": OPTIONS,
        "closes_at": timezone.now() + datetime.timedelta(days=7),
        **fields,
    }
    return services.poll_create(space=space, by=by, **values)


def close(poll) -> Poll:
    """Move the poll's times so that it closed a moment ago, and its space's members' joining to
    before it opened."""
    now = timezone.now()
    opens_at = min(poll.opens_at, now - datetime.timedelta(days=2))
    Poll.objects.filter(pk=poll.pk).update(opens_at=opens_at, closes_at=now - datetime.timedelta(seconds=1))
    SpaceMembership.objects.filter(space=poll.space).update(joined_at=opens_at - datetime.timedelta(days=1))
    poll.refresh_from_db()
    return poll


def option_ids(poll) -> list[int]:
    return list(poll.options.values_list("pk", flat=True))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def suspend(user, space) -> None:
    SpaceMembership.objects.filter(space=space, user=user).update(
        suspended_until=timezone.now() + datetime.timedelta(days=3), suspension_reason="Spam"
    )
    access.forget_membership(user, space)


def vote_url(poll) -> str:
    return reverse("forum:poll_vote", kwargs={"pk": poll.pk})


def create_url(space) -> str:
    return reverse("forum:poll_create", kwargs={"slug": space.slug})


def form_data(**fields) -> dict:
    closes = timezone.now() + datetime.timedelta(days=3)
    return {
        "question": "Which campaign comes first in 2027?",
        "description": "The Steering Committee proposes **three** campaigns.",
        "options": "Nurses' migration\nRural retention\nFinancing",
        "kind": "single",
        "max_choices": "",
        "electorate": "members",
        "is_secret": "on",
        "opens_at": "",
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        **fields,
    }


# Seeing polls


@pytest.mark.permission("forum:poll_list", "public")
@pytest.mark.django_db
def test_everyone_sees_the_polls_of_an_open_space(client, open_space, moderator, outsider):
    poll = poll_open(open_space, moderator)
    upcoming = poll_open(
        open_space,
        moderator,
        question="Adopt the 2027 work plan?",
        opens_at=timezone.now() + datetime.timedelta(days=1),
    )
    for viewer in (client, signed_in(outsider)):
        page = viewer.get(reverse("forum:poll_list", kwargs={"slug": open_space.slug})).content.decode()
        assert poll.question in page
        assert upcoming.question in page
        assert "Opens" in page
        detail = viewer.get(poll.get_absolute_url())
        assert detail.status_code == 200
        assert "no-store" in detail["Cache-Control"] or "max-age=0" in detail["Cache-Control"]


@pytest.mark.permission("forum:poll_detail", "object")
@pytest.mark.permission("forum:poll_list", "object")
@pytest.mark.django_db
def test_a_closed_spaces_polls_are_404_to_whoever_may_not_see_it(
    client, closed_space, moderator, outsider, open_member, steering, member, secretary
):
    poll = close(poll_open(closed_space, moderator, question="Secret working group question"))
    urls = [
        reverse("forum:poll_list", kwargs={"slug": closed_space.slug}),
        create_url(closed_space),
        poll.get_absolute_url(),
        reverse("forum:poll_ballots", kwargs={"pk": poll.pk}),
    ]
    for viewer in (client, signed_in(outsider), signed_in(open_member), signed_in(steering)):
        for url in urls:
            response = viewer.get(url)
            assert response.status_code == 404, url
            assert b"Secret working group question" not in response.content
        assert viewer.post(vote_url(poll), {"choice": option_ids(poll)[0]}).status_code == 404
        assert viewer.post(create_url(closed_space), form_data()).status_code == 404
    for insider in (member, secretary):
        assert signed_in(insider).get(poll.get_absolute_url()).status_code == 200
    assert not Ballot.objects.exists()


# Opening a poll


@pytest.mark.permission("forum:poll_create", "role")
@pytest.mark.django_db
def test_only_moderators_open_polls(client, open_space, member, outsider, moderator, steering, secretary):
    url = create_url(open_space)
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post(url, form_data()).status_code == 302
    for user in (outsider, member):
        viewer = signed_in(user)
        assert viewer.get(url).status_code == 403
        assert viewer.post(url, form_data()).status_code == 403
    suspend(member, open_space)
    assert signed_in(member).post(url, form_data()).status_code == 403
    list_page = signed_in(member).get(reverse("forum:poll_list", kwargs={"slug": open_space.slug}))
    assert "New poll" not in list_page.content.decode()
    assert not Poll.objects.exists()

    for user in (moderator, steering, secretary):
        viewer = signed_in(user)
        assert (
            "New poll"
            in viewer.get(reverse("forum:poll_list", kwargs={"slug": open_space.slug})).content.decode()
        )
        assert viewer.get(url).status_code == 200
        response = viewer.post(url, form_data(question=f"Question of {user.first_name}"))
        poll = Poll.objects.get(question=f"Question of {user.first_name}")
        assert response.status_code == 302
        assert response["Location"] == poll.get_absolute_url()
        assert poll.created_by == user
    with pytest.raises(services.PermissionDenied):
        poll_open(open_space, member)


@pytest.mark.django_db
def test_a_new_poll_is_open_and_in_the_spaces_activity(open_space, moderator):
    response = signed_in(moderator).post(
        create_url(open_space),
        form_data(
            kind="multiple", max_choices="2", electorate="organisations", is_secret="", results_live="on"
        ),
        follow=True,
    )
    assert "The poll is open." in response.content.decode()
    poll = Poll.objects.get()
    assert (poll.kind, poll.max_choices, poll.electorate, poll.is_secret, poll.results_live) == (
        "multiple",
        2,
        "organisations",
        False,
        True,
    )
    assert [option.label for option in poll.options.all()] == [
        "Nurses' migration",
        "Rural retention",
        "Financing",
    ]
    assert poll.is_open()
    activity = Activity.objects.get(kind=ActivityKind.POLL_OPENED)
    assert (activity.poll, activity.space, activity.actor, activity.summary) == (
        poll,
        open_space,
        moderator,
        poll.question,
    )


@pytest.mark.django_db
def test_a_poll_opening_later_says_so_in_the_activity(open_space, moderator):
    opens = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    response = signed_in(moderator).post(
        create_url(open_space),
        form_data(
            opens_at=opens.strftime("%Y-%m-%dT%H:%M"),
            closes_at=(opens + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
        follow=True,
    )
    assert "It opens at the time you set." in response.content.decode()
    poll = Poll.objects.get()
    assert poll.opens_at == opens
    summary = Activity.objects.get(kind=ActivityKind.POLL_OPENED).summary
    assert summary.startswith(poll.question)
    assert f"opens {opens:%Y-%m-%d %H:%M} UTC" in summary
    page = signed_in(moderator).get(poll.get_absolute_url()).content.decode()
    assert "Not open yet" in page
    assert "Cast my vote" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"options": "Only one"}, "options", "Give at least two options."),
        ({"options": "Yes\n  \nyes"}, "options", "is given twice"),
        ({"options": "\n".join(f"Option {n}" for n in range(21))}, "options", "at most 20 options"),
        ({"options": "Yes\n" + "N" * 201}, "options", "at most 200 characters"),
        ({"question": ""}, "question", "This field is required."),
        ({"question": "Q" * 301}, "question", "at most 300 characters"),
        ({"description": "D" * 5001}, "description", "at most 5000 characters"),
        ({"closes_at": "2020-01-01T10:00"}, "closes_at", "The poll must close after it opens."),
        ({"kind": "multiple", "max_choices": "4"}, "max_choices", "Between 1 and the number of options (3)."),
        ({"closes_at": "tomorrow"}, "closes_at", "Enter a valid date/time."),
    ],
)
def test_a_poll_with_errors_is_refused_with_a_message_and_the_typing_kept(
    open_space, moderator, fields, field, message
):
    data = form_data(**fields)
    response = signed_in(moderator).post(create_url(open_space), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert "Nurses&#x27; migration" in page or "Nurses' migration" in page or field == "options"
    if field != "question":
        assert "Which campaign comes first in 2027?" in page
    assert not Poll.objects.exists()


@pytest.mark.django_db
def test_a_poll_opening_in_the_past_opens_now(open_space, moderator):
    before = timezone.now()
    poll = poll_open(open_space, moderator, opens_at=before - datetime.timedelta(days=3))
    assert poll.opens_at >= before


# Voting through the pages


@pytest.mark.django_db
def test_a_member_votes_and_sees_the_receipt_once(open_space, moderator, member):
    poll = poll_open(open_space, moderator)
    voter = signed_in(member)
    page = voter.get(poll.get_absolute_url()).content.decode()
    assert "Cast my vote" in page
    assert 'type="radio"' in page
    response = voter.post(vote_url(poll), {"choice": option_ids(poll)[1]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Your vote is counted." in page
    code = RECEIPT.search(page).group()
    ballot = Ballot.objects.get()
    assert ballot.receipt_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert ballot.choices == [option_ids(poll)[1]]
    assert ballot.voter is None  # a secret poll
    poll.refresh_from_db()
    assert poll.ballot_count == 1
    # Afterwards: "you voted", never the receipt again, no ballot.
    again = voter.get(poll.get_absolute_url()).content.decode()
    assert "You voted." in again
    assert code not in again
    assert "Cast my vote" not in again
    # Posting again is refused with a message; the vote stands.
    response = voter.post(vote_url(poll), {"choice": option_ids(poll)[0]}, follow=True)
    assert "You have already voted in this poll." in response.content.decode()
    assert Ballot.objects.count() == 1


@pytest.mark.permission("forum:poll_vote", "role")
@pytest.mark.django_db
def test_who_may_vote(client, open_space, moderator, member, open_member, outsider, steering, secretary):
    poll = poll_open(open_space, moderator)
    choice = {"choice": option_ids(poll)[0]}
    # Anonymous: asked to sign in, nothing counted.
    response = client.post(vote_url(poll), choice)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "Sign in to vote." in client.get(poll.get_absolute_url()).content.decode()
    # People who are not members of the space (the Steering Committee included) are told why.
    for user in (outsider, steering):
        viewer = signed_in(user)
        assert "Join the space to vote" in viewer.get(poll.get_absolute_url()).content.decode()
        response = viewer.post(vote_url(poll), choice, follow=True)
        assert "Only members of this space vote." in response.content.decode()
    suspend(open_member, open_space)
    viewer = signed_in(open_member)
    assert "You are suspended from this space" in viewer.get(poll.get_absolute_url()).content.decode()
    viewer.post(vote_url(poll), choice)
    assert not Ballot.objects.exists()
    # Members, moderators and the Secretariat vote.
    for user in (member, moderator, secretary):
        assert "Your vote is counted." in signed_in(user).post(vote_url(poll), choice).content.decode()
    assert PollParticipation.objects.filter(poll=poll).count() == 3
    poll.refresh_from_db()
    assert poll.ballot_count == Ballot.objects.count() == 3


@pytest.mark.django_db
def test_no_vote_before_the_poll_opens_or_after_it_closes(open_space, moderator, member):
    upcoming = poll_open(open_space, moderator, opens_at=timezone.now() + datetime.timedelta(hours=2))
    response = signed_in(member).post(vote_url(upcoming), {"choice": option_ids(upcoming)[0]}, follow=True)
    assert "This poll is not open yet." in response.content.decode()
    closed = close(poll_open(open_space, moderator))
    response = signed_in(member).post(vote_url(closed), {"choice": option_ids(closed)[0]}, follow=True)
    assert "This poll is closed." in response.content.decode()
    assert not Ballot.objects.exists()
    assert not PollParticipation.objects.exists()
    with pytest.raises(services.ValidationError, match="not open yet"):
        services.poll_vote(poll=upcoming, user=member, choices=option_ids(upcoming)[:1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "max_choices", "data", "message"),
    [
        ("single", None, {}, "Choose one option."),
        ("single", None, {"choice": "999999"}, "Select a valid choice."),
        ("multiple", 2, {"choices": "ALL"}, "Choose at most 2 options."),
        ("multiple", None, {}, "Choose at least one option."),
        ("ranked", None, {"rank_1": "A", "rank_2": "A"}, "Give each option one rank at most."),
        ("ranked", None, {}, "Rank at least your first choice."),
    ],
)
def test_an_invalid_ballot_is_refused_with_a_message(
    open_space, moderator, member, kind, max_choices, data, message
):
    poll = poll_open(open_space, moderator, kind=kind, max_choices=max_choices)
    ids = option_ids(poll)
    if data.get("choices") == "ALL":
        data = {"choices": [str(pk) for pk in ids]}
    data = {key: str(ids[0]) if value == "A" else value for key, value in data.items()}
    response = signed_in(member).post(vote_url(poll), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'role="alert"' in page
    assert "Cast my vote" in page
    assert not Ballot.objects.exists()
    assert not PollParticipation.objects.exists()


@pytest.mark.django_db
def test_a_ballot_cannot_choose_an_option_of_another_poll(open_space, moderator, member):
    poll, other = poll_open(open_space, moderator), poll_open(open_space, moderator, question="Other?")
    with pytest.raises(services.ValidationError, match="not one of the options"):
        services.poll_vote(poll=poll, user=member, choices=option_ids(other)[:1])
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_a_ranked_ballot_skips_empty_ranks(open_space, moderator, member):
    poll = poll_open(open_space, moderator, kind="ranked")
    ids = option_ids(poll)
    page = signed_in(member).get(poll.get_absolute_url()).content.decode()
    assert page.count("<select") == 3
    assert "Choice 1" in page
    signed_in(member).post(vote_url(poll), {"rank_1": ids[2], "rank_2": "", "rank_3": ids[0]})
    assert Ballot.objects.get().choices == [ids[2], ids[0]]


@pytest.mark.django_db
def test_voting_with_htmx_swaps_the_ballot_for_the_receipt(open_space, moderator, member):
    poll = poll_open(open_space, moderator, results_live=True)
    response = signed_in(member).post(
        vote_url(poll), {"choice": option_ids(poll)[0]}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert RECEIPT.search(page)
    assert 'id="poll-results"' in page and 'hx-swap-oob="true"' in page
    assert "Turnout: 1 of" in page
    again = signed_in(member).post(
        vote_url(poll), {"choice": option_ids(poll)[0]}, headers={"HX-Request": "true"}
    )
    assert "You voted." in again.content.decode()
    assert Ballot.objects.count() == 1


@pytest.mark.django_db
def test_forms_need_the_csrf_token(open_space, moderator, member):
    poll = poll_open(open_space, moderator)
    for user, url, data in (
        (member, vote_url(poll), {"choice": option_ids(poll)[0]}),
        (moderator, create_url(open_space), form_data()),
        (member, reverse("forum:poll_ballots", kwargs={"pk": poll.pk}), {"receipt": "AAAA"}),
    ):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert not Ballot.objects.exists()
    assert Poll.objects.count() == 1


@pytest.mark.django_db
def test_questions_descriptions_and_options_are_shown_escaped(client, open_space, moderator, member):
    script = "<script>alert('x')</script>"
    poll = poll_open(
        open_space,
        moderator,
        question=f"Chair? {script}",
        description=f"Read this {script} <img src=x onerror=alert(1)>",
        options=[f"Amina {script}", "<img src=x onerror=alert(2)>"],
        is_secret=False,
    )
    services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    close(poll)
    pages = [
        client.get(reverse("forum:poll_list", kwargs={"slug": open_space.slug})),
        client.get(poll.get_absolute_url()),
        client.get(reverse("forum:poll_ballots", kwargs={"pk": poll.pk})),
    ]
    for response in pages:
        page = response.content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "onerror=alert" not in page or "&lt;img src=x onerror=alert" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in pages[1].content.decode()


# Results and the published ballots


@pytest.mark.django_db
def test_results_wait_for_the_closing_unless_live(client, open_space, moderator, member, open_member):
    poll = poll_open(open_space, moderator)
    services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    services.poll_vote(poll=poll, user=open_member, choices=option_ids(poll)[1:2])
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "The results are shown when the poll closes" in page
    assert "Turnout: 2 of 3 eligible members voted." in page  # member, open_member, moderator
    assert "50.0%" not in page
    ballots = client.get(reverse("forum:poll_ballots", kwargs={"pk": poll.pk})).content.decode()
    assert "The ballots are published when the poll closes" in ballots
    assert Ballot.objects.get(choices=option_ids(poll)[:1]).receipt_hash[:16] not in ballots

    close(poll)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Results" in page
    assert page.count("50.0%") == 2
    assert "(66.7%)" in page


@pytest.mark.django_db
def test_live_results_show_while_the_poll_is_open(client, open_space, moderator, member):
    poll = poll_open(open_space, moderator, kind="multiple", results_live=True)
    services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:2])
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Live results" in page
    assert page.count("100.0%") == 2
    assert "0.0%" in page


@pytest.mark.django_db
def test_every_voter_finds_their_ballot_by_their_receipt(open_space, moderator, member, open_member):
    poll = poll_open(open_space, moderator, kind="ranked")
    ids = option_ids(poll)
    mine = services.poll_vote(poll=poll, user=member, choices=[ids[2], ids[0]])
    theirs = services.poll_vote(poll=poll, user=open_member, choices=[ids[1]])
    close(poll)
    viewer = signed_in(member)
    url = reverse("forum:poll_ballots", kwargs={"pk": poll.pk})
    page = viewer.get(url).content.decode()
    assert "2 ballots." in page
    for receipt in (mine, theirs):
        assert services.receipt_hash(receipt.code)[:16] in page
    # The receipt typed in lower case with spaces finds the ballot; nothing else is shown as theirs.
    typed = mine.code.lower().replace("-", " ")
    page = viewer.post(url, {"receipt": typed}).content.decode()
    assert "Found: your ballot" in page
    row = re.search(r'<tr id="ballot-[0-9a-f]+" class="forum-ballot--mine">(.*?)</tr>', page, re.S).group(1)
    assert services.receipt_hash(mine.code)[:16] in row
    assert re.findall(r"<li>(.*?)</li>", row) == ["Maria Costa", "Amina Diallo"]
    assert page.count("forum-ballot--mine") == 1
    page = viewer.post(url, {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"}).content.decode()
    assert "No ballot has this receipt." in page
    assert "forum-ballot--mine" not in page


@pytest.mark.django_db
def test_an_open_ballot_names_its_voters_a_secret_one_never(
    client, open_space, moderator, member, open_member
):
    open_poll = poll_open(open_space, moderator, is_secret=False)
    secret_poll = poll_open(open_space, moderator, question="Secret?")
    for poll in (open_poll, secret_poll):
        services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
        services.poll_vote(poll=poll, user=open_member, choices=option_ids(poll)[1:2])
        close(poll)
    names = access.display_names([member.pk, open_member.pk])
    page = client.get(reverse("forum:poll_ballots", kwargs={"pk": open_poll.pk})).content.decode()
    assert names[member.pk] in page and names[open_member.pk] in page
    assert "Voter" in page
    page = client.get(reverse("forum:poll_ballots", kwargs={"pk": secret_poll.pk})).content.decode()
    assert names[member.pk] not in page and names[open_member.pk] not in page
    assert "Voter" not in page


# Every role and action at a glance

ROLES = ("anonymous", "outsider", "open_member", "member", "suspended", "moderator", "steering", "secretary")
# What each role gets, per space and action: page status, and whether the vote counts.
EXPECTED = {
    "open": {
        "anonymous": (200, 302, 200, 302, False),
        "outsider": (200, 403, 200, 302, False),
        "open_member": (200, 403, 200, 200, True),
        "member": (200, 403, 200, 200, True),
        "suspended": (200, 403, 200, 302, False),
        "moderator": (200, 200, 200, 200, True),
        "steering": (200, 200, 200, 302, False),
        "secretary": (200, 200, 200, 200, True),
    },
    "closed": {
        "anonymous": (404, 404, 404, 404, False),
        "outsider": (404, 404, 404, 404, False),
        "open_member": (404, 404, 404, 404, False),
        "member": (200, 403, 200, 200, True),
        "suspended": (200, 403, 200, 302, False),
        "moderator": (200, 200, 200, 200, True),
        "steering": (404, 404, 404, 404, False),
        "secretary": (200, 200, 200, 200, True),
    },
}


@pytest.mark.permission("forum:poll_ballots", "role")
@pytest.mark.permission("forum:poll_detail", "role")
@pytest.mark.django_db
@pytest.mark.parametrize("space_name", ["open", "closed"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_page(
    space_name, role, open_space, closed_space, moderator, open_member, outsider, steering, secretary
):
    space = open_space if space_name == "open" else closed_space
    users = {
        "outsider": outsider,
        "open_member": open_member,
        "member": member_of(space, country="KE"),
        "suspended": member_of(space, country="GH"),
        "moderator": moderator,
        "steering": steering,
        "secretary": secretary,
    }
    suspend(users["suspended"], space)
    poll = poll_open(space, moderator)
    client = Client() if role == "anonymous" else signed_in(users[role])
    list_status, create_status, detail_status, vote_status, counted = EXPECTED[space_name][role]
    assert client.get(reverse("forum:poll_list", kwargs={"slug": space.slug})).status_code == list_status
    assert client.get(create_url(space)).status_code == create_status
    assert client.get(poll.get_absolute_url()).status_code == detail_status
    assert client.get(reverse("forum:poll_ballots", kwargs={"pk": poll.pk})).status_code == detail_status
    assert client.post(vote_url(poll), {"choice": option_ids(poll)[0]}).status_code == vote_status
    assert Ballot.objects.filter(poll=poll).exists() is counted


@pytest.mark.django_db
@pytest.mark.cache
def test_opening_many_polls_in_an_hour_is_refused_with_the_typing_kept(settings, open_space, moderator):
    settings.RATE_LIMITS_ENABLED = True
    viewer = signed_in(moderator)
    for number in range(services.POLLS_PER_HOUR):
        poll_open(open_space, moderator, question=f"Question {number}?")
    response = viewer.post(create_url(open_space), form_data(question="One more?"))
    page = response.content.decode()
    assert "polls in the last hour" in page
    assert "One more?" in page
    assert not Poll.objects.filter(question="One more?").exists()


@pytest.mark.django_db
def test_the_list_takes_the_same_queries_for_many_polls(open_space, moderator, member):
    def queries_for_list() -> int:
        viewer = signed_in(member)
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(reverse("forum:poll_list", kwargs={"slug": open_space.slug})).status_code == 200
        return len(captured)

    poll_open(open_space, moderator)
    close(poll_open(open_space, moderator))
    queries_for_list()  # the first request of a session fills what later ones reuse
    few = queries_for_list()
    for number in range(15):
        poll = poll_open(open_space, moderator, question=f"Question {number}?")
        if number % 2:
            close(poll)
    assert queries_for_list() == few


@pytest.mark.django_db
def test_the_ballot_list_is_paged_and_a_receipt_opens_its_page(open_space, moderator, member):
    poll = poll_open(open_space, moderator)
    ids = option_ids(poll)
    mine = services.poll_vote(poll=poll, user=member, choices=ids[:1])
    # Ballots whose receipts sort before any real one fill the first two pages.
    Ballot.objects.bulk_create(
        [Ballot(poll=poll, receipt_hash=f"{number:064x}", choices=[ids[1]]) for number in range(450)]
    )
    Poll.objects.filter(pk=poll.pk).update(ballot_count=451)
    close(poll)
    url = reverse("forum:poll_ballots", kwargs={"pk": poll.pk})
    viewer = signed_in(member)
    first = viewer.get(url).content.decode()
    assert "451 ballots." in first
    assert first.count('<tr id="ballot-') == 200
    assert services.receipt_hash(mine.code)[:16] not in first
    found = viewer.post(url, {"receipt": mine.code}).content.decode()
    assert "Found: your ballot" in found
    assert found.count('<tr id="ballot-') == 51  # the third page
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in found


@pytest.mark.django_db
def test_the_whole_ballot_list_downloads_for_a_recount(client, open_space, moderator, member, open_member):
    poll = poll_open(
        open_space, moderator, kind="ranked", is_secret=False, options=["=SUM(A1)", "Jan", "Maria"]
    )
    ids = option_ids(poll)
    mine = services.poll_vote(poll=poll, user=member, choices=[ids[2], ids[0]])
    services.poll_vote(poll=poll, user=open_member, choices=[ids[1]])
    url = reverse("forum:poll_ballots", kwargs={"pk": poll.pk})
    assert client.get(url, {"format": "csv"})["Content-Type"].startswith("text/html")  # not before closing
    close(poll)
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "receipt_sha256,choice_1,choice_2,choice_3,voter,organisation"
    names = access.display_names([member.pk])
    assert f"{services.receipt_hash(mine.code)},Maria,'=SUM(A1),,{names[member.pk]}," in lines
    assert len(lines) == 3


@pytest.mark.django_db
def test_a_closed_polls_turnout_leaves_out_who_joined_after_it(client, open_space, moderator, member):
    poll = poll_open(open_space, moderator)
    services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    close(poll)
    member_of(open_space)  # joins after the closing
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Turnout: 1 of 2 eligible members voted. (50.0%)" in page
