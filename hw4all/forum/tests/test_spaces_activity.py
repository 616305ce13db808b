"""A space's activity page: newest first, fifty a page, "Older" and "Newer" by keyset cursors
that cost the same deep in the history as on the first page; hidden content as a placeholder."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import Activity, ActivityKind, Comment, Thread
from hw4all.forum.queries import spaces as queries

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def history(space, actor, count: int, *, start=None) -> list[Activity]:
    """`count` activities a minute apart, the last the newest; some share a moment."""
    start = start or timezone.now() - datetime.timedelta(days=30)
    rows = [
        Activity(
            space=space,
            kind=ActivityKind.THREAD_STARTED,
            actor=actor,
            summary=f"Item {number}",
            # Pairs share their moment: the id breaks the tie.
            created_at=start + datetime.timedelta(minutes=number // 2),
        )
        for number in range(count)
    ]
    return Activity.objects.bulk_create(rows)


def shown(page: str) -> list[str]:
    return re.findall(r"Item \d+", page)


def link(page: str, label: str) -> str | None:
    match = re.search(rf'<a href="(\?[^"]+)" rel="\w+">{label}</a>', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_activity_pages_through_everything_once_newest_first(client, open_space, member):
    history(open_space, member, 123)
    url = reverse("forum:space_activity", args=[open_space.slug])
    page = text(client.get(url))
    seen = shown(page)
    assert len(seen) == 50 and seen[0] == "Item 122"
    assert link(page, "Newer") is None
    pages = [seen]
    while (older := link(page, "Older")) is not None:
        page = text(client.get(url + older))
        pages.append(shown(page))
    assert [len(p) for p in pages] == [50, 50, 23]
    everything = [item for p in pages for item in p]
    assert everything == [f"Item {n}" for n in range(122, -1, -1)]
    # And back: "Newer" from the last page gives the page before it.
    newer = link(page, "Newer")
    assert shown(text(client.get(url + newer))) == pages[1]


def test_newer_from_the_second_page_is_the_first_page_whole(client, open_space, member):
    history(open_space, member, 60)
    url = reverse("forum:space_activity", args=[open_space.slug])
    second = text(client.get(url + link(text(client.get(url)), "Older")))
    first_again = text(client.get(url + link(second, "Newer")))
    assert shown(first_again) == [f"Item {n}" for n in range(59, 9, -1)]
    assert link(first_again, "Newer") is None


def test_a_malformed_cursor_shows_the_first_page(client, open_space, member):
    history(open_space, member, 3)
    url = reverse("forum:space_activity", args=[open_space.slug])
    for query in ("?before=yesterday", "?before=2026-01-01_x", "?after=%00", "?before="):
        assert shown(text(client.get(url + query))) == ["Item 2", "Item 1", "Item 0"]


def test_deep_pages_cost_the_same_queries_as_the_first(client, open_space, member):
    history(open_space, member, 400)
    url = reverse("forum:space_activity", args=[open_space.slug])
    client.get(url)
    deep_cursor = queries.cursor_of(Activity.objects.order_by("created_at", "id")[60])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as deep:
        client.get(url + "?before=" + deep_cursor)
    assert len(first) <= 6
    # A deep page also asks whether anything newer exists; nothing grows with the depth.
    assert len(deep) == len(first) + 1


def test_lines_say_who_did_what_on_which_title_with_links(client, open_space, member):
    member.first_name, member.last_name = "Amina", "Otieno"
    member.save()
    thread = Thread.objects.create(space=open_space, title="Rural retention", created_by=member)
    comment = Comment.objects.create(thread=thread, author=member, body="Yes", body_html="<p>Yes</p>")
    Activity.objects.create(
        space=open_space, kind=ActivityKind.COMMENT_POSTED, actor=member, thread=thread, comment=comment,
        summary="Rural retention",
    )  # fmt: skip
    Activity.objects.create(
        space=open_space, kind=ActivityKind.MEMBER_JOINED, actor=member, summary="Global space"
    )
    page = text(client.get(reverse("forum:space_activity", args=[open_space.slug])))
    assert "Amina Otieno</strong> commented: " in page
    assert f'href="{reverse("forum:thread_detail", args=[thread.pk])}#comment-{comment.pk}"' in page
    assert "Amina Otieno</strong> joined the space" in page
    assert member.email not in page


def test_hidden_content_is_a_placeholder_except_for_moderators(client, open_space, member, moderator):
    thread = Thread.objects.create(
        space=open_space, title="Offensive title", created_by=member, is_hidden=True
    )
    Activity.objects.create(
        space=open_space,
        kind=ActivityKind.THREAD_STARTED,
        actor=member,
        thread=thread,
        summary="Offensive title",
    )
    url = reverse("forum:space_activity", args=[open_space.slug])
    for viewer in (None, member):
        if viewer:
            client.force_login(viewer)
        page = text(client.get(url))
        assert "Offensive title" not in page
        assert "hidden by the moderators" in page
    client.force_login(moderator)
    assert "Offensive title" in text(client.get(url))


def test_titles_are_escaped(client, open_space, member):
    Activity.objects.create(
        space=open_space, kind=ActivityKind.THREAD_STARTED, actor=member, summary="<script>alert(1)</script>"
    )
    page = text(client.get(reverse("forum:space_activity", args=[open_space.slug])))
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


@pytest.mark.permission("forum:space_activity", "object")
def test_the_activity_of_a_closed_space_is_its_members_only(client, closed_space, member, outsider):
    Activity.objects.create(
        space=closed_space, kind=ActivityKind.THREAD_STARTED, actor=member, summary="Budget"
    )
    url = reverse("forum:space_activity", args=[closed_space.slug])
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert "Budget" in text(client.get(url))
