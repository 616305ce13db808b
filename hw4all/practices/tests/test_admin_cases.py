"""The Secretariat's case screens in the admin: the list, the case screen and each action, for
the Secretariat and for everyone who may not use them."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hw4all.coalition.factories import user_in
from hw4all.practices import services
from hw4all.practices.models import AssignmentStatus, CaseStatus, CaseStudy, EventKind
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

from .conftest import answers_for, complete_fields

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"


def url(name: str, case=None, **kwargs) -> str:
    if case is not None:
        kwargs["pk"] = case.pk
    return reverse(f"practices_cases:{name}", kwargs=kwargs)


def action_urls(case, assignment=None) -> list[str]:
    urls = [
        url(name, case)
        for name in ("accept", "return", "assign", "decide", "publish", "unpublish", "comment")
    ]
    if assignment is not None:
        urls.append(url("withdraw", case, assignment_pk=assignment.pk))
    return urls


def text(response) -> str:
    return response.content.decode()


def submit_all(case, reviewers, **kwargs) -> None:
    for reviewer in reviewers:
        assignment = case.assignments.get(reviewer=reviewer, round=case.revision)
        services.review_save(
            assignment=assignment,
            user=reviewer,
            answers=answers_for(case, **kwargs),
            no_conflict=True,
            submit=True,
        )


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


# Who may come in.


def test_the_list_shows_cases_needing_action_with_counts(secretariat_client, in_review, author, reviewers):
    services.case_create(user=author, title="A private draft", **complete_fields())
    response = secretariat_client.get(url("list"))
    assert response.status_code == 200
    page = text(response)
    assert "Retaining rural nurses" in page
    assert "A private draft" not in page  # drafts are listed apart
    assert "Needs action (1)" in page
    assert "Drafts (1)" in page
    assert "0 / 2" in page  # reviews in / assigned
    assert url("case", in_review) in page

    drafts = text(secretariat_client.get(url("list") + "?status=draft"))
    assert "A private draft" in drafts
    draft = CaseStudy.objects.get(title="A private draft")
    assert url("case", draft) not in drafts  # title and organisation only
    assert str(draft.organisation) in drafts


def test_an_overdue_review_is_flagged_in_the_list(secretariat_client, in_review):
    CaseStudy.objects.filter(pk=in_review.pk).update(
        review_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Overdue" in text(secretariat_client.get(url("list")))


def test_the_list_needs_the_same_queries_for_many_cases(
    secretariat_client, in_review, author, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        secretariat_client.get(url("list"))
    for number in range(5):
        case = services.case_create(user=author, title=f"Case {number}", **complete_fields())
        services.case_submit(case=case, user=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        secretariat_client.get(url("list"))


@pytest.mark.permission("practices_cases:accept", "role")
@pytest.mark.permission("practices_cases:assign", "role")
@pytest.mark.permission("practices_cases:case", "role")
@pytest.mark.permission("practices_cases:comment", "role")
@pytest.mark.permission("practices_cases:decide", "role")
@pytest.mark.permission("practices_cases:list", "role")
@pytest.mark.permission("practices_cases:publish", "role")
@pytest.mark.permission("practices_cases:return", "role")
@pytest.mark.permission("practices_cases:unpublish", "role")
@pytest.mark.permission("practices_cases:withdraw", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_with_the_admin_get_the_forbidden_page(client, in_review, role):
    user = user_in(role, country="FR")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assignment = in_review.assignments.first()
    for address in (url("list"), url("case", in_review)):
        response = client.get(address)
        assert response.status_code == 403, address
        assert "Only the Secretariat" in text(response)
    for address in action_urls(in_review, assignment):
        response = client.post(address, {"note": "x", "decision": "declined", "reasons": "x", "body": "x"})
        assert response.status_code == 403, address
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.IN_REVIEW
    assert not in_review.comments.exists()
    assert not in_review.assignments.filter(status=AssignmentStatus.WITHDRAWN).exists()


@pytest.mark.permission("practices_cases:accept", "role")
@pytest.mark.permission("practices_cases:assign", "role")
@pytest.mark.permission("practices_cases:case", "role")
@pytest.mark.permission("practices_cases:comment", "role")
@pytest.mark.permission("practices_cases:decide", "role")
@pytest.mark.permission("practices_cases:list", "role")
@pytest.mark.permission("practices_cases:publish", "role")
@pytest.mark.permission("practices_cases:return", "role")
@pytest.mark.permission("practices_cases:unpublish", "role")
@pytest.mark.permission("practices_cases:withdraw", "role")
def test_the_author_and_an_assigned_reviewer_are_sent_to_sign_in(client, in_review, author, reviewers):
    """Without the admin itself, Wagtail sends them to its sign-in page; nothing changes."""
    for user in (author, reviewers[0]):
        client.force_login(user)
        for address in (url("list"), url("case", in_review)):
            response = client.get(address)
            assert response.status_code == 302 and "login" in response.url, address
        for address in action_urls(in_review, in_review.assignments.first()):
            response = client.post(
                address, {"note": "x", "decision": "declined", "reasons": "x", "body": "x"}
            )
            assert response.status_code == 302 and "login" in response.url, address
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.IN_REVIEW
    assert not in_review.comments.exists()


@pytest.mark.permission("practices_cases:accept", "authenticated")
@pytest.mark.permission("practices_cases:assign", "authenticated")
@pytest.mark.permission("practices_cases:case", "authenticated")
@pytest.mark.permission("practices_cases:comment", "authenticated")
@pytest.mark.permission("practices_cases:decide", "authenticated")
@pytest.mark.permission("practices_cases:list", "authenticated")
@pytest.mark.permission("practices_cases:publish", "authenticated")
@pytest.mark.permission("practices_cases:return", "authenticated")
@pytest.mark.permission("practices_cases:unpublish", "authenticated")
@pytest.mark.permission("practices_cases:withdraw", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, in_review):
    for address in [url("list"), url("case", in_review)] + action_urls(in_review):
        response = client.get(address)
        assert response.status_code == 302, address
        assert "login" in response.url


def test_every_post_needs_the_csrf_token(in_review, secretary):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assignment = in_review.assignments.first()
    for address in action_urls(in_review, assignment):
        assert client.post(address, {"note": "A note", "body": "Hello"}).status_code == 403, address
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.IN_REVIEW
    assert not in_review.comments.exists()


def test_the_menu_has_case_studies_for_the_secretariat_only(client, secretariat_client):
    assert reverse("practices_cases:list") in text(secretariat_client.get("/admin/"))
    steering = user_in(STEERING_COMMITTEE, country="FR")
    client.force_login(steering)
    assert reverse("practices_cases:list") not in text(client.get("/admin/"))


# Screening.


def test_the_case_screen_shows_text_files_history_and_timeline(secretariat_client, submitted):
    response = secretariat_client.get(url("case", submitted))
    assert response.status_code == 200
    page = text(response)
    assert "Rural districts lost a third of their nurses." in page
    assert "Revision 1" in page
    assert "Submitted" in page  # the timeline
    assert "Accept for review" in page
    assert "Send back" in page


def test_a_draft_shows_only_that_it_exists(secretariat_client, author):
    case = services.case_create(user=author, title="Private", **complete_fields())
    page = text(secretariat_client.get(url("case", case)))
    assert "Private" in page
    assert "Rural districts lost a third" not in page


def test_accept_for_review(secretariat_client, submitted, author):
    confirm = secretariat_client.get(url("accept", submitted))
    assert confirm.status_code == 200
    response = secretariat_client.post(url("accept", submitted), {"note": "In scope."}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.IN_REVIEW
    assert "accepted for review" in text(response)
    assert any(author.email in message.to for message in mail.outbox)


def test_send_back_requires_comments(secretariat_client, submitted):
    response = secretariat_client.post(url("return", submitted), {"note": "  "})
    assert response.status_code == 200
    assert "This field is required" in text(response)
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.SUBMITTED

    secretariat_client.post(url("return", submitted), {"note": "Add the costs."})
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.RETURNED
    assert submitted.events.filter(kind=EventKind.RETURNED, note="Add the costs.").exists()


def test_a_step_already_taken_shows_a_message_not_an_error(secretariat_client, submitted, secretary):
    services.case_screen_accept(case=submitted, by=secretary)
    response = secretariat_client.post(url("accept", submitted), {"note": ""}, follow=True)
    assert response.status_code == 200
    assert "the step was not taken" in text(response)


def test_notes_and_comments_are_escaped(secretariat_client, submitted):
    secretariat_client.post(url("accept", submitted), {"note": XSS})
    secretariat_client.post(url("comment", submitted), {"body": XSS})
    page = text(secretariat_client.get(url("case", submitted)))
    assert XSS not in page
    assert "<script>alert" not in page


def test_a_refused_note_comes_back_escaped(secretariat_client, submitted):
    """The services strip tags, so a note of nothing but a script is empty and refused; the form
    shows it back as text."""
    response = secretariat_client.post(url("return", submitted), {"note": XSS})
    assert response.status_code == 200
    page = text(response)
    assert "&lt;script&gt;alert" in page
    assert "<script>alert" not in page
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.SUBMITTED


def test_reasons_and_reviewers_notes_are_escaped(secretariat_client, in_review, reviewers, secretary):
    first, second = (in_review.assignments.get(reviewer=reviewer) for reviewer in reviewers[:2])
    services.review_step_aside(assignment=first, user=reviewers[0], note=f"I advised them. {XSS}")
    secretariat_client.post(url("withdraw", in_review, assignment_pk=second.pk), {"note": f"On leave. {XSS}"})
    page = text(secretariat_client.get(url("case", in_review)))
    assert "<script>alert" not in page
    second.refresh_from_db()
    assert second.status == AssignmentStatus.WITHDRAWN


# Reviewers.


def test_the_assign_form_lists_reviewers_and_shows_refusals(
    secretariat_client, submitted, secretary, author, published
):
    services.case_screen_accept(case=submitted, by=secretary)
    colleague = user_in(REVIEWER, organisation=author.person.organisation)
    free = user_in(REVIEWER, country="RO")
    page = text(secretariat_client.get(url("case", submitted)))
    assert "belongs to the submitting organisation" in page
    assert f'value="{colleague.pk}"' in page
    assert page.count("disabled") >= 1
    assert str(free.person.organisation) in page

    # A refused reviewer sent anyway is refused with the reason, nothing assigned.
    response = secretariat_client.post(
        url("assign", submitted),
        {"reviewers": [colleague.pk, free.pk], "deadline": "2099-01-01", "criteria_version": published.pk},
    )
    assert response.status_code == 200
    assert "belongs to the submitting organisation" in text(response)
    assert not submitted.assignments.exists()


def test_assigning_reviewers_from_one_country_is_refused(secretariat_client, submitted, secretary, published):
    services.case_screen_accept(case=submitted, by=secretary)
    first, second = user_in(REVIEWER, country="BE"), user_in(REVIEWER, country="BE")
    response = secretariat_client.post(
        url("assign", submitted),
        {"reviewers": [first.pk, second.pk], "deadline": "2099-01-01", "criteria_version": published.pk},
    )
    assert "different countries" in text(response)
    assert not submitted.assignments.exists()


def test_assigning_reviewers(secretariat_client, submitted, secretary, reviewers, published):
    services.case_screen_accept(case=submitted, by=secretary)
    page = text(secretariat_client.get(url("case", submitted)))
    assert str(published) in page  # the default criteria version
    response = secretariat_client.post(
        url("assign", submitted),
        {
            "reviewers": [reviewers[0].pk, reviewers[1].pk],
            "deadline": "2099-01-01",
            "criteria_version": published.pk,
        },
        follow=True,
    )
    assert "Assigned:" in text(response)
    assert submitted.assignments.count() == 2
    submitted.refresh_from_db()
    assert submitted.criteria_version == published
    assert submitted.review_deadline == datetime.date(2099, 1, 1)
    # The version is fixed now: the field is shown disabled.
    page = text(secretariat_client.get(url("case", submitted)))
    assert 'name="criteria_version"' in page and "disabled" in page


def test_withdraw_an_assignment(secretariat_client, in_review, reviewers):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    address = url("withdraw", in_review, assignment_pk=assignment.pk)
    assert secretariat_client.get(address).status_code == 200
    assert "required" in text(secretariat_client.post(address, {"note": ""}))
    secretariat_client.post(address, {"note": "On leave."})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert assignment.withdrawn_reason == "On leave."
    response = secretariat_client.post(address, {"note": "Again."}, follow=True)
    assert "Only a review still in progress can be withdrawn." in text(response)


def test_the_table_shows_only_submitted_reviews(secretariat_client, in_review, reviewers):
    first, second = (in_review.assignments.get(reviewer=reviewer) for reviewer in reviewers[:2])
    answers = answers_for(in_review)
    services.review_save(assignment=first, user=reviewers[0], answers=answers, no_conflict=True, submit=True)
    draft = {pk: (answer, "A draft thought only I know") for pk, (answer, _comment) in answers.items()}
    services.review_save(assignment=second, user=reviewers[1], answers=draft, no_conflict=True)
    page = text(secretariat_client.get(url("case", in_review)))
    assert "Well documented." in page
    assert "A draft thought only I know" not in page
    assert "Scores of 1 submitted review" in page
    assert "Best practice" in page  # the outcome of the threshold rule on what is in


# Deciding and publishing.


def test_validated_publishes(secretariat_client, in_review, reviewers):
    submit_all(in_review, reviewers[:2])
    response = secretariat_client.post(
        url("decide", in_review), {"decision": "validated", "publish": "on"}, follow=True
    )
    assert response.status_code == 200
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.VALIDATED
    assert in_review.is_published
    assert in_review.reviews_counted == 2
    page = text(response)
    assert "Validation record" in page
    assert "Unpublish" in page


def test_validation_needs_enough_reviews(secretariat_client, in_review, reviewers):
    submit_all(in_review, reviewers[:1])
    response = secretariat_client.post(url("decide", in_review), {"decision": "validated", "publish": "on"})
    assert response.status_code == 200
    assert "Validation needs 2 submitted reviews; 1 are in." in text(response)
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.IN_REVIEW


def test_revise_requires_reasons(secretariat_client, in_review, reviewers, author):
    submit_all(in_review, reviewers[:2])
    response = secretariat_client.post(url("decide", in_review), {"decision": "revise", "reasons": ""})
    assert "Give the authors your reasons." in text(response)
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.IN_REVIEW
    secretariat_client.post(url("decide", in_review), {"decision": "revise", "reasons": "Show the costs."})
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.REVISE
    assert in_review.decision_reasons == "Show the costs."
    assert not in_review.is_published


def test_decline(secretariat_client, in_review, reviewers):
    submit_all(in_review, reviewers[:2], passed=False)
    secretariat_client.post(url("decide", in_review), {"decision": "declined", "reasons": "Out of scope."})
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.DECLINED


def test_publish_and_unpublish_without_badge(secretariat_client, submitted):
    assert secretariat_client.get(url("publish", submitted)).status_code == 200
    secretariat_client.post(url("publish", submitted))
    submitted.refresh_from_db()
    assert submitted.is_published and not submitted.is_validated
    response = secretariat_client.post(url("publish", submitted), follow=True)
    assert "already published" in text(response)
    secretariat_client.post(url("unpublish", submitted))
    submitted.refresh_from_db()
    assert not submitted.is_published


def test_a_draft_cannot_be_published(secretariat_client, author):
    case = services.case_create(user=author, title="Private", **complete_fields())
    response = secretariat_client.post(url("publish", case), follow=True)
    assert (
        "Only a case study the authors have submitted can be published, not one they are changing."
        in text(response)
    )
    case.refresh_from_db()
    assert not case.is_published


# The discussion.


def test_the_secretariat_posts_in_the_discussion(secretariat_client, in_review, reviewers):
    response = secretariat_client.post(
        url("comment", in_review), {"body": "Do you agree on evidence?"}, follow=True
    )
    assert "Do you agree on evidence?" in text(response)
    assert any(reviewers[0].email in message.to for message in mail.outbox)


def test_an_oversized_message_is_refused_and_kept(secretariat_client, in_review):
    body = "x" * 5001
    response = secretariat_client.post(url("comment", in_review), {"body": body})
    assert response.status_code == 200
    assert "at most 5000 characters" in text(response)
    assert body in text(response)
    assert not in_review.comments.exists()


def test_the_discussion_is_closed_after_the_decision(secretariat_client, in_review, reviewers, secretary):
    submit_all(in_review, reviewers[:2])
    services.case_decide(case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="No.")
    response = secretariat_client.post(url("comment", in_review), {"body": "Late"}, follow=True)
    assert "The discussion is closed" in text(response)
    assert not in_review.comments.exists()


def test_secretariat_role_is_enough(client, in_review):
    """Any member of the Secretariat group, not only the fixture's."""
    other = user_in(SECRETARIAT, country="FR")
    client.force_login(other)
    assert client.get(url("case", in_review)).status_code == 200
