"""The public directory as JSON: organisations, people (public profile only) and projects."""

import datetime
from typing import Literal

from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.rich_text import expand_db_html

from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination

from . import queries
from .models import CoalitionRole, Organisation, OrganisationType, Person, Project

router = Router(tags=["coalition"])

PAGE_SIZE = 24
# The directory's content has no language: ?lang= translates the labels (country names) only.
LANG_LABELS = (
    "Language code (en, fr, es, pt, ...) of the labels, such as country names; the directory's "
    "entries are the same in every language"
)
# Sorts projects without a start date after every dated one.
UNDATED = datetime.date(1, 1, 1)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _rich(html: str) -> str:
    """Rich text with Wagtail's internal links turned into real ones."""
    return expand_db_html(html) if html else ""


class OrganisationSummary(Schema):
    slug: str
    name: str
    acronym: str


class OrganisationOut(Schema):
    slug: str
    name: str
    acronym: str
    country: str
    country_name: str
    type: OrganisationType
    website: str
    description: str
    is_member: bool
    member_since: datetime.date | None
    url: str

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_country_name(obj: Organisation) -> str:
        return obj.country.name or ""

    @staticmethod
    def resolve_description(obj: Organisation) -> str:
        return _rich(obj.description)

    @staticmethod
    def resolve_url(obj: Organisation, context) -> str:
        return _absolute(context["request"], obj.get_absolute_url())


class PersonOut(Schema):
    """A public profile: never the email address or the linked account."""

    slug: str
    name: str
    job_title: str
    coalition_role: str
    bio: str
    organisation: OrganisationSummary | None
    url: str

    @staticmethod
    def resolve_bio(obj: Person) -> str:
        return _rich(obj.bio)

    @staticmethod
    def resolve_url(obj: Person, context) -> str:
        return _absolute(context["request"], obj.get_absolute_url())


class ParticipationOut(Schema):
    organisation: OrganisationSummary
    role: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""


class ProjectOut(Schema):
    slug: str
    title: str
    acronym: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    funder: OrganisationSummary | None
    grant_number: str
    summary: str
    url: str

    @staticmethod
    def resolve_url(obj: Project, context) -> str:
        return _absolute(context["request"], obj.get_absolute_url())


class ProjectDetailOut(ProjectOut):
    description: str
    outputs: str
    participations: list[ParticipationOut]

    @staticmethod
    def resolve_description(obj: Project) -> str:
        return _rich(obj.description)

    @staticmethod
    def resolve_outputs(obj: Project) -> str:
        return _rich(obj.outputs)

    @staticmethod
    def resolve_participations(obj: Project) -> list:
        return list(obj.participations.all())


class OrganisationFilters(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code, such as KE", max_length=2)
    type: OrganisationType | None = Field(None, description="The organisation's type")
    scope: Literal["members", "all"] = Field(
        "members", description="members, or all: members, project partners and event co-promoters"
    )
    lang: str | None = Field(None, description=LANG_LABELS, max_length=10)


class PersonFilters(Schema):
    role: CoalitionRole | None = Field(None, description="Only the holders of one coalition role")
    country: str = Field("", description="ISO 3166 alpha-2 code of the person's organisation", max_length=2)
    lang: str | None = Field(None, description=LANG_LABELS, max_length=10)


class ProjectFilters(Schema):
    lang: str | None = Field(None, description=LANG_LABELS, max_length=10)


@router.get(
    "/organisations", response=list[OrganisationOut], summary="The directory's organisations, by name"
)
@paginate(CursorPagination, ordering=("name", "pk"), page_size=PAGE_SIZE)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    """Members by default, as the directory page shows them; `scope=all` adds project partners
    and event co-promoters. By name, then id."""
    api_language(filters.lang)
    return queries.organisations_directory(
        country=filters.country.upper(), type=filters.type or "", include_partners=filters.scope == "all"
    )


@router.get("/organisations/{slug}", response=OrganisationOut, summary="One organisation")
def organisation_get(request: HttpRequest, slug: str):
    return get_object_or_404(Organisation, slug=slug)


@router.get(
    "/people", response=list[PersonOut], summary="The directory's people: role holders first, then by name"
)
@paginate(CursorPagination, ordering=("has_role", "name", "pk"), page_size=PAGE_SIZE)
def person_list(request: HttpRequest, filters: Query[PersonFilters]):
    """Public profiles only. Holders of a coalition role first, then everyone else; by name
    within each, then id."""
    api_language(filters.lang)
    return queries.people_directory(role=filters.role or "", country=filters.country.upper())


@router.get("/people/{slug}", response=PersonOut, summary="One person's public profile")
def person_get(request: HttpRequest, slug: str):
    return get_object_or_404(Person.objects.select_related("organisation"), slug=slug)


@router.get("/projects", response=list[ProjectOut], summary="The coalition's projects, latest started first")
@paginate(CursorPagination, ordering=("-started", "title", "pk"), page_size=PAGE_SIZE)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]):
    """By start date, latest first (projects without one last), then by title and id."""
    api_language(filters.lang)
    return queries.projects_all().annotate(
        started=Coalesce("start_date", Value(UNDATED), output_field=DateField())
    )


@router.get("/projects/{slug}", response=ProjectDetailOut, summary="One project with its participants")
def project_get(request: HttpRequest, slug: str):
    try:
        return queries.project_detail(slug=slug)
    except Project.DoesNotExist as error:
        raise Http404 from error
