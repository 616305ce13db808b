"""The library as JSON: searching published resources with the page's facets, one resource, and
member organisations' submissions (with their API token), which wait for the Secretariat's approval."""

from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hw4all.coalition.api_auth import OrganisationTokenAuth
from hw4all.coalition.models import ApiScope, ApiToken
from hw4all.core.apierrors import ApiProblem
from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination
from hw4all.core.ratelimit import api_rate_limit

from . import queries, services
from .forms import ResourceSubmitForm
from .models import Kind, Licence, Region, Resource, ResourceFile, Topic

router = Router(tags=["library"])

CITATION_FORMATS = ("bib", "ris", "json")


class ResourceFilters(Schema):
    q: str = Field("", description='Words to find; "quoted phrases" are kept together', max_length=1000)
    kind: list[Kind] = Field([], description="One or more kinds (any of them)")
    language: list[str] = Field([], description="Language codes of the files, such as en or ro (any of them)")
    country: list[str] = Field([], description="ISO 3166 alpha-2 codes (any of them)")
    region: list[Region] = Field([], description="WHO regions, EU or global (any of them)")
    topic: list[str] = Field([], description="Topic slugs (any of them)")
    year: list[int] = Field([], description="Years of publication (any of them)")
    sort: str = Field(
        "",
        description="relevance (the default with q) or date (newest first, then the latest added)",
        pattern="^(|relevance|date)$",
    )
    lang: str | None = Field(
        None,
        description="Language code (en, fr, es, pt, ...) of the labels: kinds, countries, topics. "
        "A resource's content languages are its files' (the language filter)",
        max_length=10,
    )

    def search(self, *, page: int = 1, per_page: int = queries.PER_PAGE) -> queries.LibrarySearch:
        api_language(self.lang)
        return queries.library_search(
            query=self.q,
            filters={
                "kind": [str(kind.value) for kind in self.kind],
                "language": self.language,
                "country": [code.upper() for code in self.country],
                "region": [str(region.value) for region in self.region],
                "topic": self.topic,
                "year": [str(year) for year in self.year],
            },
            sort=self.sort,
            page=page,
            per_page=per_page,
        )


class ResourceItem(Schema):
    id: int
    title: str
    kind: Kind
    year: int | None
    url: str = Field(description="Absolute address of the resource's page")
    languages: list[str]
    snippet: str = Field(description="HTML: the words matched in <mark>, everything else escaped")

    @staticmethod
    def resolve_id(obj: queries.ResultItem) -> int:
        return obj.pk

    @staticmethod
    def resolve_url(obj: queries.ResultItem, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.url())


class FacetCount(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    total: int = Field(description="How many resources the search finds")
    facets: dict[str, list[FacetCount]] = Field(
        description="For each facet, its values with the number of resources each would give: a "
        "facet's counts apply the query and the other facets' selections, not its own"
    )


class AuthorOut(Schema):
    name: str
    url: str | None = Field(None, description="The author's page in the directory, if linked")


class TopicOut(Schema):
    slug: str
    name: str


class FileOut(Schema):
    language: str
    label: str
    size: int = Field(description="Bytes")
    format: str
    pages: int | None
    url: str = Field(description="Absolute download address")


class ResourceDetailOut(Schema):
    id: int
    title: str
    kind: Kind
    summary: str
    publisher: str
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD, as much as is known")
    year: int | None
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes")
    regions: list[str]
    licence: str
    doi: str
    isbn: str
    web_address: str
    url: str = Field(description="Absolute address of the resource's page")
    authors: list[AuthorOut]
    topics: list[TopicOut]
    files: list[FileOut]
    citations: dict[str, str] = Field(
        description="Absolute addresses of the BibTeX, RIS and CSL-JSON exports"
    )


def _absolute(request: HttpRequest, path: str | None) -> str | None:
    return request.build_absolute_uri(path) if path else None


class SearchResults:
    """The search's results as the cursor pages read them, one window at a time: the search gives
    pages, so a window is one page of its size, or the end of one and the start of the next."""

    def __init__(self, filters: ResourceFilters) -> None:
        self.filters = filters

    def __getitem__(self, window: slice) -> list[queries.ResultItem]:
        start, stop = window.start or 0, window.stop
        size = stop - start
        before = start // size
        result = self.filters.search(page=before + 1, per_page=size)
        if start >= result.total:
            return []
        items = result.items[start - before * size :]
        if len(items) < size and (before + 1) * size < result.total:
            items += self.filters.search(page=before + 2, per_page=size).items[: size - len(items)]
        return items


@router.get("/resources", response=list[ResourceItem], summary="Search published resources")
@paginate(CursorPagination)
def resource_search(request: HttpRequest, filters: Query[ResourceFilters]):
    """The library page's search: by relevance when there are words to find, else newest first
    (then the latest added). Filters of different names must all hold; the values of one are
    alternatives. The number of results and the facets' counts are at /resources/facets."""
    return SearchResults(filters)


@router.get("/resources/facets", response=FacetsOut, summary="How many resources a search finds, by facet")
def resource_facets(request: HttpRequest, filters: Query[ResourceFilters]):
    """The same parameters as the search; the facets as the library page shows them."""
    result = filters.search()
    return {
        "total": result.total,
        "facets": {
            facet.name: [
                {"value": value.value, "label": value.label, "count": value.count, "selected": value.selected}
                for value in facet.values
            ]
            for facet in result.facets
        },
    }


def _file(request: HttpRequest, resource: Resource, file: ResourceFile) -> dict:
    file.resource = resource
    return {
        "language": file.language,
        "label": str(file),
        "size": file.size,
        "format": file.format,
        "pages": file.pages,
        "url": _absolute(request, file.get_absolute_url()),
    }


@router.get("/resources/{int:resource_id}", response=ResourceDetailOut, summary="One published resource")
def resource_detail(request: HttpRequest, resource_id: int):
    resource = queries.resource_published(pk=resource_id)
    if resource is None:
        raise Http404("No published resource has this id")
    return {
        "id": resource.pk,
        "title": resource.title,
        "kind": resource.kind,
        "summary": resource.summary,
        "publisher": resource.publisher,
        "date": resource.date_text(),
        "year": resource.year,
        "countries": [country.code for country in resource.countries],
        "regions": list(resource.regions or []),
        "licence": resource.get_licence_display() if resource.licence else "",
        "doi": resource.doi,
        "isbn": resource.isbn,
        "web_address": resource.url,
        "url": _absolute(request, resource.get_absolute_url()),
        "authors": [
            {"name": author.display_name(), "url": _absolute(request, author.get_absolute_url())}
            for author in resource.authors.all()
        ],
        "topics": [{"slug": topic.slug, "name": topic.name_in()} for topic in resource.topics.all()],
        "files": [_file(request, resource, file) for file in resource.files.all()],
        "citations": {
            format: _absolute(
                request,
                reverse(
                    "library:resource_cite",
                    kwargs={"pk": resource.pk, "slug": resource.slug, "format": format},
                ),
            )
            for format in CITATION_FORMATS
        },
    }


class SubmissionIn(Schema):
    """What the site's submission form asks, as JSON. The API takes no files: the document's web
    address is required instead, and the Secretariat can add files when approving."""

    title: str = Field(max_length=2000)
    kind: Kind = Kind.REPORT
    summary: str = Field(description="Paragraphs separated by a blank line", max_length=20_000)
    url: str = Field(description="Where the document is published (http or https)", max_length=2000)
    authors: list[str] = Field(
        [],
        description="One author an item: “Family name, Given name” for a person, the name alone for an organisation",
        max_length=200,
    )
    publisher: str = Field("", max_length=2000)
    year: int | None = Field(None, ge=1000, le=9999)
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    countries: list[str] = Field([], description="ISO 3166 alpha-2 codes", max_length=300)
    regions: list[Region] = Field([], max_length=20)
    topics: list[str] = Field(
        [], description="Topic slugs, as the resources' topics give them", max_length=100
    )
    licence: Licence | None = None
    doi: str = Field("", max_length=2000)
    isbn: str = Field("", max_length=200)


class SubmissionOut(Schema):
    id: int
    status: str = Field(description='"submitted": waiting for the Secretariat\'s approval')


@router.post(
    "/submissions",
    auth=OrganisationTokenAuth(ApiScope.LIBRARY),
    response={202: SubmissionOut},
    summary="Submit a resource for the Secretariat's approval",
)
def submission_post(request: HttpRequest, payload: SubmissionIn):
    """The resource waits for approval and is not published, listed or found until the
    Secretariat approves it; they are emailed about it at once. The token needs the "library"
    scope. Invalid fields give 422 with each field's messages, as the site's form shows them."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    api_rate_limit(request, "library-api-submission", account=f"token:{token.pk}")
    topics = dict(Topic.objects.filter(slug__in=payload.topics).values_list("slug", "pk"))
    errors: dict[str, list[str]] = {}
    if unknown := [slug for slug in payload.topics if slug not in topics]:
        errors["topics"] = [_("Unknown topics: %(value)s") % {"value": ", ".join(unknown)[:200]}]
    if not payload.url.strip():
        errors["url"] = [_("Give the document's web address: the API takes no files.")]
    form = ResourceSubmitForm(
        {
            "title": payload.title,
            "kind": payload.kind,
            "summary": payload.summary,
            "authors": "\n".join(payload.authors),
            "publisher": payload.publisher,
            "year": "" if payload.year is None else payload.year,
            "month": "" if payload.month is None else payload.month,
            "day": "" if payload.day is None else payload.day,
            "countries": [code.upper() for code in payload.countries],
            "regions": list(payload.regions),
            "topics": [topics[slug] for slug in payload.topics if slug in topics],
            "licence": payload.licence or "",
            "doi": payload.doi,
            "isbn": payload.isbn,
            "url": payload.url,
        }
    )
    if not form.is_valid() or errors:
        for field, messages in form.errors.items():
            errors.setdefault(field, []).extend(str(message) for message in messages)
        raise ApiProblem(422, _("Some fields are not valid."), errors=errors)
    resource = form.resource_build()
    try:
        services.resource_submit(resource=resource, user=None, organisation=token.organisation)
    except IntegrityError as error:
        raise ApiProblem(
            409, _("The library already has this resource, or it is waiting for approval.")
        ) from error
    return Status(202, {"id": resource.pk, "status": resource.status})
