"""The collaboration space's open spaces as JSON: spaces, their proposals and discussions. The
API is anonymous: closed spaces and everything in them answer 404, as on the site for a visitor;
drafts and hidden content are never listed."""

import datetime

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from .markdown import markdown_html
from .models import MembershipStatus, Proposal, ProposalStatus, Space, SpaceKind, Thread
from .services import access

router = Router(tags=["forum"])

PER_PAGE = 20
MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error


class PageFilter(Schema):
    page: int = Field(1, ge=1, le=100_000)


class SpaceOut(Schema):
    slug: str
    name: str
    kind: SpaceKind
    country: str = Field(description="ISO 3166 alpha-2 code of a national space, else empty")
    url: str = Field(description="Absolute address of the space's page")
    feed_url: str = Field(description="Absolute address of the space's Atom feed")


class SpaceDetailOut(SpaceOut):
    description: str
    proposals: int = Field(description="Proposals open for comments or decided (drafts not counted)")
    discussions: int
    members: int


class SpaceListOut(Schema):
    items: list[SpaceOut]
    total: int


class ProposalOut(Schema):
    id: int
    space: str = Field(description="The space's slug")
    title: str
    status: ProposalStatus
    status_label: str
    url: str = Field(description="Absolute address of the proposal's page")
    support_count: int = Field(description="Supports by members and by organisations")
    versions: int = Field(description="Published versions (1 until an edit after opening)")
    opened_at: datetime.datetime | None


class OrganisationOut(Schema):
    name: str
    url: str


class ProposalDetailOut(ProposalOut):
    problem_html: str = Field(description="Sanitised HTML")
    proposed_html: str = Field(description="Sanitised HTML")
    addressees: list[str]
    addressee_detail: str
    level: str
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes")
    code_articles: list[int]
    authors: list[str] = Field(description="The authors' names as the forum shows them")
    supporting_organisations: list[OrganisationOut]
    decided_at: datetime.datetime | None
    decision_reasons: str


class ProposalListOut(Schema):
    items: list[ProposalOut]
    total: int
    page: int
    pages: int


class ThreadOut(Schema):
    id: int
    title: str
    url: str = Field(description="Absolute address of the discussion")
    comments: int
    is_locked: bool
    created_at: datetime.datetime
    last_activity_at: datetime.datetime


class ThreadListOut(Schema):
    items: list[ThreadOut]
    total: int
    page: int
    pages: int


def _open_space(slug: str) -> Space:
    space = Space.objects.filter(slug=slug, is_open=True).first()
    if space is None:
        raise Http404("No open space has this slug")
    return space


def _public_proposals() -> QuerySet[Proposal]:
    return (
        # Ever opened for comments: a draft withdrawn before opening was never public.
        Proposal.objects.filter(space__is_open=True, is_hidden=False, opened_at__isnull=False)
        .select_related("space")
        .annotate(version_count=Count("versions", distinct=True))
    )


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _space(request: HttpRequest, space: Space) -> dict:
    return {
        "slug": space.slug,
        "name": space.name,
        "kind": space.kind,
        "country": space.country.code or "",
        "url": _absolute(request, space.get_absolute_url()),
        "feed_url": _absolute(request, reverse("forum:space_feed", kwargs={"slug": space.slug})),
    }


def _proposal(request: HttpRequest, proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "space": proposal.space.slug,
        "title": proposal.title,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "url": _absolute(request, proposal.get_absolute_url()),
        "support_count": proposal.support_count,
        "versions": proposal.version_count,
        "opened_at": proposal.opened_at,
    }


def _paged(queryset: QuerySet, page: int) -> tuple[list, int, int, int]:
    total = queryset.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * PER_PAGE
    return list(queryset[start : start + PER_PAGE]), total, page, pages


@router.get("/spaces", response=SpaceListOut, summary="List the open spaces")
def space_list(request: HttpRequest):
    spaces = list(Space.objects.filter(is_open=True).order_by("name"))
    return {"items": [_space(request, space) for space in spaces], "total": len(spaces)}


@router.get("/spaces/{slug}", response=SpaceDetailOut, summary="One open space")
def space_detail(request: HttpRequest, slug: str):
    space = _open_space(slug)
    return {
        **_space(request, space),
        "description": space.description,
        "proposals": _public_proposals().filter(space=space).count(),
        "discussions": Thread.objects.filter(space=space, is_hidden=False).count(),
        "members": space.memberships.filter(status=MembershipStatus.ACTIVE).count(),
    }


@router.get("/spaces/{slug}/proposals", response=ProposalListOut, summary="The proposals of an open space")
def proposal_list(request: HttpRequest, slug: str, filters: Query[PageFilter]):
    """Newest first, 20 a page; drafts and hidden proposals are not listed."""
    space = _open_space(slug)
    items, total, page, pages = _paged(_public_proposals().filter(space=space), filters.page)
    return {
        "items": [_proposal(request, item) for item in items],
        "total": total,
        "page": page,
        "pages": pages,
    }


@router.get("/proposals/{proposal_id}", response=ProposalDetailOut, summary="One proposal of an open space")
def proposal_detail(request: HttpRequest, proposal_id: int = Path(..., ge=1, le=MAX_ID)):
    proposal = _public_proposals().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("No proposal of an open space has this id")
    author_ids = list(proposal.author_links.values_list("user_id", flat=True))
    names = access.display_names(author_ids)
    organisations = [
        support.organisation
        for support in proposal.supports.filter(organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    return {
        **_proposal(request, proposal),
        "problem_html": markdown_html(proposal.problem),
        "proposed_html": markdown_html(proposal.proposed),
        "addressees": list(proposal.addressees or []),
        "addressee_detail": proposal.addressee_detail,
        "level": proposal.level,
        "countries": [country.code for country in proposal.countries],
        "code_articles": [number for number in proposal.code_articles or [] if isinstance(number, int)],
        "authors": [names[user_id] for user_id in author_ids if user_id in names],
        "supporting_organisations": [
            {"name": organisation.name, "url": _absolute(request, organisation.get_absolute_url())}
            for organisation in organisations
        ],
        "decided_at": proposal.decided_at,
        "decision_reasons": proposal.decision_reasons,
    }


@router.get("/spaces/{slug}/threads", response=ThreadListOut, summary="The discussions of an open space")
def thread_list(request: HttpRequest, slug: str, filters: Query[PageFilter]):
    """Most recently active first, 20 a page; hidden discussions are not listed."""
    space = _open_space(slug)
    threads = Thread.objects.filter(space=space, is_hidden=False).order_by("-last_activity_at", "-pk")
    items, total, page, pages = _paged(threads, filters.page)
    return {
        "items": [
            {
                "id": thread.pk,
                "title": thread.title,
                "url": _absolute(request, thread.get_absolute_url()),
                "comments": thread.comment_count,
                "is_locked": thread.is_locked,
                "created_at": thread.created_at,
                "last_activity_at": thread.last_activity_at,
            }
            for thread in items
        ],
        "total": total,
        "page": page,
        "pages": pages,
    }
