"""The RSS 2.0 feed of an open space's activity: the same items as its Atom feed; a closed space
has none, for anybody."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from hw4all.forum.models import ActivityKind, Thread
from hw4all.forum.services import activity

from .test_notifications import client_for, comment_activity, make_comment, make_thread

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_url(space) -> str:
    return reverse("forum:space_feed_rss", kwargs={"slug": space.slug})


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, built in this test)


def started(space, user, title: str) -> Thread:
    thread = make_thread(space, user, title=title)
    activity.activity_record(
        space=space, kind=ActivityKind.THREAD_STARTED, actor=user, summary=thread.title, thread=thread
    )
    return thread


@pytest.mark.permission("forum:space_feed_rss", "public")
def test_an_open_space_has_an_rss_feed_with_the_atom_feeds_items(client, open_space, open_member):
    thread = started(open_space, open_member, "Retention & <pay>")
    comment_activity(open_space, open_member, thread, make_comment(open_member, thread=thread))
    response = client.get(rss_url(open_space))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response).find("channel")
    assert channel.findtext("title") == "Global space: activity"
    rss_items = [(item.findtext("title"), item.findtext("link")) for item in channel.findall("item")]
    atom = parse(client.get(reverse("forum:space_feed", kwargs={"slug": open_space.slug})))
    atom_items = [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in atom.findall(f"{ATOM}entry")
    ]
    assert rss_items == atom_items
    assert [title for title, _link in rss_items] == [
        "Member RO commented: Retention & <pay>",
        "Member RO started a discussion: Retention & <pay>",
    ]
    assert "<pay>" not in response.content.decode()
    assert open_member.email not in response.content.decode()


def test_hidden_content_stays_out_of_the_rss_feed(client, open_space, open_member):
    thread = started(open_space, open_member, "Hidden later")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    assert "Hidden later" not in client.get(rss_url(open_space)).content.decode()


def test_a_closed_space_has_no_rss_feed_even_for_its_members(client, closed_space, member, secretary):
    started(closed_space, member, "Members only")
    for viewer in (client, client_for(member), client_for(secretary)):
        response = viewer.get(rss_url(closed_space))
        assert response.status_code == 404
        assert "Members only" not in response.content.decode()


def test_an_open_spaces_pages_announce_both_feeds(client, open_space, closed_space, member):
    page = client.get(reverse("forum:space", kwargs={"slug": open_space.slug})).content.decode()
    assert f'type="application/rss+xml" title="Global space (RSS)" href="{rss_url(open_space)}"' in page
    closed = (
        client_for(member).get(reverse("forum:space", kwargs={"slug": closed_space.slug})).content.decode()
    )
    assert "application/rss+xml" not in closed
