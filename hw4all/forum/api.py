"""The collaboration space's open spaces as JSON: spaces, their proposals and discussions. The
API is anonymous: closed spaces and everything in them answer 404, as on the site for a visitor;
drafts and hidden content are never listed."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination
from hw4all.practices.models import CODE_ARTICLES

from .markdown import markdown_html
from .models import (
    Addressee,
    Comment,
    MembershipStatus,
    Proposal,
    ProposalLevel,
    ProposalStatus,
    Space,
    SpaceKind,
    Thread,
)
from .queries import proposals as proposal_queries
from .services import access

router = Router(tags=["forum"])

MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error
LANG_LABELS = (
    "Language code (en, fr, es, pt, ...) of the labels, such as a proposal's status; what members "
    "write is given as they wrote it"
)


class LangFilter(Schema):
    lang: str | None = Field(None, description=LANG_LABELS, max_length=10)


class SpaceFilters(LangFilter):
    kind: SpaceKind | None = Field(None, description="The kind of space")


class ProposalFilters(LangFilter):
    status: ProposalStatus | None = None
    level: ProposalLevel | None = None
    country: str = Field("", description="ISO 3166 alpha-2 code, such as KE", max_length=2)
    article: int | None = Field(None, ge=1, le=len(CODE_ARTICLES), description="An article of the WHO Code")
    addressee: Addressee | None = None


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


class ThreadOut(Schema):
    id: int
    title: str
    url: str = Field(description="Absolute address of the discussion")
    comments: int
    is_locked: bool
    created_at: datetime.datetime
    last_activity_at: datetime.datetime


class ThreadDetailOut(ThreadOut):
    space: str = Field(description="The space's slug")
    started_by: str = Field(description="The name the forum shows for who started it")


class CommentOut(Schema):
    id: int
    parent: int | None = Field(
        description="The comment it answers; a deleted or hidden one is not listed itself"
    )
    author: str = Field(description="The name the forum shows for its author")
    html: str = Field(description="Sanitised HTML")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


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


def _thread(request: HttpRequest, thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "url": _absolute(request, thread.get_absolute_url()),
        "comments": thread.comment_count,
        "is_locked": thread.is_locked,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
    }


class MappedPagination(CursorPagination):
    """Cursor pages whose items are turned into the answer's shape a whole page at once (so
    names and links cost the same queries for a page of 5 or of 100)."""

    def __init__(self, *, page_items, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page_items = page_items

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = self.page_items(request, page["items"])
        return page


def _spaces(request: HttpRequest, spaces: list[Space]) -> list[dict]:
    return [_space(request, space) for space in spaces]


def _proposals(request: HttpRequest, proposals: list[Proposal]) -> list[dict]:
    return [_proposal(request, proposal) for proposal in proposals]


def _threads(request: HttpRequest, threads: list[Thread]) -> list[dict]:
    return [_thread(request, thread) for thread in threads]


def _comments(request: HttpRequest, comments: list[Comment]) -> list[dict]:
    names = access.display_names([comment.author_id for comment in comments])
    return [
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "author": names.get(comment.author_id, ""),
            "html": comment.body_html,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
        }
        for comment in comments
    ]


def _public_thread(thread_id: int) -> Thread:
    thread = (
        Thread.objects.filter(pk=thread_id, space__is_open=True, is_hidden=False)
        .select_related("space")
        .first()
    )
    if thread is None:
        raise Http404("No discussion of an open space has this id")
    return thread


@router.get("/spaces", response=list[SpaceOut], summary="List the open spaces, by name")
@paginate(MappedPagination, ordering=("name", "pk"), page_items=_spaces)
def space_list(request: HttpRequest, filters: Query[SpaceFilters]):
    """Open spaces only, by name then id; closed spaces (working groups and the like) never."""
    api_language(filters.lang)
    spaces = Space.objects.filter(is_open=True)
    if filters.kind:
        spaces = spaces.filter(kind=filters.kind)
    return spaces


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


@router.get(
    "/spaces/{slug}/proposals",
    response=list[ProposalOut],
    summary="The proposals of an open space, latest opened first",
)
@paginate(MappedPagination, ordering=("-opened_at", "-pk"), page_items=_proposals)
def proposal_list(request: HttpRequest, slug: str, filters: Query[ProposalFilters]):
    """Latest opened for comments first, then by id; the space page's filters. Drafts and
    hidden proposals are not listed."""
    api_language(filters.lang)
    space = _open_space(slug)
    listed = proposal_queries.proposals_listed(
        space=space,
        user=AnonymousUser(),
        filters=proposal_queries.ProposalFilters(
            status=filters.status or "",
            level=filters.level or "",
            country=filters.country.upper(),
            article=filters.article,
            addressee=filters.addressee or "",
        ),
    )
    return _public_proposals().filter(space=space, pk__in=listed.values("pk"))


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


@router.get(
    "/spaces/{slug}/threads",
    response=list[ThreadOut],
    summary="The discussions of an open space, most recently active first",
)
@paginate(MappedPagination, ordering=("-last_activity_at", "-pk"), page_items=_threads)
def thread_list(request: HttpRequest, slug: str, filters: Query[LangFilter]):
    """Most recently active first, then by id; hidden discussions are not listed."""
    api_language(filters.lang)
    space = _open_space(slug)
    return Thread.objects.filter(space=space, is_hidden=False)


@router.get("/threads/{thread_id}", response=ThreadDetailOut, summary="One discussion of an open space")
def thread_detail(request: HttpRequest, thread_id: int = Path(..., ge=1, le=MAX_ID)):
    thread = _public_thread(thread_id)
    names = access.display_names([thread.created_by_id])
    return {
        **_thread(request, thread),
        "space": thread.space.slug,
        "started_by": names.get(thread.created_by_id, ""),
    }


@router.get(
    "/threads/{thread_id}/comments",
    response=list[CommentOut],
    summary="The comments of a discussion, oldest first",
)
@paginate(MappedPagination, ordering=("created_at", "pk"), page_items=_comments)
def thread_comments(
    request: HttpRequest, filters: Query[LangFilter], thread_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Oldest first, then by id, replies among them (`parent` says which comment one answers).
    Deleted and hidden comments are not listed."""
    api_language(filters.lang)
    thread = _public_thread(thread_id)
    return Comment.objects.filter(thread=thread, is_hidden=False, is_deleted=False)


@router.get(
    "/proposals/{proposal_id}/comments",
    response=list[CommentOut],
    summary="The comments on a proposal, oldest first",
)
@paginate(MappedPagination, ordering=("created_at", "pk"), page_items=_comments)
def proposal_comments(
    request: HttpRequest, filters: Query[LangFilter], proposal_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Oldest first, then by id, replies among them. Deleted and hidden comments are not listed;
    a draft, hidden or closed space's proposal answers 404."""
    api_language(filters.lang)
    proposal = _public_proposals().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("No proposal of an open space has this id")
    return Comment.objects.filter(proposal=proposal, is_hidden=False, is_deleted=False)
