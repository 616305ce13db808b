"""Reads of proposals: a space's list with its filters, a proposal's page (status history,
authors, links, supporters) and its versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django_countries import countries as all_countries

from hw4all.library.models import Resource
from hw4all.practices.models import CODE_ARTICLES, CaseStudy

from ..models import (
    Activity,
    ActivityKind,
    Addressee,
    Comment,
    Proposal,
    ProposalAuthor,
    ProposalLevel,
    ProposalStatus,
    ProposalSupport,
    ProposalVersion,
    Space,
)
from ..services import access

PER_PAGE = 20


@dataclass(frozen=True)
class ProposalFilters:
    """The reader's choices (one value per filter; empty means any)."""

    status: str = ""
    level: str = ""
    country: str = ""
    article: int | None = None
    addressee: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> ProposalFilters:
        """Unknown values are dropped, never an error page: a shared link keeps working."""
        status = query.get("status", "")
        level = query.get("level", "")
        country = query.get("country", "").upper()
        addressee = query.get("addressee", "")
        article_text = query.get("article", "")
        article = int(article_text) if article_text.isdigit() and int(article_text) in CODE_ARTICLES else None
        return cls(
            status=status if status in ProposalStatus.values else "",
            level=level if level in ProposalLevel.values else "",
            country=country if country in all_countries else "",
            article=article,
            addressee=addressee if addressee in Addressee.values else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.level or self.country or self.article or self.addressee)

    def query_string(self) -> str:
        """The filters as a query string for the pages' links."""
        query = QueryDict(mutable=True)
        for name in ("status", "level", "country", "article", "addressee"):
            value = getattr(self, name)
            if value:
                query[name] = str(value)
        return query.urlencode()


def _comment_count() -> Coalesce:
    comments = (
        Comment.objects.filter(proposal=OuterRef("pk"), is_deleted=False, is_hidden=False)
        .order_by()
        .values("proposal")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(comments, output_field=IntegerField()), Value(0))


def proposals_visible_q(user, *, prefix: str = "") -> Q:
    """Within spaces the user may see: the proposals ever opened for comments, and those the user
    writes. A draft withdrawn before it was opened has status "withdrawn" but was never public:
    test opened_at, not the status. `prefix` is the path to the proposal ("proposal__")."""
    visible = Q(**{f"{prefix}opened_at__isnull": False})
    if user.is_authenticated:
        written = ProposalAuthor.objects.filter(user=user).values("proposal_id")
        visible |= Q(**{f"{prefix}pk__in": written})
    return visible


def proposals_listed(*, space: Space, user, filters: ProposalFilters) -> QuerySet[Proposal]:
    """The space's proposals the user may see, newest opened first."""
    proposals = Proposal.objects.filter(proposals_visible_q(user), space=space)
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    if filters.level:
        proposals = proposals.filter(level=filters.level)
    if filters.country:
        # Stored as "KE,UG": the code as a whole item.
        proposals = proposals.filter(countries__regex=rf"(^|,){re.escape(filters.country)}(,|$)")
    if filters.article:
        # The JSON list as text, "[1, 10]" on every database: the number as a whole item.
        proposals = proposals.annotate(articles_text=Cast("code_articles", TextField())).filter(
            articles_text__regex=rf"[\[ ,]{filters.article}[,\]]"
        )
    if filters.addressee:
        proposals = proposals.annotate(addressees_text=Cast("addressees", TextField())).filter(
            addressees_text__contains=f'"{filters.addressee}"'
        )
    return proposals.annotate(comment_count=_comment_count()).order_by("-opened_at", "-created_at", "-pk")


def author_names(proposals: list[Proposal]) -> dict[int, list[str]]:
    """Each proposal's authors' public names, in the order they joined, in two queries."""
    links = list(
        ProposalAuthor.objects.filter(proposal__in=proposals)
        .order_by("added_at", "pk")
        .values_list("proposal_id", "user_id")
    )
    names = access.display_names([user_id for _proposal, user_id in links])
    result: dict[int, list[str]] = {proposal.pk: [] for proposal in proposals}
    for proposal_id, user_id in links:
        result[proposal_id].append(names.get(user_id, ""))
    return result


def proposal_get(*, pk: int) -> Proposal | None:
    return Proposal.objects.select_related("space", "decided_by").filter(pk=pk).first()


def authors_of(proposal: Proposal) -> list[dict]:
    """[{user, name}] in the order they joined."""
    links = list(
        ProposalAuthor.objects.filter(proposal=proposal).select_related("user").order_by("added_at", "pk")
    )
    names = access.display_names([link.user_id for link in links])
    return [{"user": link.user, "name": names.get(link.user_id, "")} for link in links]


@dataclass(frozen=True)
class StatusStep:
    status: str
    name: str
    at: datetime | None

    @property
    def label(self) -> str:
        return str(ProposalStatus(self.status).label)


def status_history(proposal: Proposal) -> list[StatusStep]:
    """The steps the proposal went through, oldest first, with who took them and when.

    Activities record who changed the status and when, not to what; the lifecycle only goes
    forward (open, under consideration, then a closing status), so the steps follow from their
    order and the status the proposal has now."""
    steps = list(
        Activity.objects.filter(
            proposal=proposal, kind__in=[ActivityKind.PROPOSAL_OPENED, ActivityKind.PROPOSAL_STATUS]
        ).order_by("created_at", "pk")
    )
    user_ids = {step.actor_id for step in steps} | {proposal.created_by_id}
    names = access.display_names([user_id for user_id in user_ids if user_id is not None])
    history = [StatusStep(ProposalStatus.DRAFT, _name(names, proposal.created_by_id), proposal.created_at)]
    changes = [step for step in steps if step.kind == ActivityKind.PROPOSAL_STATUS]
    for step in steps:
        status: str = ProposalStatus.CONSIDERATION
        if step.kind == ActivityKind.PROPOSAL_OPENED:
            status = ProposalStatus.OPEN
        elif step is changes[-1]:
            status = proposal.status
        history.append(StatusStep(status, _name(names, step.actor_id), step.created_at))
    if proposal.opened_at is None and proposal.status == ProposalStatus.WITHDRAWN:
        history.append(StatusStep(proposal.status, _name(names, proposal.decided_by_id), proposal.decided_at))
    return history


def _name(names: dict[int, str], user_id: int | None) -> str:
    return names.get(user_id, "") if user_id is not None else ""


def supporting_organisations(proposal: Proposal) -> list:
    return [
        support.organisation
        for support in ProposalSupport.objects.filter(proposal=proposal, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def supports_of(proposal: Proposal, user, organisation) -> dict[str, bool]:
    """Whether the user supports it personally, and whether their organisation does."""
    if not user.is_authenticated:
        return {"personal": False, "organisation": False}
    rows = ProposalSupport.objects.filter(proposal=proposal).filter(
        Q(user=user, organisation__isnull=True) | Q(organisation=organisation)
        if organisation is not None
        else Q(user=user, organisation__isnull=True)
    )
    kinds = {
        organisation_id is not None for organisation_id in rows.values_list("organisation_id", flat=True)
    }
    return {"personal": False in kinds, "organisation": True in kinds}


def versions_of(proposal: Proposal) -> list[ProposalVersion]:
    return list(proposal.versions.select_related("created_by").order_by("number"))


def version_get(proposal: Proposal, number: int) -> ProposalVersion | None:
    return proposal.versions.filter(number=number).first()


def case_studies_to_link() -> list[tuple[int, str]]:
    """Published case studies, by title, for the form's list."""
    return list(CaseStudy.objects.published().order_by("title").values_list("pk", "title"))


def resources_named(*, pks) -> list[tuple[int, str]]:
    return list(Resource.objects.published().filter(pk__in=pks).order_by("title").values_list("pk", "title"))


def resources_matching(query: str, *, limit: int = 20) -> list[tuple[int, str]]:
    """Published library resources whose title has every word of `query`."""
    terms = query.split()[:8]
    if not terms:
        return []
    resources = Resource.objects.published()
    for term in terms:
        resources = resources.filter(title__icontains=term)
    return list(resources.order_by("title").values_list("pk", "title")[:limit])


def linked_case_studies(proposal: Proposal) -> list[CaseStudy]:
    """The linked case studies that are still published."""
    return list(
        CaseStudy.objects.published().filter(pk__in=proposal.case_studies.values("pk")).order_by("title")
    )


def linked_resources(proposal: Proposal) -> list[Resource]:
    return list(Resource.objects.published().filter(pk__in=proposal.resources.values("pk")).order_by("title"))
