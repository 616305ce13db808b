"""A report's life through the services: started once per country and round, written, sent to
review and back, submitted only when complete (then frozen), published and withdrawn; every step
refused from the wrong status with a message naming the status found, and recorded in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hw4all.codereports.models import ReportEvent, ReportEventKind, ReportStatus, RoundStatus
from hw4all.codereports.services import reports as services
from hw4all.questionnaires.models import ResponseStatus
from hw4all.questionnaires.services.responses import ResponseFrozen, response_save

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def kinds(report) -> list[str]:
    return list(ReportEvent.objects.filter(report=report).order_by("at", "pk").values_list("kind", flat=True))


def test_a_member_starts_a_draft_for_their_organisation(round, member, organisation):
    report = services.report_create(round=round, country="ke", user=member, language="fr")
    assert report.status == ReportStatus.DRAFT
    assert report.country.code == "KE"
    assert report.organisation == organisation
    assert report.created_by == member
    assert report.response.organisation == organisation
    assert report.response.version == round.questionnaire.current_version
    assert report.response.language == "fr"
    assert kinds(report) == [ReportEventKind.CREATED]


def test_a_second_report_on_the_same_country_and_round_names_the_first(draft, colleague, round):
    with pytest.raises(services.ReportExists) as exists:
        services.report_create(round=round, country="KE", user=colleague)
    assert exists.value.report == draft
    assert "already has a report on Kenya" in exists.value.message


def test_another_organisation_reports_on_the_same_country(draft, other_member, round):
    report = services.report_create(round=round, country="KE", user=other_member)
    assert report.organisation != draft.organisation


def test_an_unknown_country_is_refused(round, member):
    with pytest.raises(ValidationError):
        services.report_create(round=round, country="XX", user=member)


def test_a_closed_round_takes_no_report(round, member):
    round.status = RoundStatus.CLOSED
    round.save()
    with pytest.raises(services.ReportError, match="does not accept reports"):
        services.report_create(round=round, country="KE", user=member)


def test_a_questionnaire_without_content_takes_no_report(round, member):
    round.questionnaire.current_version = None
    round.questionnaire.save()
    with pytest.raises(services.ReportError, match="does not accept reports"):
        services.report_create(round=round, country="KE", user=member)


def test_a_round_without_questionnaire_takes_no_report(round, member):
    round.questionnaire = None
    round.save()
    with pytest.raises(services.ReportError):
        services.report_create(round=round, country="KE", user=member)


@pytest.mark.parametrize("who", ["outsider", "secretary", "reviewer"])
def test_only_members_of_member_organisations_start_reports(round, who, request):
    with pytest.raises(PermissionDenied):
        services.report_create(round=round, country="KE", user=request.getfixturevalue(who))


def test_the_whole_way_to_publication_and_back(draft, member, colleague, django_capture_on_commit_callbacks):
    result = services.report_save(
        report=draft, data=dict(COMPLETE), files={}, base_revision=draft.response.revision, user=member
    )
    assert result.ok
    services.report_to_review(report=draft, user=colleague)
    assert draft.status == ReportStatus.REVIEW
    services.report_to_draft(report=draft, user=member)
    assert draft.status == ReportStatus.DRAFT
    services.report_to_review(report=draft, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.report_submit(report=draft, user=colleague)
    assert outcome.submitted
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.submitted_by == colleague and draft.submitted_at is not None
    assert draft.response.status == ResponseStatus.SUBMITTED
    assert draft.pdf.name
    services.report_publish(report=draft, user=member)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED and draft.published_at is not None
    services.report_unpublish(report=draft, user=member)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.published_at is None
    assert kinds(draft) == [
        ReportEventKind.CREATED,
        ReportEventKind.TO_REVIEW,
        ReportEventKind.TO_DRAFT,
        ReportEventKind.TO_REVIEW,
        ReportEventKind.SUBMITTED,
        ReportEventKind.PUBLISHED,
        ReportEventKind.UNPUBLISHED,
    ]


def test_an_incomplete_report_is_not_submitted_and_returns_to_draft(draft, member):
    services.report_to_review(report=draft, user=member)
    outcome = services.report_submit(report=draft, user=member)
    assert not outcome.submitted
    assert set(outcome.errors) >= {"org_type", "consulted"}
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert draft.submitted_at is None
    assert draft.response.status == ResponseStatus.DRAFT
    event = ReportEvent.objects.filter(report=draft).last()
    assert event.kind == ReportEventKind.TO_DRAFT and "must be corrected" in event.note


WRONG_STEPS = [
    # (status the report is in, step, words of the refusal)
    ("draft", "report_to_draft", "Only a report in internal review can return to draft"),
    ("draft", "report_submit", "Only a report in internal review can be submitted"),
    ("draft", "report_publish", "Only a submitted report can be published"),
    ("draft", "report_unpublish", "Only a published report can be withdrawn"),
    ("review", "report_to_review", "Only a draft can be sent to internal review"),
    ("review", "report_publish", "Only a submitted report can be published"),
    ("submitted", "report_to_review", "Only a draft"),
    ("submitted", "report_to_draft", "Only a report in internal review"),
    ("submitted", "report_submit", "Only a report in internal review"),
    ("submitted", "report_unpublish", "Only a published report"),
    ("published", "report_publish", "Only a submitted report"),
    ("published", "report_to_draft", "Only a report in internal review"),
]


@pytest.mark.parametrize(("status", "step", "words"), WRONG_STEPS)
def test_a_step_from_the_wrong_status_is_refused(
    draft, member, status, step, words, django_capture_on_commit_callbacks
):
    from .conftest import reached

    with django_capture_on_commit_callbacks(execute=True):
        reached(draft, status, member)
    before = kinds(draft)
    with pytest.raises(services.TransitionRefused) as refused:
        getattr(services, step)(report=draft, user=member)
    assert words in refused.value.message
    draft.refresh_from_db()
    assert draft.status == status
    assert kinds(draft) == before


def test_a_stale_object_learns_the_status_it_could_not_leave(draft, member, colleague):
    """Two members click "Send to internal review" at once: one wins; the other is told the
    report is in internal review now."""
    theirs = type(draft).objects.get(pk=draft.pk)
    services.report_to_review(report=draft, user=member)
    with pytest.raises(services.TransitionRefused) as refused:
        services.report_to_review(report=theirs, user=colleague)
    assert "this report is now “Internal review”" in refused.value.message
    assert theirs.status == ReportStatus.REVIEW
    assert kinds(draft).count(ReportEventKind.TO_REVIEW) == 1


@pytest.mark.parametrize("who", ["other_member", "secretary", "outsider", "reviewer"])
@pytest.mark.parametrize("step", ["report_to_review", "report_to_draft", "report_submit", "report_publish"])
def test_only_the_owners_take_steps(draft, who, step, request):
    with pytest.raises(PermissionDenied):
        getattr(services, step)(report=draft, user=request.getfixturevalue(who))
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["other_member", "secretary", "outsider", "reviewer"])
def test_only_the_owners_write_the_answers(draft, who, request):
    with pytest.raises(PermissionDenied):
        services.report_save(
            report=draft,
            data={"org_type": "ngo"},
            files={},
            base_revision=0,
            user=request.getfixturevalue(who),
        )
    draft.response.refresh_from_db()
    assert draft.response.answers == {}


def test_answers_are_read_only_in_review(in_review, member):
    answers = dict(in_review.response.answers)
    with pytest.raises(services.ReportNotEditable, match="internal review"):
        services.report_save(
            report=in_review,
            data={"org_type": "union"},
            files={},
            base_revision=in_review.response.revision,
            user=member,
        )
    in_review.response.refresh_from_db()
    assert in_review.response.answers == answers


def test_a_submitted_report_is_frozen_even_for_the_engine(submitted, member):
    with pytest.raises(services.ReportNotEditable, match="frozen"):
        services.report_save(
            report=submitted, data={"org_type": "union"}, files={}, base_revision=99, user=member
        )
    with pytest.raises(ResponseFrozen):
        response_save(response=submitted.response, data={"org_type": "union"}, files={}, base_revision=99)
    submitted.response.refresh_from_db()
    assert submitted.response.answers["org_type"] == "ngo"
