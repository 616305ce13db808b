"""What the Secretariat and the reviewers do with a submitted case: screen it, assign reviewers,
score it against a criteria set version, discuss it, decide, and publish.

Every change of a case's status is a conditional UPDATE (or a row lock), so two secretaries
acting at once cannot both decide, and a decided case is frozen."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hw4all.coalition.queries import organisation_of
from hw4all.core.audit import audit_record
from hw4all.core.pagecache import pagecache_invalidate
from hw4all.core.sanitize import text_plain
from hw4all.users.roles import REVIEWER, SECRETARIAT, user_has_role

from .. import links, outcomes
from ..facetindex import facet_index_publish
from ..models import (
    ACTIVE_ASSIGNMENTS,
    EDITABLE_STATUSES,
    AssignmentStatus,
    CaseComment,
    CaseFacet,
    CaseStatus,
    CaseStudy,
    CriteriaSet,
    CriteriaSetVersion,
    CriterionGroup,
    EventKind,
    FacetKind,
    ReviewAssignment,
    ReviewScore,
    VersionStatus,
)
from .cases import review_deadline_default
from .notify import authors_of, event_add, people_notify, secretariat_users


class WrongStatus(ValidationError):
    """The case moved on (another secretary acted, or it was decided) before this step."""


def _require_secretariat(user) -> None:
    if not user_has_role(user, SECRETARIAT):
        raise PermissionDenied(_("Only the Secretariat can do this."))


def _move(case: CaseStudy, *, from_statuses: Iterable[str], to: str, **fields) -> None:
    """Change the status only if it is still one of `from_statuses`; refresh `case` either way."""
    updated = CaseStudy.objects.filter(pk=case.pk, status__in=list(from_statuses)).update(
        status=to, updated_at=timezone.now(), **fields
    )
    case.refresh_from_db()
    if not updated:
        raise WrongStatus(
            _("This case study is now “%(status)s”; the step was not taken.")
            % {"status": case.get_status_display()}
        )


def _notify_authors(case: CaseStudy, *, subject, message, note: str = "", reviewer_comments=()) -> None:
    people_notify(
        users=authors_of(case),
        subject=subject,
        message=message,
        note=note,
        reviewer_comments=reviewer_comments,
        link=lambda: links.case_author_url(case),
        link_label=lambda: _("The case study:"),
    )


def case_return(*, case: CaseStudy, by, comments: str) -> CaseStudy:
    """Screening: not complete or not in scope; the authors get it back with the comments."""
    _require_secretariat(by)
    comments = text_plain(comments).strip()
    if not comments:
        raise ValidationError({"comments": _("Tell the authors what to change.")})
    was_published = case.is_published
    with transaction.atomic():
        # The authors change it next: what they type must not appear on the public site.
        _move(case, from_statuses=[CaseStatus.SUBMITTED], to=CaseStatus.RETURNED, is_published=False)
        event_add(case=case, kind=EventKind.RETURNED, actor=by, note=comments)
        if was_published:
            facets_rebuild(case)
            event_add(case=case, kind=EventKind.UNPUBLISHED, actor=by)
    _notify_authors(
        case,
        subject=lambda: _("Sent back to you: %(title)s") % {"title": case.title},
        message=lambda: (
            _(
                "The Secretariat read “%(title)s” and sends it back before review. Please change "
                "what they ask, then submit it again."
            )
            % {"title": case.title}
        ),
        note=comments,
    )
    return case


def case_screen_accept(*, case: CaseStudy, by, note: str = "") -> CaseStudy:
    """Screening: complete and in scope; reviewers are assigned next."""
    _require_secretariat(by)
    note = text_plain(note).strip()
    _move(case, from_statuses=[CaseStatus.SUBMITTED], to=CaseStatus.IN_REVIEW)
    event_add(case=case, kind=EventKind.SCREENED, actor=by, note=note)
    _notify_authors(
        case,
        subject=lambda: _("Accepted for review: %(title)s") % {"title": case.title},
        message=lambda: (
            _(
                "The Secretariat accepted “%(title)s” for review. Reviewers from other organisations "
                "will now score it against the eligibility criteria."
            )
            % {"title": case.title}
        ),
        note=note,
    )
    return case


def criteria_version_default() -> CriteriaSetVersion | None:
    """The most recently published version of any set: the one new reviews use by default."""
    return (
        CriteriaSetVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .select_related("criteria_set")
        .first()
    )


def reviewer_country(user) -> str:
    organisation = organisation_of(user)
    return str(organisation.country) if organisation is not None and organisation.country else ""


def reviewer_refusal(case: CaseStudy, user) -> str:
    """Why `user` may not review `case`, or "" if they may."""
    if not user.is_active or not user_has_role(user, REVIEWER):
        return _("%(name)s does not have the reviewer role.") % {"name": user}
    if case.authors.filter(pk=user.pk).exists():
        return _("%(name)s is an author of this case study.") % {"name": user}
    organisation = organisation_of(user)
    if organisation is not None and organisation.pk == case.organisation_id:
        return _("%(name)s belongs to the submitting organisation.") % {"name": user}
    return ""


def active_assignments(case: CaseStudy):
    return case.assignments.filter(round=case.revision, status__in=ACTIVE_ASSIGNMENTS).select_related(
        "reviewer__person__organisation"
    )


def reviewers_assign(
    *,
    case: CaseStudy,
    by,
    reviewers: Iterable,
    deadline: datetime.date | None = None,
    criteria_version: CriteriaSetVersion | None = None,
) -> list[ReviewAssignment]:
    """Ask reviewers to score the case's current revision.

    The round's reviewers, with these, must number at least PRACTICES_MIN_REVIEWERS and come from
    at least PRACTICES_MIN_REVIEWER_COUNTRIES countries; none may be an author or belong to the
    submitting organisation. All are assigned or none is. The case keeps the criteria version of
    its round's first assignment, whatever the Secretariat publishes later."""
    _require_secretariat(by)
    reviewers = list(dict.fromkeys(reviewers))
    if not reviewers:
        raise ValidationError(_("Choose at least one reviewer."))
    deadline = deadline or review_deadline_default()
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.IN_REVIEW:
            raise WrongStatus(_("Reviewers are assigned once the case has been accepted at screening."))
        errors = [refusal for user in reviewers if (refusal := reviewer_refusal(locked, user))]
        current = list(active_assignments(locked))
        already = {assignment.reviewer_id for assignment in current}
        errors += [
            _("%(name)s already reviews this case study.") % {"name": user}
            for user in reviewers
            if user.pk in already
        ]
        if errors:
            raise ValidationError(errors)
        team = [assignment.reviewer for assignment in current] + reviewers
        if len(team) < settings.PRACTICES_MIN_REVIEWERS:
            raise ValidationError(
                _("A case study needs at least %(count)s reviewers; choose more.")
                % {"count": settings.PRACTICES_MIN_REVIEWERS}
            )
        team_countries = {country for user in team if (country := reviewer_country(user))}
        if len(team_countries) < settings.PRACTICES_MIN_REVIEWER_COUNTRIES:
            raise ValidationError(
                _("The reviewers must come from at least %(count)s different countries.")
                % {"count": settings.PRACTICES_MIN_REVIEWER_COUNTRIES}
            )
        version_fields = {}
        if not current or locked.criteria_version_id is None:
            version = criteria_version or locked.criteria_version or criteria_version_default()
            if version is None or version.status != VersionStatus.PUBLISHED:
                raise ValidationError(_("Publish a version of the eligibility criteria first."))
            version_fields = {"criteria_version": version}
        elif criteria_version is not None and criteria_version.pk != locked.criteria_version_id:
            raise ValidationError(
                _("Reviews of this revision already use %(version)s; all its reviewers use the same version.")
                % {"version": locked.criteria_version}
            )
        CaseStudy.objects.filter(pk=locked.pk).update(review_deadline=deadline, **version_fields)
        assignments = [
            ReviewAssignment.objects.create(
                case=locked, reviewer=user, round=locked.revision, assigned_by=by, deadline=deadline
            )
            for user in reviewers
        ]
        for assignment in assignments:
            event_add(
                case=locked,
                kind=EventKind.ASSIGNED,
                actor=by,
                note=str(assignment.reviewer),
                for_authors=False,
            )
    case.refresh_from_db()
    for assignment in assignments:
        _assignment_notify(case, assignment)
    return assignments


def _assignment_notify(case: CaseStudy, assignment: ReviewAssignment) -> None:
    people_notify(
        users=[assignment.reviewer],
        subject=lambda: _("Please review: %(title)s") % {"title": case.title},
        message=lambda: (
            _(
                "The Secretariat asks you to review the case study “%(title)s” against the "
                "eligibility criteria (%(version)s) by %(deadline)s. First declare whether you "
                "have a conflict of interest."
            )
            % {
                "title": case.title,
                "version": case.criteria_version,
                "deadline": assignment.deadline.isoformat(),
            }
        ),
        link=lambda: links.review_url(assignment),
        link_label=lambda: _("Your review:"),
    )


def _assignment_open(assignment: ReviewAssignment, user) -> None:
    if assignment.reviewer_id != user.pk:
        raise PermissionDenied(_("This review is assigned to someone else."))
    case = assignment.case
    if assignment.status != AssignmentStatus.ASSIGNED or assignment.round != case.revision:
        raise WrongStatus(_("This review is closed."))
    if case.status != CaseStatus.IN_REVIEW:
        raise WrongStatus(_("This case study is no longer in review."))


Answers = Mapping[int, tuple[bool | int | None, str]]


def review_save(
    *, assignment: ReviewAssignment, user, answers: Answers, no_conflict: bool, submit: bool = False
) -> ReviewAssignment:
    """Store a reviewer's answers ({criterion id: (answer, comment)}); with `submit`, every
    criterion must be answered and no conflict of interest declared, and the review is final."""
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
        _assignment_open(assignment, user)
        version = assignment.case.criteria_version
        if version is None:  # assignment fixes the version; only a hand-edited row lacks one
            raise WrongStatus(_("This case study has no criteria version to review against."))
        criteria = {criterion.pk: criterion for criterion in version.criteria.all()}
        errors: dict[str, list[str]] = {}
        rows = []
        for criterion_id, (answer, comment) in answers.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise ValidationError(_("This criterion is not part of the case's criteria version."))
            field = f"criterion_{criterion_id}"
            passed = score = None
            if answer is None:
                pass
            elif criterion.group == CriterionGroup.EXCLUSION:
                if not isinstance(answer, bool):
                    errors.setdefault(field, []).append(_("Answer pass or fail."))
                passed = bool(answer)
            elif (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or not 0 <= answer <= criterion.scale_max
            ):
                errors.setdefault(field, []).append(
                    _("Score from 0 to %(max)s.") % {"max": criterion.scale_max}
                )
            else:
                score = answer
            rows.append((criterion, passed, score, text_plain(comment or "").strip()[:5000]))
        answered = {
            criterion.pk
            for criterion, passed, score, _comment in rows
            if passed is not None or score is not None
        }
        if submit:
            if not no_conflict:
                errors.setdefault("no_conflict", []).append(
                    _("Declare that you have no conflict of interest, or step aside.")
                )
            for criterion_id in criteria.keys() - answered:
                errors.setdefault(f"criterion_{criterion_id}", []).append(_("Answer this criterion."))
        if errors:
            raise ValidationError(errors)
        for criterion, passed, score, comment in rows:
            ReviewScore.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={"passed": passed, "score": score, "comment": comment},
            )
        assignment.no_conflict_declared = no_conflict
        fields = ["no_conflict_declared"]
        if submit:
            assignment.status = AssignmentStatus.SUBMITTED
            assignment.submitted_at = timezone.now()
            fields += ["status", "submitted_at"]
        assignment.save(update_fields=fields)
        if submit:
            event_add(case=assignment.case, kind=EventKind.REVIEWED, actor=user, for_authors=False)
    if submit:
        case = assignment.case
        submitted = case.assignments.filter(round=case.revision, status=AssignmentStatus.SUBMITTED).count()
        waiting = case.assignments.filter(round=case.revision, status=AssignmentStatus.ASSIGNED).count()
        people_notify(
            users=secretariat_users(),
            subject=lambda: _("Review submitted: %(title)s") % {"title": case.title},
            message=lambda: (
                _(
                    "%(name)s submitted their review of “%(title)s”. Reviews in: %(submitted)s; still "
                    "waiting for: %(waiting)s."
                )
                % {"name": user, "title": case.title, "submitted": submitted, "waiting": waiting}
            ),
            link=lambda: links.case_admin_url(case),
            link_label=lambda: _("The scores side by side:"),
        )
    return assignment


def review_step_aside(*, assignment: ReviewAssignment, user, note: str) -> ReviewAssignment:
    """The reviewer declares a conflict of interest; their answers no longer count."""
    note = text_plain(note).strip()
    if not note:
        raise ValidationError({"conflict_note": _("Say briefly what the conflict of interest is.")})
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
        _assignment_open(assignment, user)
        assignment.status = AssignmentStatus.CONFLICT
        assignment.conflict_note = note
        assignment.save(update_fields=["status", "conflict_note"])
        event_add(case=assignment.case, kind=EventKind.CONFLICT, actor=user, note=note, for_authors=False)
    _ask_for_replacement(assignment, reason=note)
    return assignment


def assignment_withdraw(*, assignment: ReviewAssignment, by, reason: str) -> ReviewAssignment:
    """A reviewer leaves mid-review (or is taken off): their unsubmitted answers are kept but
    not counted, and the case needs another reviewer if too few remain."""
    _require_secretariat(by)
    reason = text_plain(reason).strip()
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise WrongStatus(_("Only a review still in progress can be withdrawn."))
        assignment.status = AssignmentStatus.WITHDRAWN
        assignment.withdrawn_reason = reason
        assignment.save(update_fields=["status", "withdrawn_reason"])
        event_add(
            case=assignment.case,
            kind=EventKind.WITHDRAWN,
            actor=by,
            note=f"{assignment.reviewer}: {reason}" if reason else str(assignment.reviewer),
            for_authors=False,
        )
    case = assignment.case
    people_notify(
        users=[assignment.reviewer],
        subject=lambda: _("Review withdrawn: %(title)s") % {"title": case.title},
        message=lambda: (
            _("The Secretariat has withdrawn your review of “%(title)s”; nothing more is needed from you.")
            % {"title": case.title}
        ),
        note=reason,
        link=lambda: links.review_url(assignment),
        link_label=lambda: _("The review:"),
    )
    return assignment


def _ask_for_replacement(assignment: ReviewAssignment, *, reason: str) -> None:
    case = assignment.case
    remaining = active_assignments(case).count()
    people_notify(
        users=secretariat_users(),
        subject=lambda: _("A reviewer stepped aside: %(title)s") % {"title": case.title},
        message=lambda: (
            _(
                "%(name)s stepped aside from reviewing “%(title)s” for a conflict of interest. "
                "Reviewers left: %(remaining)s of the %(needed)s needed."
            )
            % {
                "name": assignment.reviewer,
                "title": case.title,
                "remaining": remaining,
                "needed": settings.PRACTICES_MIN_REVIEWERS,
            }
        ),
        note=reason,
        link=lambda: links.case_admin_url(case),
        link_label=lambda: _("Assign another reviewer:"),
    )


def submitted_reviews(case: CaseStudy):
    return (
        case.assignments.filter(round=case.revision, status=AssignmentStatus.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related("scores")
    )


def case_outcome(case: CaseStudy) -> outcomes.Outcome | None:
    """The threshold rule's outcome of the current round's submitted reviews."""
    version = case.criteria_version
    if version is None:
        return None
    criteria = list(version.criteria.all())
    scores = {
        assignment.pk: {
            score.criterion_id: answer
            for score in assignment.scores.all()
            if (answer := score.answer()) is not None
        }
        for assignment in submitted_reviews(case)
    }
    return outcomes.outcome(
        [criterion.spec() for criterion in criteria],
        scores,
        core_threshold_percent=version.core_threshold_percent,
        qualifier_threshold_percent=version.qualifier_threshold_percent,
    )


def scores_visible(case: CaseStudy, user) -> bool:
    """The Secretariat sees every review; a reviewer sees the others' only once theirs is in."""
    if user_has_role(user, SECRETARIAT):
        return True
    return case.assignments.filter(
        reviewer=user, round=case.revision, status=AssignmentStatus.SUBMITTED
    ).exists()


class Decision:
    VALIDATED = CaseStatus.VALIDATED
    REVISE = CaseStatus.REVISE
    DECLINED = CaseStatus.DECLINED


def _reviewer_comments(case: CaseStudy) -> list[str]:
    return [
        f"{score.criterion.title}: {score.comment}"
        for assignment in submitted_reviews(case)
        for score in assignment.scores.select_related("criterion")
        if score.comment
    ]


def case_decide(*, case: CaseStudy, by, decision: str, reasons: str = "", publish: bool = True) -> CaseStudy:
    """Validate, send back for revision, or decline a case in review.

    Validation needs PRACTICES_MIN_REVIEWERS submitted reviews and an eligible outcome; it fixes
    the validation record (criteria version, result, percentages, reviews counted). Revise and
    decline need reasons, which the authors receive with the reviewers' comments."""
    _require_secretariat(by)
    reasons = text_plain(reasons).strip()
    if decision not in (Decision.VALIDATED, Decision.REVISE, Decision.DECLINED):
        raise ValidationError(_("Choose validated, revise or declined."))
    if decision != Decision.VALIDATED and not reasons:
        raise ValidationError({"reasons": _("Give the authors your reasons.")})
    now = timezone.now()
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.IN_REVIEW:
            raise WrongStatus(
                _("This case study is now “%(status)s”; the step was not taken.")
                % {"status": locked.get_status_display()}
            )
        fields: dict = {"status": decision, "decided_by": by, "decided_at": now, "decision_reasons": reasons}
        if decision == Decision.VALIDATED:
            counted = submitted_reviews(locked).count()
            if counted < settings.PRACTICES_MIN_REVIEWERS:
                raise ValidationError(
                    _("Validation needs %(needed)s submitted reviews; %(count)s are in.")
                    % {"needed": settings.PRACTICES_MIN_REVIEWERS, "count": counted}
                )
            result = case_outcome(locked)
            if result is None or result.result == outcomes.Result.NOT_ELIGIBLE:
                raise ValidationError(
                    _(
                        "The reviews find this case not eligible (an exclusion criterion failed); it cannot be validated."
                    )
                )
            fields |= {
                "outcome": int(result.result),
                "core_percent": round(result.core_percent, 1),
                "qualifier_percent": round(result.qualifier_percent, 1),
                "reviews_counted": counted,
            }
            if publish:
                fields |= {"is_published": True, "published_at": locked.published_at or now}
        was_published = locked.is_published
        if decision == Decision.REVISE:
            # The authors change it next: what they type must not appear on the public site.
            fields["is_published"] = False
        CaseStudy.objects.filter(pk=locked.pk).update(updated_at=now, **fields)
        event_add(case=locked, kind=decision, actor=by, note=reasons)
        audit_record(f"practices.case_{decision}", obj=locked, user=by)
        locked.refresh_from_db()
        if locked.is_published or was_published:
            facets_rebuild(locked)
        if locked.is_published and not was_published:
            event_add(case=locked, kind=EventKind.PUBLISHED, actor=by)
        elif was_published and not locked.is_published:
            event_add(case=locked, kind=EventKind.UNPUBLISHED, actor=by)
    case.refresh_from_db()
    _decision_notify(case, decision, reasons)
    return case


DECISION_TEXTS: dict[str, tuple[StrPromise, StrPromise]] = {
    Decision.VALIDATED: (
        gettext_lazy("Validated: %(title)s"),
        gettext_lazy("The Secretariat validated “%(title)s” against the eligibility criteria: %(result)s."),
    ),
    Decision.REVISE: (
        gettext_lazy("Please revise: %(title)s"),
        gettext_lazy(
            "The Secretariat asks you to revise “%(title)s” and submit it again. Their reasons "
            "and the reviewers' comments follow; the earlier version is kept in the case's history."
        ),
    ),
    Decision.DECLINED: (
        gettext_lazy("Declined: %(title)s"),
        gettext_lazy("The Secretariat declined “%(title)s”, for these reasons:"),
    ),
}


def _decision_notify(case: CaseStudy, decision: str, reasons: str) -> None:
    comments = _reviewer_comments(case) if decision != Decision.VALIDATED else []
    subject_text, message_text = DECISION_TEXTS[decision]

    def values() -> dict:
        result = outcomes.Result(case.outcome).label if case.outcome is not None else ""
        return {"title": case.title, "result": result}

    def subject() -> str:
        return str(subject_text) % values()

    def message() -> str:
        return str(message_text) % values()

    _notify_authors(case, subject=subject, message=message, note=reasons, reviewer_comments=comments)
    reviewers = [assignment.reviewer for assignment in submitted_reviews(case)]
    people_notify(
        users=reviewers,
        subject=subject,
        message=lambda: (
            _("Thank you for your review. The Secretariat's decision on “%(title)s”: %(decision)s.")
            % {"title": case.title, "decision": case.get_status_display()}
        ),
        note=reasons,
        link=lambda: links.case_public_url(case) if case.is_published else links.case_admin_url(case),
        link_label=lambda: _("The case study:"),
    )


def public_listing_refresh() -> None:
    """After a change to the published cases commits: the listing's facet index is built for a
    new generation, then the cached pages are made stale, so that none is rendered again from
    the previous index and no visitor waits for the new one."""
    try:
        facet_index_publish()
    finally:
        # Should the build fail, visitors build the index themselves once the grace period ends;
        # the pages must change either way.
        pagecache_invalidate()


def facets_rebuild(case: CaseStudy) -> None:
    """The rows the API filters on and the facet index is built from: present while the case
    is published. The public pages change with them once the change is committed."""
    transaction.on_commit(public_listing_refresh)
    CaseFacet.objects.filter(case=case).delete()
    if not case.is_published:
        return
    rows = [(FacetKind.COUNTRY, str(code)) for code in case.countries]
    rows += [(FacetKind.THEME, value) for value in case.themes]
    rows += [(FacetKind.LEVEL, value) for value in case.levels]
    rows += [(FacetKind.ARTICLE, str(number)) for number in case.code_articles]
    CaseFacet.objects.bulk_create(
        [CaseFacet(case=case, facet=facet, value=value) for facet, value in dict.fromkeys(rows)]
    )


def case_publish(*, case: CaseStudy, by) -> CaseStudy:
    """Publish a submitted case as it stands; only a validated one carries the badge."""
    _require_secretariat(by)
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if locked.status in EDITABLE_STATUSES:
            raise WrongStatus(
                _("Only a case study the authors have submitted can be published, not one they are changing.")
            )
        if locked.is_published:
            raise WrongStatus(_("This case study is already published."))
        CaseStudy.objects.filter(pk=locked.pk).update(
            is_published=True, published_at=locked.published_at or timezone.now()
        )
        locked.refresh_from_db()
        facets_rebuild(locked)
        event_add(case=locked, kind=EventKind.PUBLISHED, actor=by)
        audit_record("practices.case_published", obj=locked, user=by)
    case.refresh_from_db()
    _notify_authors(
        case,
        subject=lambda: _("Published: %(title)s") % {"title": case.title},
        message=lambda: _("The Secretariat published “%(title)s” on the website.") % {"title": case.title},
    )
    return case


def case_unpublish(*, case: CaseStudy, by) -> CaseStudy:
    _require_secretariat(by)
    with transaction.atomic():
        updated = CaseStudy.objects.filter(pk=case.pk, is_published=True).update(is_published=False)
        if not updated:
            raise WrongStatus(_("This case study is not published."))
        case.refresh_from_db()
        facets_rebuild(case)
        event_add(case=case, kind=EventKind.UNPUBLISHED, actor=by)
        audit_record("practices.case_unpublished", obj=case, user=by)
    return case


def may_discuss(case: CaseStudy, user) -> bool:
    if user_has_role(user, SECRETARIAT):
        return True
    # Any round: a reviewer of an earlier revision still reads the discussion they took part in.
    return case.assignments.filter(reviewer=user, status__in=ACTIVE_ASSIGNMENTS).exists()


def comment_add(*, case: CaseStudy, user, body: str) -> CaseComment:
    """A message in the reviewers' private thread; the others in it are emailed."""
    if not may_discuss(case, user):
        raise PermissionDenied(
            _("Only this case's reviewers and the Secretariat take part in its discussion.")
        )
    if case.status != CaseStatus.IN_REVIEW:
        raise WrongStatus(_("The discussion is closed: the case study is not in review."))
    body = text_plain(body).strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("A message has at most 5,000 characters.")})
    comment = CaseComment.objects.create(case=case, author=user, body=body)
    others = [assignment.reviewer for assignment in active_assignments(case)] + secretariat_users()
    people_notify(
        users=others,
        exclude=user,
        subject=lambda: _("New message on “%(title)s”") % {"title": case.title},
        message=lambda: _("%(name)s wrote in the reviewers' discussion:") % {"name": user},
        note=body,
        link=lambda: links.case_thread_url(case),
        link_label=lambda: _("Reply here:"),
    )
    return comment


@dataclass(frozen=True)
class ReminderReport:
    before_deadline: int
    overdue: int


def reminders_send(*, now: datetime.datetime | None = None) -> ReminderReport:
    """Remind reviewers whose deadline is near (once), and once more when it has passed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = today + datetime.timedelta(days=settings.PRACTICES_REMIND_DAYS_BEFORE)
    open_reviews = ReviewAssignment.objects.filter(
        status=AssignmentStatus.ASSIGNED, case__status=CaseStatus.IN_REVIEW
    ).select_related("case", "reviewer")
    before = overdue = 0
    for assignment in open_reviews.filter(deadline__lte=soon, deadline__gte=today, reminded_at__isnull=True):
        before += _remind(assignment, now=now, overdue=False)
    for assignment in open_reviews.filter(deadline__lt=today):
        reminded = assignment.reminded_at
        if reminded is None or timezone.localdate(reminded) <= assignment.deadline:
            overdue += _remind(assignment, now=now, overdue=True)
    return ReminderReport(before_deadline=before, overdue=overdue)


def _remind(assignment: ReviewAssignment, *, now, overdue: bool) -> int:
    # Claim the reminder first, so two workers running at once send it once.
    claimed = ReviewAssignment.objects.filter(pk=assignment.pk, reminded_at=assignment.reminded_at).update(
        reminded_at=now
    )
    if not claimed:
        return 0
    case = assignment.case
    event_add(case=case, kind=EventKind.REMINDED, note=str(assignment.reviewer), for_authors=False)
    people_notify(
        users=[assignment.reviewer],
        subject=lambda: (
            (_("Overdue review: %(title)s") if overdue else _("Review due soon: %(title)s"))
            % {"title": case.title}
        ),
        message=lambda: (
            _("Your review of “%(title)s” was due on %(deadline)s.")
            % {"title": case.title, "deadline": assignment.deadline.isoformat()}
            if overdue
            else _("Your review of “%(title)s” is due on %(deadline)s.")
            % {"title": case.title, "deadline": assignment.deadline.isoformat()}
        ),
        link=lambda: links.review_url(assignment),
        link_label=lambda: _("Your review:"),
    )
    return 1


def criteria_sets_with_published_versions():
    return CriteriaSet.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct()
