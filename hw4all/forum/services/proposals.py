"""Proposals: writing them with co-authors, their lifecycle from draft to decision, the versions
their edits make once opened, and the support of members and organisations.

Every function checks who may act itself (the views only ask first, to show the right page) and
runs in one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from hw4all.coalition.queries import organisation_of
from hw4all.library.models import Resource
from hw4all.practices.models import CODE_ARTICLES, CaseStudy

from ..models import (
    VERSIONED_FIELDS,
    ActivityKind,
    Addressee,
    Participant,
    Proposal,
    ProposalAuthor,
    ProposalLevel,
    ProposalStatus,
    ProposalSupport,
    ProposalVersion,
)
from . import access, activity

TITLE_MAX = 200
TEXT_MAX = 20000
DETAIL_MAX = 300
REASONS_MAX = 5000
# More links than a reader follows; also bounds the form's work.
LINKS_MAX = 20
SUPPORTABLE = frozenset({ProposalStatus.OPEN, ProposalStatus.CONSIDERATION})
# The fields a proposal's authors write: the versioned ones and the links.
FIELDS = (*VERSIONED_FIELDS, "case_studies", "resources")


class EditConflict(Exception):
    """A save that started from an older edit: a co-author saved in between."""


# Who may do what


def is_author(proposal: Proposal, user) -> bool:
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_forum_authorships", {})
    if proposal.pk not in cache:
        cache[proposal.pk] = ProposalAuthor.objects.filter(proposal=proposal, user=user).exists()
    return cache[proposal.pk]


def _forget_authorship(user, proposal: Proposal) -> None:
    user.__dict__.get("_forum_authorships", {}).pop(proposal.pk, None)


def may_view(user, proposal: Proposal) -> bool:
    """A proposal is public in its space once opened; before, only its authors and the
    Secretariat see it (a draft withdrawn before opening stays theirs)."""
    if not access.may_view_space(user, proposal.space):
        return False
    if proposal.opened_at is not None:
        return True
    return is_author(proposal, user) or access.is_secretariat(user)


def may_edit(user, proposal: Proposal) -> bool:
    return (
        not proposal.is_closed and is_author(proposal, user) and access.may_participate(user, proposal.space)
    )


def may_consider(user, proposal: Proposal) -> bool:
    """Moving an open proposal to "under consideration": moderators and deciders."""
    if not access.may_view_space(user, proposal.space):
        return False
    return access.is_moderator(user, proposal.space) or access.may_decide_proposals(user)


def may_decide(user, proposal: Proposal) -> bool:
    return access.may_view_space(user, proposal.space) and access.may_decide_proposals(user)


def may_support(user, proposal: Proposal) -> bool:
    return (
        proposal.status in SUPPORTABLE
        and not proposal.is_hidden
        and access.may_participate(user, proposal.space)
    )


# Writing


def _integer(value) -> int:
    """A number from a form or a caller; anything else becomes -1, which no choice matches."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _clean(fields: dict) -> dict:
    """The fields as stored, or a ValidationError naming each wrong field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, limit in (("title", TITLE_MAX), ("problem", TEXT_MAX), ("proposed", TEXT_MAX)):
        value = (fields.get(name) or "").strip()
        if not value:
            errors.setdefault(name, []).append(_("This field is required."))
        elif len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(max)s characters; this has %(count)s.") % {"max": limit, "count": len(value)}
            )
        cleaned[name] = value
    addressees = list(dict.fromkeys(fields.get("addressees") or []))
    if any(value not in Addressee.values for value in addressees):
        errors.setdefault("addressees", []).append(_("Choose among the listed addressees."))
    cleaned["addressees"] = [value for value in Addressee.values if value in addressees]
    detail = (fields.get("addressee_detail") or "").strip()
    if len(detail) > DETAIL_MAX:
        errors.setdefault("addressee_detail", []).append(
            _("At most %(max)s characters; this has %(count)s.") % {"max": DETAIL_MAX, "count": len(detail)}
        )
    if Addressee.OTHER in cleaned["addressees"] and not detail:
        errors.setdefault("addressee_detail", []).append(_("Say whom the proposal is addressed to."))
    cleaned["addressee_detail"] = detail
    level = fields.get("level") or ""
    if level not in ProposalLevel.values:
        errors.setdefault("level", []).append(_("Choose the level the proposal is meant for."))
    cleaned["level"] = level
    codes = [str(code) for code in dict.fromkeys(fields.get("countries") or [])]
    if any(code not in all_countries for code in codes):
        errors.setdefault("countries", []).append(_("Choose countries from the list."))
    cleaned["countries"] = codes
    articles = sorted({_integer(number) for number in fields.get("code_articles") or []})
    if any(number not in CODE_ARTICLES for number in articles):
        errors.setdefault("code_articles", []).append(_("Choose articles of the Code from the list."))
    cleaned["code_articles"] = articles
    for name, published in (
        ("case_studies", CaseStudy.objects.published()),
        ("resources", Resource.objects.published()),
    ):
        ids = {_integer(pk) for pk in fields.get(name) or []}
        if len(ids) > LINKS_MAX:
            errors.setdefault(name, []).append(_("Link at most %(max)s.") % {"max": LINKS_MAX})
            ids = set()
        found = list(published.filter(pk__in=ids))
        if len(found) != len(ids):
            errors.setdefault(name, []).append(_("Link only published items."))
        cleaned[name] = found
    if errors:
        raise ValidationError(errors)
    return cleaned


def proposal_content(proposal: Proposal) -> dict:
    """What a version records: VERSIONED_FIELDS as JSON values."""
    content = {name: getattr(proposal, name) for name in VERSIONED_FIELDS}
    content["countries"] = [str(code) for code in proposal.countries]
    content["code_articles"] = [int(number) for number in proposal.code_articles]
    content["addressees"] = list(proposal.addressees)
    return content


def _assign(proposal: Proposal, cleaned: dict) -> None:
    for name in VERSIONED_FIELDS:
        setattr(proposal, name, cleaned[name])


def proposal_create(*, space, user, fields: dict) -> Proposal:
    """A draft, seen only by its authors until they open it."""
    if not access.may_participate(user, space):
        raise PermissionDenied(_("Only members of the space can write proposals in it."))
    cleaned = _clean(fields)
    with transaction.atomic():
        proposal = Proposal(space=space, created_by=user, status=ProposalStatus.DRAFT)
        _assign(proposal, cleaned)
        proposal.full_clean()
        proposal.save()
        proposal.case_studies.set(cleaned["case_studies"])
        proposal.resources.set(cleaned["resources"])
        ProposalAuthor.objects.create(proposal=proposal, user=user)
    _forget_authorship(user, proposal)
    return proposal


def _frozen_error(proposal: Proposal) -> PermissionDenied:
    return PermissionDenied(
        _("This proposal is %(status)s: it can no longer be changed.")
        % {"status": proposal.get_status_display().lower()}
    )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("space").get(pk=proposal.pk)


def proposal_edit(*, proposal: Proposal, user, edit_number: int, fields: dict) -> Proposal:
    """Save the authors' text if nobody saved since `edit_number` (else EditConflict). Once the
    proposal is open, a change of its versioned content publishes a new version."""
    if not is_author(proposal, user) or not access.may_participate(user, proposal.space):
        raise PermissionDenied(_("Only the authors of this proposal can change it."))
    cleaned = _clean(fields)
    with transaction.atomic():
        current = _locked(proposal)
        if current.is_closed:
            raise _frozen_error(current)
        if current.edit_number != edit_number:
            raise EditConflict(
                _(
                    "A co-author saved this proposal while you were editing it, so your changes were "
                    "not saved. Your text is still in the form: compare it with the saved version, "
                    "then save again."
                )
            )
        before = proposal_content(current)
        _assign(current, cleaned)
        current.full_clean()
        current.edit_number = F("edit_number") + 1
        content = proposal_content(current)
        changed = content != before
        if changed and current.status != ProposalStatus.DRAFT:
            current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        current.case_studies.set(cleaned["case_studies"])
        current.resources.set(cleaned["resources"])
        if changed and current.status != ProposalStatus.DRAFT:
            ProposalVersion.objects.create(
                proposal=current, number=current.version, content=content, created_by=user
            )
            activity.activity_record(
                space=current.space,
                kind=ActivityKind.PROPOSAL_EDITED,
                actor=user,
                summary=current.title,
                proposal=current,
                authors=list(current.authors.all()),
            )
    return current


# Co-authors


def _account_for(identifier: str):
    identifier = (identifier or "").strip()
    users = get_user_model().objects.filter(is_active=True)
    if identifier.startswith("@"):
        participant = Participant.objects.filter(handle__iexact=identifier[1:]).select_related("user").first()
        return participant.user if participant is not None and participant.user.is_active else None
    if "@" in identifier:
        return users.filter(email__iexact=identifier).first()
    return None


def proposal_author_add(*, proposal: Proposal, by, identifier: str) -> ProposalAuthor:
    """Another member of the space becomes a co-author, found by @handle or by email."""
    if not may_edit(by, proposal):
        if proposal.is_closed:
            raise _frozen_error(proposal)
        raise PermissionDenied(_("Only the authors of this proposal can add co-authors."))
    user = _account_for(identifier)
    # The same answer whether the account does not exist or is not a member: the form does not
    # tell who has an account.
    if user is None or not access.is_member(user, proposal.space):
        raise ValidationError({"identifier": _("No member of this space has this @handle or email address.")})
    with transaction.atomic():
        link, created = ProposalAuthor.objects.get_or_create(proposal=proposal, user=user)
    if not created:
        raise ValidationError({"identifier": _("This person is already an author.")})
    _forget_authorship(user, proposal)
    return link


def proposal_author_remove(*, proposal: Proposal, by, user) -> None:
    if not may_edit(by, proposal):
        if proposal.is_closed:
            raise _frozen_error(proposal)
        raise PermissionDenied(_("Only the authors of this proposal can remove co-authors."))
    with transaction.atomic():
        links = ProposalAuthor.objects.select_for_update().filter(proposal=proposal)
        if not links.filter(user=user).exists():
            raise ValidationError(_("This person is not an author of the proposal."))
        if links.count() == 1:
            raise ValidationError(_("A proposal keeps at least one author."))
        links.filter(user=user).delete()
    _forget_authorship(user, proposal)


# Lifecycle


def _status_record(proposal: Proposal, user, kind: ActivityKind = ActivityKind.PROPOSAL_STATUS) -> None:
    activity.activity_record(
        space=proposal.space,
        kind=kind,
        actor=user,
        summary=proposal.title,
        proposal=proposal,
        authors=list(proposal.authors.all()),
    )


def proposal_open(*, proposal: Proposal, user) -> Proposal:
    """Draft -> open for comments: version 1 is what the space reads from now on."""
    if not is_author(proposal, user) or not access.may_participate(user, proposal.space):
        raise PermissionDenied(_("Only the authors of this proposal can open it for comments."))
    with transaction.atomic():
        current = _locked(proposal)
        if current.status != ProposalStatus.DRAFT:
            raise ValidationError(_("Only a draft can be opened for comments."))
        current.status = ProposalStatus.OPEN
        current.opened_at = timezone.now()
        current.version = 1
        current.edit_number = F("edit_number") + 1
        current.save()
        current.refresh_from_db()
        ProposalVersion.objects.create(
            proposal=current, number=1, content=proposal_content(current), created_by=user
        )
        _status_record(current, user, ActivityKind.PROPOSAL_OPENED)
    return current


def proposal_consider(*, proposal: Proposal, user) -> Proposal:
    """Open -> under consideration, by a moderator or a decider."""
    if not may_consider(user, proposal):
        raise PermissionDenied(_("Only moderators and the Steering Committee can do this."))
    with transaction.atomic():
        current = _locked(proposal)
        if current.status != ProposalStatus.OPEN:
            raise ValidationError(_("Only a proposal open for comments can be put under consideration."))
        current.status = ProposalStatus.CONSIDERATION
        current.save(update_fields=["status", "updated_at"])
        _status_record(current, user)
    return current


def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    if not is_author(proposal, user) or not access.may_participate(user, proposal.space):
        raise PermissionDenied(_("Only the authors of this proposal can withdraw it."))
    with transaction.atomic():
        current = _locked(proposal)
        if current.is_closed:
            raise _frozen_error(current)
        current.status = ProposalStatus.WITHDRAWN
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        # A draft nobody else has seen stays private: nothing to tell the space.
        if current.opened_at is not None:
            _status_record(current, user)
    return current


def proposal_decide(*, proposal: Proposal, user, status: str, reasons: str) -> Proposal:
    """Adopted as a coalition position, or declined; with the reasons, which everyone reads."""
    if not may_decide(user, proposal):
        raise PermissionDenied(_("Only the Steering Committee and the Secretariat decide on proposals."))
    reasons = (reasons or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in (ProposalStatus.ADOPTED, ProposalStatus.DECLINED):
        errors["decision"] = [_("Choose to adopt or to decline the proposal.")]
    if not reasons:
        errors["reasons"] = [_("Give the reasons for the decision.")]
    elif len(reasons) > REASONS_MAX:
        errors["reasons"] = [
            _("At most %(max)s characters; this has %(count)s.") % {"max": REASONS_MAX, "count": len(reasons)}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(proposal)
        if current.status not in SUPPORTABLE:
            raise ValidationError(
                _("Only a proposal open for comments or under consideration can be decided.")
            )
        current.status = status
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_reasons = reasons
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_reasons", "updated_at"])
        _status_record(current, user)
    return current


# Support


def _support_rows(proposal: Proposal, user, on_behalf_of_organisation: bool):
    if on_behalf_of_organisation:
        organisation = organisation_of(user)
        if organisation is None:
            raise PermissionDenied(_("Your account is not linked to an organisation."))
        return ProposalSupport.objects.filter(proposal=proposal, organisation=organisation), organisation
    return ProposalSupport.objects.filter(proposal=proposal, user=user, organisation__isnull=True), None


def proposal_support(*, proposal: Proposal, user, on_behalf_of_organisation: bool = False) -> bool:
    """Support the proposal personally or for the user's organisation. False when that support
    was already given (also by a request at the same moment: the database refuses the second)."""
    if not access.may_participate(user, proposal.space):
        raise PermissionDenied(_("Only members of the space can support its proposals."))
    rows, organisation = _support_rows(proposal, user, on_behalf_of_organisation)
    with transaction.atomic():
        current = _locked(proposal)
        if current.status not in SUPPORTABLE or current.is_hidden:
            raise PermissionDenied(_("This proposal no longer takes support."))
        if rows.exists():
            return False
        try:
            with transaction.atomic():
                ProposalSupport.objects.create(proposal=current, user=user, organisation=organisation)
        except IntegrityError:
            return False
        Proposal.objects.filter(pk=current.pk).update(support_count=F("support_count") + 1)
        activity.activity_record(
            space=current.space,
            kind=ActivityKind.PROPOSAL_SUPPORTED,
            actor=user,
            summary=current.title,
            proposal=current,
            authors=list(current.authors.all()),
        )
    return True


def proposal_support_withdraw(*, proposal: Proposal, user, on_behalf_of_organisation: bool = False) -> bool:
    """Take back a support; an organisation's by any of its people. False if there was none."""
    if not access.may_participate(user, proposal.space):
        raise PermissionDenied(_("Only members of the space can support its proposals."))
    rows, _organisation = _support_rows(proposal, user, on_behalf_of_organisation)
    with transaction.atomic():
        current = _locked(proposal)
        if current.is_closed:
            raise _frozen_error(current)
        deleted, _kinds = rows.delete()
        if deleted:
            Proposal.objects.filter(pk=current.pk).update(support_count=F("support_count") - deleted)
    return bool(deleted)
