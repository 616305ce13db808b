"""In-site notifications, email at once and in digests, the one-click unsubscribe and the
settings page. The helpers at the top make content the way the services store it; the other
channels' tests import them."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.factories import member_of
from hw4all.forum.markdown import markdown_html
from hw4all.forum.models import (
    ActivityKind,
    Comment,
    Follow,
    Notification,
    Participant,
    Proposal,
    ProposalAuthor,
    ProposalLevel,
    ProposalStatus,
    SpaceMembership,
    Thread,
)
from hw4all.forum.services import access, activity, delivery

# Helpers.


def make_proposal(
    space, author, title="Recruitment code for nurses", *, status=ProposalStatus.OPEN, **fields
):
    proposal = Proposal.objects.create(
        space=space,
        title=title,
        problem=fields.pop("problem", "Too many nurses leave without an ethical recruitment framework."),
        proposed=fields.pop("proposed", "Adopt the WHO Code in bilateral agreements."),
        level=ProposalLevel.GLOBAL,
        status=status,
        created_by=author,
        opened_at=fields.pop("opened_at", None if status == ProposalStatus.DRAFT else timezone.now()),
        version=0 if status == ProposalStatus.DRAFT else 1,
        **fields,
    )
    ProposalAuthor.objects.create(proposal=proposal, user=author)
    return proposal


def make_thread(space, author, title="Retention of rural midwives", **fields):
    return Thread.objects.create(space=space, title=title, created_by=author, **fields)


def make_comment(author, body="I agree with the proposal.", *, thread=None, proposal=None, **fields):
    return Comment.objects.create(
        thread=thread, proposal=proposal, author=author, body=body, body_html=markdown_html(body), **fields
    )


def frequency(user, value) -> Participant:
    participant = access.participant_for(user)
    participant.email_frequency = value
    participant.save()
    return participant


def comment_activity(space, actor, thread, comment, **kwargs):
    return activity.activity_record(
        space=space,
        kind=ActivityKind.COMMENT_POSTED,
        actor=actor,
        summary=thread.title,
        thread=thread,
        comment=comment,
        **kwargs,
    )


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def author(open_space):
    user = member_of(open_space, country="KE")
    user.first_name, user.last_name = "Amina", "Otieno"
    user.save()
    return user


# The notifications page.


@pytest.mark.permission("forum:notification_settings", "authenticated")
@pytest.mark.permission("forum:notifications", "authenticated")
@pytest.mark.permission("forum:notifications_read", "authenticated")
def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("forum:notifications"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(reverse("forum:notification_settings")).status_code == 302
    response = client.post(reverse("forum:notifications_read"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_follower_reads_what_happened_where_and_why_newest_first(open_space, member, author):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    later = make_thread(open_space, author, title="Task shifting in primary care")
    activity.activity_record(
        space=open_space, kind=ActivityKind.THREAD_STARTED, actor=author, summary=later.title, thread=later
    )
    page = client_for(member).get(reverse("forum:notifications")).content.decode()
    assert "Amina Otieno commented" in page
    assert "Amina Otieno started a discussion" in page
    assert page.index("Task shifting in primary care") < page.index("Retention of rural midwives")
    assert "in Global space" in page
    assert "You follow it" in page
    assert "2 unread" in page
    assert f'href="{thread.get_absolute_url()}#comment-' in page
    assert author.email not in page


def test_mark_all_read(open_space, member, author):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    client = client_for(member)
    response = client.post(reverse("forum:notifications_read"), follow=True)
    assert "All your notifications are marked as read." in response.content.decode()
    assert "0 unread" in response.content.decode()
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()


def test_mark_all_read_needs_the_csrf_token(open_space, member, author):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    response = client_for(member, enforce_csrf_checks=True).post(reverse("forum:notifications_read"))
    assert response.status_code == 403
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 1


def test_notifications_about_hidden_or_deleted_content_are_not_shown(open_space, member, author):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author, title="Thread later hidden")
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    kept = make_thread(open_space, author, title="A thread still there")
    deleted = make_comment(author, "Comment later deleted", thread=kept)
    comment_activity(open_space, author, kept, deleted)
    proposal = make_proposal(open_space, author, title="Proposal later hidden")
    activity.activity_record(
        space=open_space,
        kind=ActivityKind.PROPOSAL_OPENED,
        actor=author,
        summary=proposal.title,
        proposal=proposal,
    )
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    Comment.objects.filter(pk=deleted.pk).update(is_deleted=True)
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True)
    page = client_for(member).get(reverse("forum:notifications")).content.decode()
    assert "later hidden" not in page
    assert "A thread still there" not in page
    assert "0 unread" in page


def test_a_moderator_still_sees_notifications_about_hidden_content(open_space, moderator, author):
    Follow.objects.create(user=moderator, space=open_space)
    thread = make_thread(open_space, author, title="Thread later hidden")
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    assert "Thread later hidden" in client_for(moderator).get(reverse("forum:notifications")).content.decode()


def test_notifications_of_a_closed_space_left_are_not_shown(closed_space, member, moderator):
    Follow.objects.create(user=member, space=closed_space)
    thread = make_thread(closed_space, moderator, title="Confidential strategy")
    comment_activity(closed_space, moderator, thread, make_comment(moderator, thread=thread))
    client = client_for(member)
    assert "Confidential strategy" in client.get(reverse("forum:notifications")).content.decode()
    SpaceMembership.objects.filter(space=closed_space, user=member).delete()
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "Confidential strategy" not in page
    assert "0 unread" in page


def test_notification_texts_are_escaped(open_space, member, author):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author, title='<script>alert("x")</script><img src=x onerror=alert(1)>')
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    page = client_for(member).get(reverse("forum:notifications")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_unread_count_tag(rf, open_space, member, author, outsider):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    template = Template("{% load forum_follow %}{% unread_notifications %}")
    request = rf.get("/")
    request.user = member
    assert "1 unread" in template.render(Context({"request": request}))
    request.user = outsider
    rendered = template.render(Context({"request": request}))
    assert "Notifications</a>" in rendered and " unread" not in rendered
    request.user = AnonymousUser()
    assert template.render(Context({"request": request})).strip() == ""


# Email at once.


def test_immediate_email_one_per_notification_with_one_click_unsubscribe(
    open_space, member, author, django_capture_on_commit_callbacks
):
    participant = frequency(member, Participant.EmailFrequency.IMMEDIATE)
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    with django_capture_on_commit_callbacks(execute=True):
        comment_activity(open_space, author, thread, make_comment(author, "Second", thread=thread))
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Retention of rural midwives" in message.subject
    assert "Amina Otieno commented: Retention of rural midwives" in message.body
    assert "You follow it" in message.body
    unsubscribe = f"http://127.0.0.1:8000/en/forum/unsubscribe/{participant.unsubscribe_token}/"
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()
    assert Notification.objects.filter(user=member, emailed_at__isnull=True).count() == 0


def test_immediate_email_is_in_the_preferred_language(
    open_space, member, author, django_capture_on_commit_callbacks
):
    member.preferred_language = "fr"
    member.save()
    frequency(member, Participant.EmailFrequency.IMMEDIATE)
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    (message,) = mail.outbox
    assert "/fr/forum/discussions/" in message.body
    assert "/fr/forum/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_digest_people_and_those_who_want_no_email_get_nothing_at_once(
    open_space, member, author, django_capture_on_commit_callbacks
):
    frequency(member, Participant.EmailFrequency.DAILY)
    never = member_of(open_space)
    frequency(never, Participant.EmailFrequency.NEVER)
    Follow.objects.create(user=member, space=open_space)
    Follow.objects.create(user=never, space=open_space)
    thread = make_thread(open_space, author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_nothing_is_emailed_about_content_hidden_before_the_delivery(
    open_space, member, author, django_capture_on_commit_callbacks
):
    frequency(member, Participant.EmailFrequency.IMMEDIATE)
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author, is_hidden=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_activity(open_space, author, thread, make_comment(author, thread=thread))
    assert mail.outbox == []


# Digests.


def _two_notifications(space, follower, author):
    Follow.objects.create(user=follower, space=space)
    thread = make_thread(space, author)
    comment_activity(space, author, thread, make_comment(author, thread=thread))
    other = make_thread(space, author, title="Task shifting in primary care")
    activity.activity_record(
        space=space, kind=ActivityKind.THREAD_STARTED, actor=author, summary=other.title, thread=other
    )


def test_the_daily_digest_gathers_what_was_not_emailed_once(open_space, member, author):
    participant = frequency(member, Participant.EmailFrequency.DAILY)
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    out = StringIO()
    call_command("forum_digests", stdout=out)
    assert "Daily digests sent: 1" in out.getvalue()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Your daily forum digest: 2 notifications"
    assert "== Global space ==" in message.body
    assert "Retention of rural midwives" in message.body and "Task shifting in primary care" in message.body
    assert participant.unsubscribe_token in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    participant.refresh_from_db()
    assert participant.last_digest_at is not None

    again = StringIO()
    call_command("forum_digests", stdout=again)
    assert "Daily digests sent: 0" in again.getvalue()
    assert len(mail.outbox) == 1


def test_a_long_digest_points_to_the_site_for_the_rest(monkeypatch, open_space, member, author):
    monkeypatch.setattr(delivery, "DIGEST_MAX_ITEMS", 1)
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    delivery.digests_send()
    (message,) = mail.outbox
    assert message.subject == "Your daily forum digest: 2 notifications"
    assert "And 1 more notification: http://127.0.0.1:8000/en/forum/notifications/" in message.body
    assert Notification.objects.filter(user=member, emailed_at__isnull=True).count() == 0


def test_people_who_never_chose_get_the_daily_digest(open_space, member, author):
    assert not Participant.objects.filter(user=member).exists()
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    delivery.digests_send()
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_the_weekly_digest_waits_for_its_day(open_space, member, author):
    frequency(member, Participant.EmailFrequency.WEEKLY)
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    now = timezone.now()
    tuesday = now + datetime.timedelta(days=(1 - now.weekday()) % 7 or 7)
    monday = tuesday + datetime.timedelta(days=6)
    assert delivery.digests_send(now=tuesday).weekly == 0
    assert mail.outbox == []
    assert delivery.digests_send(now=monday).weekly == 1
    assert mail.outbox[0].subject == "Your weekly forum digest: 2 notifications"


def test_no_digest_for_those_who_want_no_email(open_space, member, author):
    frequency(member, Participant.EmailFrequency.NEVER)
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    delivery.digests_send()
    assert mail.outbox == []


def test_the_digest_leaves_out_what_was_hidden_since(open_space, member, author):
    frequency(member, Participant.EmailFrequency.DAILY)
    _two_notifications(open_space, member, author)
    Thread.objects.filter(title="Task shifting in primary care").update(is_hidden=True)
    mail.outbox.clear()
    delivery.digests_send()
    (message,) = mail.outbox
    assert "Task shifting" not in message.body
    assert message.subject == "Your daily forum digest: 1 notification"


def test_the_command_queues_its_next_run_with_the_database_queue(settings, db):
    out = StringIO()
    call_command("forum_digests", "--schedule", stdout=out)
    assert "Not queued" in out.getvalue()  # the tests' immediate backend cannot defer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_digest_runs_at_once_send_one_digest(open_space, member, author):
    frequency(member, Participant.EmailFrequency.DAILY)
    _two_notifications(open_space, member, author)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            delivery.digests_send()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for run_thread in runs:
        run_thread.start()
    for run_thread in runs:
        run_thread.join()
    assert errors == []
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=member, emailed_at__isnull=True).count() == 0


# Unsubscribing and settings.


def test_the_unsubscribe_link_asks_for_one_click(open_space, member):
    participant = frequency(member, Participant.EmailFrequency.DAILY)
    url = reverse("forum:unsubscribe", kwargs={"token": participant.unsubscribe_token})
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop forum email" in page.content.decode()
    participant.refresh_from_db()
    assert participant.email_frequency == Participant.EmailFrequency.DAILY  # a scanner's GET changes nothing
    # The mail client's one-click POST (RFC 8058) has no session and no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Forum email stopped" in response.content.decode()
    participant.refresh_from_db()
    assert participant.email_frequency == Participant.EmailFrequency.NEVER


@pytest.mark.permission("forum:unsubscribe", "object")
def test_an_unknown_unsubscribe_token_is_not_found(client, db):
    assert client.get(reverse("forum:unsubscribe", kwargs={"token": "nope"})).status_code == 404
    assert client.post(reverse("forum:unsubscribe", kwargs={"token": "nope"})).status_code == 404


def test_the_settings_page_sets_the_frequency_and_lists_what_is_followed(
    open_space, closed_space, member, author
):
    Follow.objects.create(user=member, space=open_space)
    thread = make_thread(open_space, author)
    Follow.objects.create(user=member, thread=thread)
    client = client_for(member)
    page = client.get(reverse("forum:notification_settings")).content.decode()
    assert "Stop following this space" in page
    assert "Stop following this discussion" in page
    assert "Retention of rural midwives" in page
    response = client.post(reverse("forum:notification_settings"), {"email_frequency": "weekly"}, follow=True)
    assert "Your email settings are saved." in response.content.decode()
    assert Participant.objects.get(user=member).email_frequency == "weekly"
    response = client.post(reverse("forum:notification_settings"), {"email_frequency": "hourly"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert Participant.objects.get(user=member).email_frequency == "weekly"


def test_the_settings_need_the_csrf_token(member):
    response = client_for(member, enforce_csrf_checks=True).post(
        reverse("forum:notification_settings"), {"email_frequency": "never"}
    )
    assert response.status_code == 403


def test_email_turned_back_on_starts_from_now(open_space, member, author):
    frequency(member, Participant.EmailFrequency.NEVER)
    _two_notifications(open_space, member, author)
    client_for(member).post(reverse("forum:notification_settings"), {"email_frequency": "daily"})
    mail.outbox.clear()
    delivery.digests_send()
    assert mail.outbox == []
