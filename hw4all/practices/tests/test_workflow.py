"""The path of a case from draft to validated publication, through the services every screen calls."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hw4all.practices import outcomes, services
from hw4all.practices.models import (
    AssignmentStatus,
    CaseEvent,
    CaseFacet,
    CaseRevision,
    CaseStatus,
    EventKind,
)

from .conftest import answers_for, complete_fields

pytestmark = pytest.mark.django_db


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_a_case_goes_from_draft_to_validated_and_published(
    author, secretary, reviewers, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(user=author, title="Retaining rural nurses", **complete_fields())
        services.case_submit(case=case, user=author)
        services.case_screen_accept(case=case, by=secretary)
        services.reviewers_assign(case=case, by=secretary, reviewers=reviewers[:2])
        for reviewer in reviewers[:2]:
            assignment = case.assignments.get(reviewer=reviewer)
            services.review_save(
                assignment=assignment, user=reviewer, answers=answers_for(case), no_conflict=True, submit=True
            )
        services.case_decide(case=case, by=secretary, decision=services.Decision.VALIDATED)

    case.refresh_from_db()
    assert case.status == CaseStatus.VALIDATED
    assert case.is_published and case.published_at is not None
    assert case.outcome == outcomes.Result.BEST_PRACTICE
    assert (case.core_percent, case.qualifier_percent, case.reviews_counted) == (100.0, 100.0, 2)
    assert case.criteria_version == published
    assert set(CaseFacet.objects.filter(case=case).values_list("facet", "value")) == {
        ("country", "KE"),
        ("level", "local"),
        ("theme", "retention"),
        ("article", "5"),
    }
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[:3] == [EventKind.CREATED, EventKind.SUBMITTED, EventKind.SCREENED]
    assert kinds[-2:] == [EventKind.VALIDATED, EventKind.PUBLISHED]
    subjects = [message.subject for message in sent_to(author.email)]
    assert subjects == [
        "Submitted: Retaining rural nurses",
        "Accepted for review: Retaining rural nurses",
        "Validated: Retaining rural nurses",
    ]
    assert "Best practice" in sent_to(author.email)[-1].body
    assert any("Please review" in message.subject for message in sent_to(reviewers[0].email))
    assert any("New case study to screen" in message.subject for message in sent_to(secretary.email))


def test_submission_lists_what_is_missing(author):
    case = services.case_create(user=author, title="Half written")
    with pytest.raises(ValidationError) as error:
        services.case_submit(case=case, user=author)
    assert "a summary" in str(error.value) and "at least one country" in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.revision == 0


def test_only_members_with_an_organisation_write_cases(reviewers):
    with pytest.raises(PermissionDenied):
        services.case_create(user=reviewers[0], title="Not mine to write")


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_the_first_kept(author, coauthor):
    case = services.case_create(user=author, title="Retaining rural nurses")
    services.case_author_add(case=case, by=author, email=coauthor.email)
    loaded = case.edit_number
    services.case_save(case=case, user=author, edit_number=loaded, summary="First author's summary")
    with pytest.raises(services.EditConflict):
        services.case_save(case=case, user=coauthor, edit_number=loaded, summary="Second author's summary")
    case.refresh_from_db()
    assert case.summary == "First author's summary"
    services.case_save(case=case, user=coauthor, edit_number=case.edit_number, summary="Merged summary")
    case.refresh_from_db()
    assert case.summary == "Merged summary"


def test_sections_are_sanitised_and_plain_fields_stripped_of_tags(author):
    case = services.case_create(
        user=author,
        title="<b>Bold</b> title",
        practice='<p onclick="x()">Text<script>alert(1)</script><a href="javascript:alert(1)">link</a></p>',
    )
    assert case.title == "Bold title"
    assert (
        "script" not in case.practice and "onclick" not in case.practice and "javascript" not in case.practice
    )
    assert case.practice.startswith("<p>Text")


def test_list_fields_refuse_unknown_values(author):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            user=author, title="A case", countries=["XX"], code_articles=[11], themes=["golf"]
        )
    assert set(error.value.message_dict) == {"countries", "code_articles", "themes"}


def test_a_submitted_case_is_frozen_for_its_authors(submitted, author):
    with pytest.raises(services.CaseFrozen):
        services.case_save(case=submitted, user=author, edit_number=submitted.edit_number, summary="Changed")


def test_strangers_cannot_edit_or_submit(submitted, reviewers):
    with pytest.raises(PermissionDenied):
        services.case_save(case=submitted, user=reviewers[0], edit_number=submitted.edit_number, summary="x")
    with pytest.raises(PermissionDenied):
        services.case_submit(case=submitted, user=reviewers[0])


def test_screening_can_send_a_case_back_with_comments(submitted, secretary, author):
    services.case_return(case=submitted, by=secretary, comments="Add the evidence of results.")
    assert submitted.status == CaseStatus.RETURNED
    assert "Add the evidence of results." in sent_to(author.email)[-1].body
    services.case_save(
        case=submitted, user=author, edit_number=submitted.edit_number, results="<p>Audit 2015.</p>"
    )
    services.case_submit(case=submitted, user=author)
    assert submitted.revision == 2
    assert list(CaseRevision.objects.filter(case=submitted).values_list("number", flat=True)) == [1, 2]


def test_only_the_secretariat_screens(submitted, author, reviewers):
    for user in (author, reviewers[0]):
        with pytest.raises(PermissionDenied):
            services.case_screen_accept(case=submitted, by=user)


@pytest.mark.parametrize("who", ["author", "colleague"])
def test_reviewers_never_come_from_the_submitting_organisation(
    submitted, secretary, reviewers, published, author, who
):
    from hw4all.coalition.factories import user_in
    from hw4all.users.roles import REVIEWER

    services.case_screen_accept(case=submitted, by=secretary)
    if who == "author":
        author.groups.add(*reviewers[0].groups.all())
        insider = author
    else:
        insider = user_in(REVIEWER, organisation=author.person.organisation)
    with pytest.raises(ValidationError):
        services.reviewers_assign(case=submitted, by=secretary, reviewers=[insider, reviewers[0]])
    assert not submitted.assignments.exists()


def test_reviewers_come_from_two_countries_by_default(submitted, secretary, published, settings):
    from hw4all.coalition.factories import user_in
    from hw4all.users.roles import REVIEWER

    services.case_screen_accept(case=submitted, by=secretary)
    belgians = [user_in(REVIEWER, country="BE"), user_in(REVIEWER, country="BE")]
    with pytest.raises(ValidationError, match="different countries"):
        services.reviewers_assign(case=submitted, by=secretary, reviewers=belgians)
    settings.PRACTICES_MIN_REVIEWER_COUNTRIES = 1
    assert len(services.reviewers_assign(case=submitted, by=secretary, reviewers=belgians)) == 2


def test_at_least_two_reviewers(submitted, secretary, reviewers, published, settings):
    services.case_screen_accept(case=submitted, by=secretary)
    with pytest.raises(ValidationError, match="at least 2 reviewers"):
        services.reviewers_assign(case=submitted, by=secretary, reviewers=reviewers[:1])
    settings.PRACTICES_MIN_REVIEWERS = 3
    with pytest.raises(ValidationError, match="at least 3 reviewers"):
        services.reviewers_assign(case=submitted, by=secretary, reviewers=reviewers[:2])


def test_a_review_is_submitted_only_complete_and_with_the_conflict_declaration(in_review, reviewers):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    answers = answers_for(in_review)
    partial = dict(list(answers.items())[:1])
    with pytest.raises(ValidationError) as error:
        services.review_save(
            assignment=assignment, user=reviewers[0], answers=partial, no_conflict=False, submit=True
        )
    assert "no_conflict" in error.value.message_dict and len(error.value.message_dict) == 3
    services.review_save(assignment=assignment, user=reviewers[0], answers=partial, no_conflict=False)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED and assignment.scores.count() == 1


def test_scores_out_of_range_are_refused(in_review, reviewers):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    core = in_review.criteria_version.criteria.get(group="core")
    with pytest.raises(ValidationError):
        services.review_save(
            assignment=assignment, user=reviewers[0], answers={core.pk: (9, "")}, no_conflict=True
        )


def test_reviewers_see_each_others_scores_only_after_submitting(in_review, reviewers, secretary):
    first, second = reviewers[:2]
    assert services.scores_visible(in_review, secretary)
    assert not services.scores_visible(in_review, first)
    services.review_save(
        assignment=in_review.assignments.get(reviewer=first),
        user=first,
        answers=answers_for(in_review),
        no_conflict=True,
        submit=True,
    )
    assert services.scores_visible(in_review, first)
    assert not services.scores_visible(in_review, second)


def test_nobody_else_can_review_an_assignment(in_review, reviewers, author):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    for user in (reviewers[1], author):
        with pytest.raises(PermissionDenied):
            services.review_save(assignment=assignment, user=user, answers={}, no_conflict=True)


def test_a_reviewer_who_leaves_mid_review_is_not_counted_and_a_replacement_completes_it(
    in_review, reviewers, secretary
):
    leaving, staying, replacement = reviewers
    services.review_save(
        assignment=in_review.assignments.get(reviewer=leaving),
        user=leaving,
        answers=answers_for(in_review, score=0),
        no_conflict=True,
    )
    services.review_save(
        assignment=in_review.assignments.get(reviewer=staying),
        user=staying,
        answers=answers_for(in_review),
        no_conflict=True,
        submit=True,
    )
    services.assignment_withdraw(
        assignment=in_review.assignments.get(reviewer=leaving), by=secretary, reason="Left"
    )
    with pytest.raises(ValidationError, match="needs 2 submitted reviews"):
        services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    with pytest.raises(services.WrongStatus):
        services.review_save(
            assignment=in_review.assignments.get(reviewer=leaving), user=leaving, answers={}, no_conflict=True
        )
    services.reviewers_assign(case=in_review, by=secretary, reviewers=[replacement])
    services.review_save(
        assignment=in_review.assignments.get(reviewer=replacement),
        user=replacement,
        answers=answers_for(in_review, score=3),
        no_conflict=True,
        submit=True,
    )
    decided = services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    # The leaver's zeros are not counted: (4 + 3) / 2 / 4 = 87.5 %.
    assert decided.core_percent == 87.5 and decided.reviews_counted == 2


def test_a_reviewer_with_a_conflict_steps_aside_and_the_secretariat_is_told(in_review, reviewers, secretary):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    with pytest.raises(ValidationError):
        services.review_step_aside(assignment=assignment, user=reviewers[0], note="  ")
    services.review_step_aside(assignment=assignment, user=reviewers[0], note="I advised this project.")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT
    assert any("stepped aside" in message.subject for message in sent_to(secretary.email))


def test_a_criteria_version_published_during_review_does_not_change_the_case(
    in_review, reviewers, secretary, published
):
    newer = services.criteria_version_new(criteria_set=published.criteria_set)
    services.criterion_add(version=newer, group="core", title="Equity")
    services.criteria_version_publish(version=newer)
    for reviewer in reviewers[:2]:
        services.review_save(
            assignment=in_review.assignments.get(reviewer=reviewer),
            user=reviewer,
            answers=answers_for(in_review),
            no_conflict=True,
            submit=True,
        )
    decided = services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    assert decided.criteria_version == published


def test_a_not_eligible_case_cannot_be_validated(in_review, reviewers, secretary):
    for reviewer in reviewers[:2]:
        services.review_save(
            assignment=in_review.assignments.get(reviewer=reviewer),
            user=reviewer,
            answers=answers_for(in_review, passed=False),
            no_conflict=True,
            submit=True,
        )
    with pytest.raises(ValidationError, match="not eligible"):
        services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    declined = services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="Out of scope."
    )
    assert declined.status == CaseStatus.DECLINED and not declined.is_published


def test_revise_sends_reasons_and_comments_and_keeps_history(in_review, reviewers, secretary, author):
    for reviewer in reviewers[:2]:
        services.review_save(
            assignment=in_review.assignments.get(reviewer=reviewer),
            user=reviewer,
            answers=answers_for(in_review, score=1),
            no_conflict=True,
            submit=True,
        )
    with pytest.raises(ValidationError):
        services.case_decide(case=in_review, by=secretary, decision=services.Decision.REVISE)
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.REVISE, reasons="Show costs."
    )
    message = sent_to(author.email)[-1]
    assert "Show costs." in message.body and "Well documented." in message.body
    services.case_save(case=in_review, user=author, edit_number=in_review.edit_number, costs="<p>€40,000</p>")
    services.case_submit(case=in_review, user=author)
    first, second = CaseRevision.objects.filter(case=in_review)
    assert first.content["costs"] == "" and second.content["costs"] == "<p>€40,000</p>"
    # The next round is reviewed afresh.
    services.case_screen_accept(case=in_review, by=secretary)
    assert services.submitted_reviews(in_review).count() == 0


def test_two_secretaries_deciding_at_once_take_one_decision(in_review, reviewers, secretary):
    from hw4all.coalition.factories import user_in
    from hw4all.users.roles import SECRETARIAT

    other = user_in(SECRETARIAT)
    for reviewer in reviewers[:2]:
        services.review_save(
            assignment=in_review.assignments.get(reviewer=reviewer),
            user=reviewer,
            answers=answers_for(in_review),
            no_conflict=True,
            submit=True,
        )
    stale = type(in_review).objects.get(pk=in_review.pk)
    services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    with pytest.raises(services.WrongStatus):
        services.case_decide(case=stale, by=other, decision=services.Decision.DECLINED, reasons="No.")
    in_review.refresh_from_db()
    assert in_review.status == CaseStatus.VALIDATED


def test_a_decided_case_is_frozen(in_review, reviewers, secretary, author):
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="Out of scope."
    )
    with pytest.raises(services.CaseFrozen):
        services.case_save(case=in_review, user=author, edit_number=in_review.edit_number, summary="x")
    with pytest.raises(services.CaseFrozen):
        services.case_submit(case=in_review, user=author)
    with pytest.raises(services.WrongStatus):
        services.comment_add(case=in_review, user=reviewers[0], body="Too late")


def test_the_secretariat_may_publish_a_case_without_the_badge(submitted, secretary):
    case = services.case_publish(case=submitted, by=secretary)
    assert case.is_published and case.status == CaseStatus.SUBMITTED
    assert CaseFacet.objects.filter(case=case).count() == 4
    services.case_unpublish(case=case, by=secretary)
    assert not CaseFacet.objects.filter(case=case).exists()


def test_the_thread_is_for_assigned_reviewers_and_the_secretariat(in_review, reviewers, secretary, author):
    services.comment_add(
        case=in_review, user=reviewers[0], body="I scored effectiveness low; the data are thin."
    )
    services.comment_add(case=in_review, user=secretary, body="Can you agree on it?")
    for outsider in (author, reviewers[2]):
        with pytest.raises(PermissionDenied):
            services.comment_add(case=in_review, user=outsider, body="Let me in")
    assert in_review.comments.count() == 2
    assert any("New message" in message.subject for message in sent_to(reviewers[1].email))


def test_reminders_before_and_after_the_deadline_are_sent_once_each(in_review, reviewers):
    import datetime

    from django.utils import timezone

    def on(days: int):
        day = in_review.review_deadline + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))

    assert services.reminders_send(now=on(-10)) == services.ReminderReport(0, 0)
    assert services.reminders_send(now=on(-2)).before_deadline == 2
    assert services.reminders_send(now=on(-1)).before_deadline == 0
    assert services.reminders_send(now=on(1)).overdue == 2
    assert services.reminders_send(now=on(2)).overdue == 0
    assert sum("Overdue review" in message.subject for message in sent_to(reviewers[0].email)) == 1


def test_publishing_and_unpublishing_make_cached_pages_stale(
    submitted, secretary, django_capture_on_commit_callbacks
):
    from hw4all.core.pagecache import page_generation

    before = page_generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_publish(case=submitted, by=secretary)
    published = page_generation()
    assert published != before
    with django_capture_on_commit_callbacks(execute=True):
        services.case_unpublish(case=submitted, by=secretary)
    assert page_generation() != published


def test_plain_fields_are_stored_as_text_not_as_entities(author):
    case = services.case_create(user=author, title="Tom & Jerry <3", actors="Nurses' union & ministry")
    assert case.title == "Tom & Jerry <3"
    assert case.actors == "Nurses' union & ministry"


def test_co_authors_of_a_decided_case_stay(in_review, secretary, author, coauthor):
    services.case_author_add(case=in_review, by=author, email=coauthor.email)
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="Out of scope."
    )
    with pytest.raises(services.CaseFrozen):
        services.case_author_remove(case=in_review, by=author, user=coauthor)


def test_a_published_case_sent_back_leaves_the_site_while_its_authors_change_it(in_review, secretary, author):
    services.case_publish(case=in_review, by=secretary)
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.REVISE, reasons="Add costs."
    )
    assert not in_review.is_published
    assert not CaseFacet.objects.filter(case=in_review).exists()
    assert in_review.events.filter(kind=EventKind.UNPUBLISHED).exists()
    with pytest.raises(services.WrongStatus):
        services.case_publish(case=in_review, by=secretary)
    services.case_save(
        case=in_review, user=author, edit_number=in_review.edit_number, costs="<p>Staff time.</p>"
    )
    services.case_submit(case=in_review, user=author)
    assert services.case_publish(case=in_review, by=secretary).is_published


def test_a_published_case_returned_at_screening_is_unpublished(submitted, secretary):
    services.case_publish(case=submitted, by=secretary)
    services.case_return(case=submitted, by=secretary, comments="Out of scope as written.")
    assert not submitted.is_published and submitted.status == CaseStatus.RETURNED
