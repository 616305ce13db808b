"""Reporting content to the moderators and what they do about it: hide, restore, lock, unlock,
dismiss, each with a reason in the log that nobody edits; the report and moderation buttons each
person sees."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from hw4all.forum.models import (
    Comment,
    ModerationAction,
    Proposal,
    ProposalAuthor,
    ProposalStatus,
    Report,
    Thread,
)
from hw4all.forum.services import moderation as services

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def thread(open_space, moderator):
    return Thread.objects.create(space=open_space, title="Rural retention", created_by=moderator)


@pytest.fixture
def comment(thread, open_member):
    return Comment.objects.create(
        thread=thread, author=open_member, body="You are all idiots.", body_html="<p>You are all idiots.</p>"
    )


@pytest.fixture
def closed_thread(closed_space, member):
    return Thread.objects.create(space=closed_space, title="Budget 2027", created_by=member)


def report_url(kind, pk):
    return reverse("forum:report", args=[kind, pk])


def moderate_url(kind, pk, action):
    return reverse("forum:moderate", args=[kind, pk, action])


# Reporting.


def test_a_member_reports_a_comment_once(client, comment, member):
    client.force_login(member)
    page = text(client.get(report_url("comment", comment.pk)))
    assert "You are all idiots." in page
    response = client.post(report_url("comment", comment.pk), {"reason": "Insults"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.comment, report.reason, report.space_id) == (
        member,
        comment,
        "Insults",
        comment.thread.space_id,
    )
    page = text(client.post(report_url("comment", comment.pk), {"reason": "Again"}))
    assert "You have already reported this" in page
    assert Report.objects.count() == 1


def test_any_signed_in_person_who_sees_it_may_report(client, thread, outsider, steering):
    for person in (outsider, steering):
        client.force_login(person)
        assert client.post(report_url("thread", thread.pk), {"reason": "Spam"}).status_code == 302
    assert Report.objects.count() == 2


@pytest.mark.permission("forum:report", "authenticated")
def test_anonymous_visitors_are_asked_to_sign_in_before_anything_is_looked_up(client, closed_thread):
    for url in (report_url("thread", closed_thread.pk), report_url("thread", 999999)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.permission("forum:report", "object")
@pytest.mark.parametrize("role", ["outsider", "open_member", "steering"])
def test_content_of_a_closed_space_is_404_to_report_from_outside(client, request, closed_thread, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(report_url("thread", closed_thread.pk)).status_code == 404
    assert client.post(report_url("thread", closed_thread.pk), {"reason": "x"}).status_code == 404
    assert not Report.objects.exists()


@pytest.mark.permission("forum:report", "object")
def test_hidden_content_and_others_drafts_cannot_be_reported(client, open_space, thread, member, moderator):
    thread.is_hidden = True
    thread.save()
    draft = Proposal.objects.create(
        space=open_space, title="Draft", problem="p", proposed="q", level="global", created_by=moderator
    )
    ProposalAuthor.objects.create(proposal=draft, user=moderator)
    client.force_login(member)
    assert client.get(report_url("thread", thread.pk)).status_code == 404
    assert client.get(report_url("proposal", draft.pk)).status_code == 404
    assert client.get(report_url("poll", 1)).status_code == 404


def test_a_report_needs_a_reason_of_at_most_2000_characters_and_keeps_it(client, comment, member):
    client.force_login(member)
    page = text(client.post(report_url("comment", comment.pk), {"reason": ""}))
    assert "This field is required." in page
    page = text(client.post(report_url("comment", comment.pk), {"reason": "y" * 2001}))
    assert "at most 2000 characters" in page and "y" * 2001 in page
    assert not Report.objects.exists()


def test_reports_are_rate_limited(client, open_space, member, moderator):
    client.force_login(member)
    threads = [
        Thread.objects.create(space=open_space, title=f"T{n}", created_by=moderator) for n in range(21)
    ]
    for item in threads:
        response = client.post(report_url("thread", item.pk), {"reason": "Spam"})
    assert "many reports in a short time" in text(response)
    assert Report.objects.count() == 20


def test_reporting_needs_csrf(thread, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(report_url("thread", thread.pk), {"reason": "x"}).status_code == 403


def test_after_reporting_the_person_goes_back_where_they_were(client, thread, member):
    client.force_login(member)
    response = client.post(report_url("thread", thread.pk) + "?next=/en/forum/", {"reason": "x"})
    assert response.url == "/en/forum/"
    Report.objects.all().delete()
    response = client.post(report_url("thread", thread.pk), {"reason": "x", "next": "https://evil.example/"})
    assert response.url == thread.get_absolute_url()


# Moderating.


def test_hiding_logs_who_and_why_and_settles_the_reports(client, comment, member, moderator, open_space):
    services.report_create(reporter=member, target=comment, reason="Insults")
    client.force_login(moderator)
    assert "Hide" in text(client.get(moderate_url("comment", comment.pk, "hide")))
    response = client.post(moderate_url("comment", comment.pk, "hide"), {"reason": "Personal attack"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    log = ModerationAction.objects.get()
    assert (log.kind, log.moderator, log.comment, log.reason, log.space) == (
        "hide",
        moderator,
        comment,
        "Personal attack",
        open_space,
    )
    assert "You are all idiots." in log.target_summary
    report = Report.objects.get()
    assert report.resolved_by == moderator and report.resolved_at is not None

    client.post(moderate_url("comment", comment.pk, "restore"), {"reason": "Apologised"})
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert ModerationAction.objects.count() == 2


def test_a_reason_is_required_and_what_was_typed_is_kept(client, thread, moderator):
    client.force_login(moderator)
    page = text(client.post(moderate_url("thread", thread.pk, "lock"), {"reason": ""}))
    assert "This field is required." in page
    page = text(client.post(moderate_url("thread", thread.pk, "lock"), {"reason": "z" * 2001}))
    assert "z" * 2001 in page
    thread.refresh_from_db()
    assert not thread.is_locked and not ModerationAction.objects.exists()


def test_locking_and_unlocking_a_thread(client, thread, moderator):
    client.force_login(moderator)
    client.post(moderate_url("thread", thread.pk, "lock"), {"reason": "Heated"})
    thread.refresh_from_db()
    assert thread.is_locked
    page = text(client.post(moderate_url("thread", thread.pk, "lock"), {"reason": "Again"}))
    assert "already locked" in page
    client.post(moderate_url("thread", thread.pk, "unlock"), {"reason": "Calm"})
    thread.refresh_from_db()
    assert not thread.is_locked
    assert list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True)) == ["lock", "unlock"]


def test_dismissing_settles_the_reports_and_changes_nothing(client, comment, member, moderator):
    client.force_login(moderator)
    page = text(client.post(moderate_url("comment", comment.pk, "dismiss"), {"reason": "Fine"}))
    assert "no open report" in page
    services.report_create(reporter=member, target=comment, reason="Rude")
    client.post(moderate_url("comment", comment.pk, "dismiss"), {"reason": "Robust, not rude"})
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert Report.objects.get().resolved_at is not None
    assert ModerationAction.objects.get().kind == "dismiss"


def test_only_threads_are_locked(client, comment, moderator):
    client.force_login(moderator)
    assert client.get(moderate_url("comment", comment.pk, "lock")).status_code == 404
    assert client.get(moderate_url("comment", comment.pk, "delete")).status_code == 404


@pytest.mark.permission("forum:moderate", "role")
@pytest.mark.permission("forum:space_moderation", "role")
@pytest.mark.parametrize("role", ["member", "open_member", "outsider"])
def test_people_who_do_not_moderate_are_refused(client, request, thread, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(moderate_url("thread", thread.pk, "hide")).status_code == 403
    assert client.post(moderate_url("thread", thread.pk, "hide"), {"reason": "x"}).status_code == 403
    assert client.get(reverse("forum:space_moderation", args=[thread.space.slug])).status_code == 403
    thread.refresh_from_db()
    assert not thread.is_hidden


@pytest.mark.permission("forum:moderate", "object")
def test_a_suspended_member_cannot_moderate(client, open_space, thread, open_member, moderator):
    from django.utils import timezone

    from hw4all.forum.services import spaces

    spaces.member_suspend(
        space=open_space,
        user=open_member,
        until=timezone.now() + timezone.timedelta(days=1),
        reason="r",
        by=moderator,
    )
    client.force_login(open_member)
    assert client.post(moderate_url("thread", thread.pk, "hide"), {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["steering", "secretary"])
def test_the_steering_committee_and_the_secretariat_moderate_open_spaces(client, request, thread, role):
    client.force_login(request.getfixturevalue(role))
    client.post(moderate_url("thread", thread.pk, "hide"), {"reason": "Off topic"})
    thread.refresh_from_db()
    assert thread.is_hidden


@pytest.mark.permission("forum:space_moderation", "object")
def test_the_steering_committee_gets_404_in_a_closed_space_it_is_not_in(
    client, closed_thread, steering, secretary
):
    client.force_login(steering)
    assert client.post(moderate_url("thread", closed_thread.pk, "hide"), {"reason": "x"}).status_code == 404
    assert client.get(reverse("forum:space_moderation", args=[closed_thread.space.slug])).status_code == 404
    client.force_login(secretary)
    client.post(moderate_url("thread", closed_thread.pk, "hide"), {"reason": "x"})
    closed_thread.refresh_from_db()
    assert closed_thread.is_hidden


def test_moderating_needs_a_post_with_csrf(thread, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(moderate_url("thread", thread.pk, "hide"), {"reason": "x"}).status_code == 403
    thread.refresh_from_db()
    assert not thread.is_hidden


@pytest.mark.permission("forum:moderate", "authenticated")
def test_anonymous_visitors_cannot_moderate(client, thread):
    response = client.post(moderate_url("thread", thread.pk, "hide"), {"reason": "x"})
    assert response.status_code == 302 and "login" in response.url


# The moderators' page.


def test_the_moderators_page_lists_open_reports_and_the_log(
    client, open_space, comment, member, open_member, moderator
):
    member.first_name, member.last_name = "Amina", "Otieno"
    member.save()
    services.report_create(reporter=member, target=comment, reason=f"Insults {XSS}")
    client.force_login(moderator)
    page = text(client.get(reverse("forum:space_moderation", args=[open_space.slug])))
    assert "Open reports" in page and "Amina Otieno" in page and "Insults" in page
    assert "You are all idiots." in page
    assert XSS not in page and "&lt;script&gt;" in page
    assert moderate_url("comment", comment.pk, "hide") in page
    client.post(moderate_url("comment", comment.pk, "hide"), {"reason": f"Attack {XSS}"})
    page = text(client.get(reverse("forum:space_moderation", args=[open_space.slug])))
    assert "No open report." in page
    assert "hid" in page and "Attack" in page and XSS not in page
    assert member.email not in page and moderator.email not in page


def test_the_log_has_no_way_to_change_it(client, open_space, thread, moderator):
    services.moderate(by=moderator, target=thread, action="lock", reason="Heated")
    client.force_login(moderator)
    page = text(client.get(reverse("forum:space_moderation", args=[open_space.slug])))
    assert "Heated" in page
    assert "<form" not in page.split('id="log-heading"')[1].split("</section>")[0]


# The template tags other pages include.


def render_tags(user, target, **context) -> str:
    request = RequestFactory().get("/en/forum/")
    request.user = user
    template = Template(
        "{% load forum_moderation %}[{% report_link target %}][{% moderation_controls target %}]"
    )
    return template.render(Context({"request": request, "target": target, **context}))


def test_report_links_and_controls_by_role(
    comment, thread, member, open_member, moderator, steering, secretary
):
    from django.contrib.auth.models import AnonymousUser

    assert render_tags(AnonymousUser(), comment) == "[][]"
    # Its author is not offered to report their own comment.
    assert render_tags(open_member, comment) == "[][]"
    output = render_tags(member, comment)
    assert report_url("comment", comment.pk) in output and "Hide" not in output
    for person in (moderator, steering, secretary):
        output = render_tags(person, thread)
        assert "Report" not in output
        assert moderate_url("thread", thread.pk, "hide") in output
        assert moderate_url("thread", thread.pk, "lock") in output
    comment.is_hidden = True
    assert render_tags(member, comment) == "[][]"
    output = render_tags(moderator, comment)
    assert "Hidden from members" in output and moderate_url("comment", comment.pk, "restore") in output


def test_no_report_link_for_what_the_person_may_not_see(closed_thread, open_member, steering):
    for person in (open_member, steering):
        assert render_tags(person, closed_thread) == "[][]"


def test_the_tags_ask_the_database_once_per_space_not_per_comment(
    thread, member, open_member, django_assert_max_num_queries
):
    comments = [
        Comment.objects.create(thread=thread, author=open_member, body=f"c{n}", body_html=f"<p>c{n}</p>")
        for n in range(30)
    ]
    request = RequestFactory().get("/")
    request.user = member
    template = Template(
        "{% load forum_moderation %}{% for c in comments %}{% report_link c %}{% moderation_controls c %}{% endfor %}"
    )
    with django_assert_max_num_queries(8):
        output = template.render(
            Context({"request": request, "comments": comments, "thread": thread, "space": thread.space})
        )
    assert output.count("forum-report-link") == 30


def test_proposals_can_be_reported_and_hidden(client, open_space, member, moderator):
    proposal = Proposal.objects.create(
        space=open_space, title="Fund training", problem="p", proposed="q", level="global",
        status=ProposalStatus.OPEN, created_by=moderator,
    )  # fmt: skip
    ProposalAuthor.objects.create(proposal=proposal, user=moderator)
    client.force_login(member)
    assert client.post(report_url("proposal", proposal.pk), {"reason": "Off topic"}).status_code == 302
    client.force_login(moderator)
    client.post(moderate_url("proposal", proposal.pk, "hide"), {"reason": "Off topic"})
    proposal.refresh_from_db()
    assert proposal.is_hidden and Report.objects.get().resolved_at is not None
