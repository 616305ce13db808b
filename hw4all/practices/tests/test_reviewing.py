"""The reviewers' pages: their list, the scoring form with its conflict-of-interest step, the
others' scores only after one's own, and the private discussion; for every role."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.coalition.factories import user_in
from hw4all.practices import services
from hw4all.practices.models import AssignmentStatus, CaseStatus, CriterionGroup, ReviewAssignment
from hw4all.users.roles import MEMBER, REVIEWER

from .conftest import answers_for

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"
REVIEWS = reverse("practices:reviews")


def review_url(assignment) -> str:
    return reverse("practices:review", kwargs={"pk": assignment.pk})


def thread_url(case) -> str:
    return reverse("practices:thread", kwargs={"pk": case.pk})


def text(response) -> str:
    return response.content.decode()


def form_data(case, *, passed=True, score=4, comment="Well documented.", no_conflict=True, action="submit"):
    data = {action: "1"}
    if no_conflict:
        data["no_conflict"] = "on"
    for criterion in case.criteria_version.criteria.all():
        if criterion.group == CriterionGroup.EXCLUSION:
            data[f"criterion_{criterion.pk}"] = "pass" if passed else "fail"
        else:
            data[f"criterion_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = comment
    return data


@pytest.fixture
def first(in_review, reviewers):
    return in_review.assignments.get(reviewer=reviewers[0])


@pytest.fixture
def second(in_review, reviewers):
    return in_review.assignments.get(reviewer=reviewers[1])


@pytest.fixture
def reviewer_client(client, reviewers):
    client.force_login(reviewers[0])
    return client


# The list.


def test_the_list_shows_open_reviews_first_with_deadlines(reviewer_client, first, in_review):
    ReviewAssignment.objects.filter(pk=first.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    response = reviewer_client.get(REVIEWS)
    assert response.status_code == 200
    page = text(response)
    assert "To review" in page
    assert review_url(first) in page
    assert "Overdue" in page
    assert "no-cache" in response["Cache-Control"]


def test_a_submitted_review_moves_to_the_closed_list(reviewer_client, first, in_review, reviewers):
    services.review_save(
        assignment=first, user=reviewers[0], answers=answers_for(in_review), no_conflict=True, submit=True
    )
    page = text(reviewer_client.get(REVIEWS))
    assert "To review" not in page
    assert "Submitted and closed" in page
    assert "Review submitted" in page


def test_the_list_explains_itself_to_a_member(client, author):
    client.force_login(author)
    page = text(client.get(REVIEWS))
    assert "does not have the reviewer role" in page


@pytest.mark.permission("practices:review", "authenticated")
@pytest.mark.permission("practices:reviews", "authenticated")
@pytest.mark.permission("practices:thread", "authenticated")
def test_anonymous_visitors_are_sent_to_sign_in(client, first, in_review):
    for address in (REVIEWS, review_url(first), thread_url(in_review)):
        response = client.get(address)
        assert response.status_code == 302, address
        assert "login" in response.url
    response = client.post(review_url(first), form_data(in_review))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED


# Who may open a review.


@pytest.mark.permission("practices:review", "object")
def test_only_the_assigned_reviewer_opens_the_review(client, first, in_review, reviewers, author, secretary):
    others = [reviewers[1], reviewers[2], author, user_in(MEMBER, country="FR"), secretary]
    for user in others:
        client.force_login(user)
        assert client.get(review_url(first)).status_code == 404, user
        assert client.post(review_url(first), form_data(in_review)).status_code == 404, user
        assert client.post(review_url(first), {"step_aside": "1", "conflict_note": "x"}).status_code == 404
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED
    assert not first.scores.exists()


def test_a_missing_review_is_404(reviewer_client):
    assert reviewer_client.get(reverse("practices:review", kwargs={"pk": 99999})).status_code == 404


# Scoring.


def test_the_review_page_shows_the_case_and_the_form(reviewer_client, first, in_review):
    response = reviewer_client.get(review_url(first))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    page = text(response)
    assert "Rural districts lost a third of their nurses." in page
    assert "I have no conflict of interest" in page
    for criterion in in_review.criteria_version.criteria.all():
        assert criterion.title in page
    assert 'value="pass"' in page and 'value="fail"' in page
    assert 'name="criterion_' in page
    assert "Submit review" in page and "Step aside" in page


def test_save_keeps_a_partial_draft(reviewer_client, first, in_review):
    data = form_data(in_review, action="save", no_conflict=False)
    exclusion = in_review.criteria_version.criteria.get(group=CriterionGroup.EXCLUSION)
    data.pop(f"criterion_{exclusion.pk}")
    response = reviewer_client.post(review_url(first), data, follow=True)
    assert "Your answers are saved" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED
    assert first.scores.filter(score=4).count() == 2
    page = text(reviewer_client.get(review_url(first)))
    assert len(re.findall(r'<input type="radio"[^>]*value="4"[^>]*checked', page)) == 2


def test_submit_without_the_declaration_or_an_answer_shows_errors_and_keeps_answers(
    reviewer_client, first, in_review
):
    data = form_data(in_review, no_conflict=False, comment="Kept comment")
    core = in_review.criteria_version.criteria.get(group=CriterionGroup.CORE)
    data.pop(f"criterion_{core.pk}")
    response = reviewer_client.post(review_url(first), data)
    assert response.status_code == 200
    page = text(response)
    assert "Please correct the errors below" in page
    assert "Declare that you have no conflict of interest, or step aside." in page
    assert "Answer this criterion." in page
    assert f'href="#fieldset-criterion_{core.pk}"' in page
    assert "Kept comment" in page
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED


def test_submit_then_read_only(reviewer_client, first, in_review):
    response = reviewer_client.post(review_url(first), form_data(in_review), follow=True)
    assert "your review is submitted" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.SUBMITTED
    page = text(response)
    assert "it can no longer be changed" in page
    assert "Submit review" not in page
    again = reviewer_client.post(review_url(first), form_data(in_review, score=0), follow=True)
    assert "it can no longer be changed" in text(again)
    assert first.scores.filter(score=0).count() == 0


def test_others_scores_are_hidden_until_ones_own_is_submitted(client, first, second, in_review, reviewers):
    services.review_save(
        assignment=second,
        user=reviewers[1],
        answers={
            pk: (answer, "Second reviewer's secret view")
            for pk, (answer, _c) in answers_for(in_review, score=1).items()
        },
        no_conflict=True,
        submit=True,
    )
    client.force_login(reviewers[0])
    page = text(client.get(review_url(first)))
    assert "Second reviewer&#x27;s secret view" not in page
    assert "Second reviewer's secret view" not in page
    assert "1 / 4" not in page
    assert str(reviewers[1]) not in page

    response = client.post(review_url(first), form_data(in_review), follow=True)
    page = text(response)
    assert "Second reviewer&#x27;s secret view" in page
    assert "1 / 4" in page
    assert "All submitted reviews" in page


def test_a_draft_of_another_reviewer_is_never_shown(client, first, second, in_review, reviewers):
    services.review_save(
        assignment=second,
        user=reviewers[1],
        answers={pk: (answer, "Unsubmitted musing") for pk, (answer, _c) in answers_for(in_review).items()},
        no_conflict=True,
    )
    client.force_login(reviewers[0])
    response = client.post(review_url(first), form_data(in_review), follow=True)
    assert "Unsubmitted musing" not in text(response)


def test_an_out_of_range_score_is_refused(reviewer_client, first, in_review):
    data = form_data(in_review)
    core = in_review.criteria_version.criteria.get(group=CriterionGroup.CORE)
    data[f"criterion_{core.pk}"] = "99"
    response = reviewer_client.post(review_url(first), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED


def test_an_oversized_comment_is_refused_and_kept(reviewer_client, first, in_review):
    data = form_data(in_review, comment="y" * 5001)
    response = reviewer_client.post(review_url(first), data)
    assert "at most 5000 characters" in text(response)
    assert "y" * 5001 in text(response)
    assert not first.scores.exists()


def test_a_refused_review_shows_the_comments_back_escaped(reviewer_client, first, in_review):
    response = reviewer_client.post(review_url(first), form_data(in_review, comment=XSS, no_conflict=False))
    page = text(response)
    assert "Please correct the errors below" in page
    assert "&lt;script&gt;alert" in page
    assert "<script>alert" not in page


def test_comments_are_escaped(client, first, second, in_review, reviewers):
    client.force_login(reviewers[1])
    client.post(review_url(second), form_data(in_review, comment=XSS))
    client.force_login(reviewers[0])
    response = client.post(review_url(first), form_data(in_review, comment=XSS), follow=True)
    assert "<script>alert" not in text(response)


# Stepping aside and closed reviews.


def test_step_aside_needs_a_note(reviewer_client, first):
    response = reviewer_client.post(review_url(first), {"step_aside": "1", "conflict_note": ""})
    assert response.status_code == 200
    assert "This field is required" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED


def test_step_aside(reviewer_client, first, secretary):
    response = reviewer_client.post(
        review_url(first), {"step_aside": "1", "conflict_note": "I advised the authors."}, follow=True
    )
    assert "You stepped aside" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.CONFLICT
    assert "for a conflict of interest" in text(reviewer_client.get(review_url(first)))


def test_a_withdrawn_review_is_read_only(reviewer_client, first, secretary, in_review):
    services.assignment_withdraw(assignment=first, by=secretary, reason="On leave.")
    page = text(reviewer_client.get(review_url(first)))
    assert "The Secretariat withdrew this review" in page
    assert "Submit review" not in page
    response = reviewer_client.post(review_url(first), form_data(in_review), follow=True)
    assert "The Secretariat withdrew this review" in text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.WITHDRAWN


def test_a_review_of_a_decided_case_is_read_only(client, first, second, in_review, reviewers, secretary):
    for assignment, reviewer in ((first, reviewers[0]), (second, reviewers[1])):
        services.review_save(
            assignment=assignment,
            user=reviewer,
            answers=answers_for(in_review),
            no_conflict=True,
            submit=True,
        )
    third = user_in(REVIEWER, country="PH")
    extra = services.reviewers_assign(case=in_review, by=secretary, reviewers=[third])[0]
    services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    client.force_login(third)
    page = text(client.get(review_url(extra)))
    assert "no longer in review" in page
    assert "Submit review" not in page


# The discussion.


def test_the_thread_for_reviewers_and_the_secretariat(client, in_review, reviewers, secretary):
    client.force_login(reviewers[0])
    response = client.post(thread_url(in_review), {"body": "Is the evidence enough?"}, follow=True)
    assert "Is the evidence enough?" in text(response)
    for user in (reviewers[1], secretary):
        client.force_login(user)
        response = client.get(thread_url(in_review))
        assert response.status_code == 200
        assert "Is the evidence enough?" in text(response)
        assert "no-cache" in response["Cache-Control"]


@pytest.mark.permission("practices:thread", "object")
def test_others_may_not_read_or_post_in_the_thread(client, in_review, reviewers, author):
    for user in (reviewers[2], author, user_in(MEMBER, country="FR")):
        client.force_login(user)
        assert client.get(thread_url(in_review)).status_code == 404
        assert client.post(thread_url(in_review), {"body": "Let me in"}).status_code == 404
    assert not in_review.comments.exists()


def test_a_reviewer_who_stepped_aside_leaves_the_thread(reviewer_client, first, in_review, reviewers):
    services.review_step_aside(assignment=first, user=reviewers[0], note="Conflict.")
    assert reviewer_client.get(thread_url(in_review)).status_code == 404


def test_the_thread_escapes_messages(reviewer_client, in_review):
    response = reviewer_client.post(thread_url(in_review), {"body": XSS}, follow=True)
    assert "<script>alert" not in text(response)


def test_an_empty_or_oversized_message_is_refused(reviewer_client, in_review):
    assert "This field is required" in text(reviewer_client.post(thread_url(in_review), {"body": ""}))
    response = reviewer_client.post(thread_url(in_review), {"body": "z" * 5001})
    assert "at most 5000 characters" in text(response)
    assert "z" * 5001 in text(response)
    assert not in_review.comments.exists()


def test_the_thread_is_read_only_once_decided(client, first, second, in_review, reviewers, secretary):
    services.comment_add(case=in_review, user=reviewers[0], body="Before the decision")
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="Out of scope."
    )
    client.force_login(reviewers[0])
    page = text(client.get(thread_url(in_review)))
    assert "Before the decision" in page
    assert "The discussion is closed" in page
    response = client.post(thread_url(in_review), {"body": "After"})
    assert "The discussion is closed" in text(response)
    assert in_review.comments.count() == 1
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.DECLINED


def test_every_reviewer_post_needs_the_csrf_token(first, in_review, reviewers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewers[0])
    assert client.post(review_url(first), form_data(in_review)).status_code == 403
    assert client.post(review_url(first), {"step_aside": "1", "conflict_note": "x"}).status_code == 403
    assert client.post(thread_url(in_review), {"body": "Hello"}).status_code == 403
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED
    assert not in_review.comments.exists()
