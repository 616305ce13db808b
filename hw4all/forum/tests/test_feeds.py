"""The Atom feed of an open space's activity; a closed space has none, for anybody."""

import pytest
from django.urls import reverse

from hw4all.forum.models import ActivityKind, Thread
from hw4all.forum.services import activity

from .test_notifications import client_for, comment_activity, make_comment, make_thread


def feed_url(space) -> str:
    return reverse("forum:space_feed", kwargs={"slug": space.slug})


def test_an_open_space_has_an_atom_feed_of_its_activity(client, open_space, open_member):
    thread = make_thread(open_space, open_member, title="Retention & <pay>")
    activity.activity_record(
        space=open_space,
        kind=ActivityKind.THREAD_STARTED,
        actor=open_member,
        summary=thread.title,
        thread=thread,
    )
    comment_activity(open_space, open_member, thread, make_comment(open_member, thread=thread))
    response = client.get(feed_url(open_space))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Global space: activity</title>" in feed
    assert "Member RO started a discussion: Retention &amp; &lt;pay&gt;" in feed
    assert "Member RO commented: Retention &amp; &lt;pay&gt;" in feed
    assert f"{thread.get_absolute_url()}#comment-" in feed
    assert feed.count("<entry>") == 2
    assert open_member.email not in feed


def test_hidden_content_stays_out_of_the_feed(client, open_space, open_member):
    thread = make_thread(open_space, open_member, title="Hidden later")
    activity.activity_record(
        space=open_space,
        kind=ActivityKind.THREAD_STARTED,
        actor=open_member,
        summary=thread.title,
        thread=thread,
    )
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    assert "Hidden later" not in client.get(feed_url(open_space)).content.decode()


@pytest.mark.permission("forum:space_feed", "public")
def test_a_closed_space_has_no_feed_even_for_its_members(client, closed_space, member, secretary):
    thread = make_thread(closed_space, member, title="Members only")
    activity.activity_record(
        space=closed_space,
        kind=ActivityKind.THREAD_STARTED,
        actor=member,
        summary=thread.title,
        thread=thread,
    )
    for viewer in (client, client_for(member), client_for(secretary)):
        response = viewer.get(feed_url(closed_space))
        assert response.status_code == 404
        assert "Members only" not in response.content.decode()
        assert closed_space.name not in response.content.decode()


def test_an_unknown_space_has_no_feed(client, db):
    assert client.get(reverse("forum:space_feed", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_feed_link_is_given_for_open_spaces_only(open_space, closed_space):
    from django.template import Context, Template

    template = Template("{% load forum_follow %}{% space_feed_link space %}")
    link = template.render(Context({"space": open_space}))
    assert 'rel="alternate" type="application/atom+xml"' in link and feed_url(open_space) in link
    assert template.render(Context({"space": closed_space})) == ""


def test_an_open_spaces_pages_announce_its_feed_and_a_closed_spaces_do_not(
    client, open_space, closed_space, member
):
    page = client.get(reverse("forum:space", kwargs={"slug": open_space.slug})).content.decode()
    assert f'type="application/atom+xml" title="Global space" href="{feed_url(open_space)}"' in page
    closed = (
        client_for(member).get(reverse("forum:space", kwargs={"slug": closed_space.slug})).content.decode()
    )
    assert "application/atom+xml" not in closed
