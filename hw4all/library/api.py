"""The library as JSON: searching published resources with the page's facets, and one resource."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from . import queries
from .models import Kind, Region, Resource, ResourceFile

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
        "", description="relevance (the default with q) or date (newest first)", pattern="^(|relevance|date)$"
    )
    page: int = Field(1, ge=1, le=100_000)


class ResourceItem(Schema):
    id: int
    title: str
    kind: Kind
    year: int | None
    url: str = Field(description="Absolute address of the resource's page")
    languages: list[str]
    snippet: str = Field(description="HTML: the words matched in <mark>, everything else escaped")


class FacetCount(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    items: list[ResourceItem]
    total: int
    page: int
    pages: int
    sort: str
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


@router.get("/resources", response=SearchOut, summary="Search published resources")
def resource_search(request: HttpRequest, filters: Query[ResourceFilters]):
    result = queries.library_search(
        query=filters.q,
        filters={
            "kind": [str(kind.value) for kind in filters.kind],
            "language": filters.language,
            "country": [code.upper() for code in filters.country],
            "region": [str(region.value) for region in filters.region],
            "topic": filters.topic,
            "year": [str(year) for year in filters.year],
        },
        sort=filters.sort,
        page=filters.page,
    )
    return {
        "items": [
            {
                "id": item.pk,
                "title": item.title,
                "kind": item.kind,
                "year": item.year,
                "url": _absolute(request, item.url()),
                "languages": item.languages,
                "snippet": item.snippet,
            }
            for item in result.items
        ],
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "sort": result.sort,
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
