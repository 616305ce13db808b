"""The forum API's lists in cursor pages, and one discussion with its public comments: closed
spaces, hidden discussions and hidden or deleted comments never come out."""

import datetime

import pytest
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.models import ProposalStatus, SpaceKind

from .test_notifications import make_comment, make_proposal, make_thread

API = "/api/v1/forum"
NOW = timezone.now()


@pytest.fixture
def author(open_space):
    user = member_of(open_space, country="KE")
    user.first_name, user.last_name = "Amina", "Otieno"
    user.save()
    return user


def walk(client, address):
    items = []
    while address:
        response = client.get(address)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        address = body["next"]
    return items


@pytest.mark.permission("hw4all_forum_api_thread_detail", "public")
@pytest.mark.permission("hw4all_forum_api_thread_comments", "public")
def test_a_discussion_and_its_public_comments_oldest_first(client, open_space, open_member, author):
    thread = make_thread(open_space, author, title="Retention of rural midwives")
    first = make_comment(author, "**Bonding** schemes work.", thread=thread)
    reply = make_comment(open_member, "Not everywhere.", thread=thread, parent=first)
    make_comment(open_member, "Hidden by a moderator", thread=thread, is_hidden=True)
    make_comment(author, "Deleted by its author", thread=thread, is_deleted=True)

    detail = client.get(f"{API}/threads/{thread.pk}").json()
    comments = client.get(f"{API}/threads/{thread.pk}/comments").json()

    assert detail["title"] == "Retention of rural midwives"
    assert detail["space"] == "global"
    assert detail["started_by"] == "Amina Otieno"
    assert detail["url"] == f"http://testserver{thread.get_absolute_url()}"
    assert [comment["id"] for comment in comments["items"]] == [first.pk, reply.pk]
    assert comments["items"][0]["html"].strip() == "<p><strong>Bonding</strong> schemes work.</p>"
    assert comments["items"][0]["author"] == "Amina Otieno"
    assert comments["items"][1]["parent"] == first.pk
    text = str(detail) + str(comments)
    assert "Hidden by a moderator" not in text and "Deleted by its author" not in text
    assert author.email not in text and open_member.email not in text


@pytest.mark.permission("hw4all_forum_api_proposal_comments", "public")
def test_the_public_comments_on_a_proposal(client, open_space, closed_space, open_member, member):
    proposal = make_proposal(open_space, open_member)
    shown = make_comment(open_member, "Support from Romania.", proposal=proposal)
    make_comment(open_member, "Hidden by a moderator", proposal=proposal, is_hidden=True)
    draft = make_proposal(open_space, open_member, title="Draft", status=ProposalStatus.DRAFT)
    make_comment(open_member, "On a draft", proposal=draft)
    closed = make_proposal(closed_space, member, title="Closed")
    make_comment(member, "Inside a closed space", proposal=closed)

    items = client.get(f"{API}/proposals/{proposal.pk}/comments").json()["items"]

    assert [item["id"] for item in items] == [shown.pk]
    for other in (draft, closed):
        response = client.get(f"{API}/proposals/{other.pk}/comments")
        assert response.status_code == 404
        assert "On a draft" not in response.content.decode()
        assert "Inside" not in response.content.decode()


def test_a_hidden_discussion_is_not_found(client, open_space, open_member):
    thread = make_thread(open_space, open_member, title="Hidden", is_hidden=True)
    make_comment(open_member, "Inside a hidden thread", thread=thread)
    for path in (f"/threads/{thread.pk}", f"/threads/{thread.pk}/comments"):
        response = client.get(API + path)
        assert response.status_code == 404
        assert "Inside" not in response.content.decode()
    assert client.get(f"{API}/threads/999999").status_code == 404


def test_comments_are_sanitised(client, open_space, open_member):
    thread = make_thread(open_space, open_member)
    make_comment(open_member, '<script>alert(1)</script><a href="javascript:x">link</a>', thread=thread)
    [comment] = client.get(f"{API}/threads/{thread.pk}/comments").json()["items"]
    # Markdown keeps typed HTML as text: nothing in it runs or links.
    assert "<script" not in comment["html"] and "<a " not in comment["html"]
    assert "&lt;script&gt;" in comment["html"]


def test_walking_the_comments_gives_each_once_in_order(client, open_space, open_member):
    thread = make_thread(open_space, open_member)
    # Pairs written at the same moment: the id breaks the tie.
    comments = [
        make_comment(
            open_member, f"Comment {n}", thread=thread, created_at=NOW + datetime.timedelta(minutes=n // 2)
        )
        for n in range(7)
    ]
    items = walk(client, f"{API}/threads/{thread.pk}/comments?limit=2")
    assert [item["id"] for item in items] == [comment.pk for comment in comments]


def test_walking_the_proposals_gives_each_once_latest_opened_first(client, open_space, open_member):
    proposals = [
        make_proposal(open_space, open_member, title=f"P{n}", opened_at=NOW - datetime.timedelta(days=n // 2))
        for n in range(7)
    ]
    make_proposal(open_space, open_member, title="Draft", status=ProposalStatus.DRAFT)
    items = walk(client, f"{API}/spaces/global/proposals?limit=3")
    expected = sorted(proposals, key=lambda proposal: (proposal.opened_at, proposal.pk), reverse=True)
    assert [item["id"] for item in items] == [proposal.pk for proposal in expected]


def test_walking_the_threads_gives_each_once_most_recently_active_first(client, open_space, open_member):
    threads = [
        make_thread(
            open_space, open_member, title=f"T{n}", last_activity_at=NOW - datetime.timedelta(hours=n // 2)
        )
        for n in range(7)
    ]
    items = walk(client, f"{API}/spaces/global/threads?limit=2")
    expected = sorted(threads, key=lambda thread: (thread.last_activity_at, thread.pk), reverse=True)
    assert [item["id"] for item in items] == [thread.pk for thread in expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, ["Open one"]),
        ({"status": "adopted"}, ["Adopted one"]),
        ({"country": "ke"}, ["Kenyan one"]),
        ({"country": "UG"}, []),
    ],
)
def test_proposal_filters_match_the_space_page(client, open_space, open_member, query, expected):
    make_proposal(open_space, open_member, title="Open one", opened_at=NOW - datetime.timedelta(days=2))
    make_proposal(
        open_space,
        open_member,
        title="Adopted one",
        status=ProposalStatus.ADOPTED,
        opened_at=NOW - datetime.timedelta(days=3),
    )
    make_proposal(
        open_space,
        open_member,
        title="Kenyan one",
        status=ProposalStatus.DECLINED,
        countries=["KE"],
        opened_at=NOW - datetime.timedelta(days=1),
    )
    items = client.get(f"{API}/spaces/global/proposals", query).json()["items"]
    assert [item["title"] for item in items] == expected


def test_the_spaces_by_kind(client, open_space, closed_space):
    assert [
        space["slug"] for space in client.get(f"{API}/spaces", {"kind": SpaceKind.GLOBAL}).json()["items"]
    ] == ["global"]
    assert client.get(f"{API}/spaces", {"kind": SpaceKind.WORKING_GROUP}).json()["items"] == []


def test_the_status_label_in_another_language(client, open_space, open_member):
    make_proposal(open_space, open_member)
    [english] = client.get(f"{API}/spaces/global/proposals").json()["items"]
    [french] = client.get(f"{API}/spaces/global/proposals", {"lang": "fr"}).json()["items"]
    assert english["status"] == french["status"] == "open"
    assert english["status_label"] != french["status_label"]


@pytest.mark.parametrize(
    ("path", "query", "field", "status"),
    [
        ("spaces", {"kind": "club"}, "kind", 422),
        ("spaces", {"lang": "xx"}, "lang", 400),
        ("spaces", {"cursor": "bad"}, "cursor", 400),
        ("spaces/global/proposals", {"status": "dreaming"}, "status", 422),
        ("spaces/global/proposals", {"article": 11}, "article", 422),
        ("spaces/global/proposals", {"limit": 0}, "limit", 422),
        ("spaces/global/threads", {"limit": 101}, "limit", 422),
        ("spaces/global/threads", {"cursor": "WyJub3QgYSBkYXRlIiwxXQ"}, "cursor", 400),
        ("threads/THREAD/comments", {"cursor": "e30"}, "cursor", 400),
        ("threads/THREAD/comments", {"lang": "zz"}, "lang", 400),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_field(
    client, open_space, open_member, path, query, field, status
):
    thread = make_thread(open_space, open_member)
    make_comment(open_member, thread=thread)
    response = client.get(f"{API}/{path.replace('THREAD', str(thread.pk))}", query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_the_query_counts_do_not_grow_with_the_items(
    client, open_space, open_member, author, django_assert_max_num_queries
):
    thread = make_thread(open_space, open_member)
    addresses = [
        f"{API}/spaces/global/proposals",
        f"{API}/spaces/global/threads",
        f"{API}/threads/{thread.pk}/comments",
    ]

    def add(count):
        for n in range(count):
            make_proposal(open_space, open_member, title=f"P{n}")
            make_thread(open_space, open_member, title=f"T{n}")
            make_comment(open_member if n % 2 else author, f"C{n}", thread=thread)

    def counts(limit):
        result = []
        for address in addresses:
            with django_assert_max_num_queries(20) as captured:
                assert len(client.get(address, {"limit": limit}).json()["items"]) == limit
            result.append(len(captured))
        return result

    add(5)
    # The first look at an author makes their forum profile (once per person).
    counts(5)
    few = counts(5)
    add(20)
    assert counts(25) == few
