"""A person in the case studies: as a case's contact, author or creator, as the writer of
review-time comments, and as a reviewer.

A case study belongs to the organisation that submitted it: erasing keeps it and forgets the
person (contact emptied in the case and in its stored revisions, authorship and authored comments
unlinked). A reviewer's assignments and scores go: the outcome a decided case was given is stored
on the case and stays; an undecided case needs another reviewer, as when one withdraws."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record, json_narrowing_part
from hw4all.users.personaldata import user_ids_for_address

from .models import CaseAttachment, CaseComment, CaseEvent, CaseRevision, CaseStudy, ReviewAssignment

CONTACT_FIELDS = ("contact_name", "contact_email")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _cases(address: str, user_ids: list[int]):
    return CaseStudy.objects.filter(
        Q(contact_email__iexact=address)
        | Q(created_by_id__in=user_ids)
        | Q(author_links__user_id__in=user_ids)
    ).distinct()


def _revisions(address: str, user_ids: list[int]) -> list[CaseRevision]:
    rows = CaseRevision.objects.all()
    if part := json_narrowing_part(address):
        rows = rows.filter(Q(content__icontains=part) | Q(submitted_by_id__in=user_ids))
    return [
        row
        for row in rows.order_by("pk")
        if row.submitted_by_id in user_ids or str(row.content.get("contact_email", "")).lower() == address
    ]


def _export(address: str) -> list[Record]:
    user_ids = user_ids_for_address(address)
    records: list[Record] = []
    for case in _cases(address, user_ids).order_by("created_at", "pk"):
        author_ids = set(case.author_links.values_list("user_id", flat=True))
        records.append(
            {
                "type": str(_("Case study")),
                "title": case.title,
                "status": case.status,
                "organisation": str(case.organisation),
                "contact_name": case.contact_name,
                "contact_email": case.contact_email,
                "you_created_it": case.created_by_id in user_ids,
                "you_are_an_author": bool(author_ids & set(user_ids)),
                "created_at": _iso(case.created_at),
            }
        )
    records.extend(
        {"type": str(_("Case study revision")), "case": str(row.case), "number": row.number}
        for row in _revisions(address, user_ids)
    )
    records.extend(
        {"type": str(_("Comment on a case study")), "case": str(row.case), "text": row.body}
        for row in CaseComment.objects.filter(author_id__in=user_ids).select_related("case").order_by("pk")
    )
    records.extend(
        {
            "type": str(_("Review of a case study")),
            "case": str(row.case),
            "status": row.status,
            "deadline": row.deadline.isoformat(),
            "submitted_at": _iso(row.submitted_at),
            "conflict_of_interest": row.conflict_note,
            "scores": [
                {
                    "criterion": str(score.criterion),
                    "passed": score.passed,
                    "score": score.score,
                    "comment": score.comment,
                }
                for score in row.scores.all()
            ],
        }
        for row in ReviewAssignment.objects.filter(reviewer_id__in=user_ids)
        .select_related("case")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    return records


def _erase(address: str) -> int:
    user_ids = user_ids_for_address(address)
    erased = CaseStudy.objects.filter(contact_email__iexact=address).update(contact_name="", contact_email="")
    erased += CaseStudy.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    for row in _revisions(address, user_ids):
        content = dict(row.content)
        if str(content.get("contact_email", "")).lower() == address:
            content.update(dict.fromkeys(CONTACT_FIELDS, ""))
        CaseRevision.objects.filter(pk=row.pk).update(
            content=content, submitted_by=None if row.submitted_by_id in user_ids else row.submitted_by_id
        )
        erased += 1
    erased += CaseComment.objects.filter(author_id__in=user_ids).update(author=None)
    erased += CaseEvent.objects.filter(actor_id__in=user_ids).update(actor=None)
    erased += CaseAttachment.objects.filter(uploaded_by_id__in=user_ids).update(uploaded_by=None)
    # The reviewer's account may not be deleted while it reviews (the database protects it).
    erased += ReviewAssignment.objects.filter(reviewer_id__in=user_ids).delete()[0]
    return erased


CASES = PersonalDataProvider(key="practices", label=_("Practices"), export=_export, erase=_erase)
