"""The public directory as JSON: organisations, people (public profile only) and projects."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from wagtail.rich_text import expand_db_html

from . import queries
from .models import Organisation, OrganisationType, Person, Project

router = Router(tags=["coalition"])

PAGE_SIZE = 24


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


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def organisation_list(
    request: HttpRequest,
    country: str = "",
    type: OrganisationType | None = None,
    member: bool | None = None,
):
    """Members, project partners and event co-promoters; `member=true` or `false` keeps one side."""
    organisations = queries.organisations_directory(
        country=country.upper(), type=type or "", include_partners=True
    )
    if member is not None:
        organisations = organisations.filter(is_member=member)
    return organisations


@router.get("/organisations/{slug}", response=OrganisationOut)
def organisation_get(request: HttpRequest, slug: str):
    return get_object_or_404(Organisation, slug=slug)


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def person_list(request: HttpRequest, role: str = "", country: str = ""):
    return queries.people_directory(role=role, country=country.upper())


@router.get("/people/{slug}", response=PersonOut)
def person_get(request: HttpRequest, slug: str):
    return get_object_or_404(Person.objects.select_related("organisation"), slug=slug)


@router.get("/projects", response=list[ProjectOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def project_list(request: HttpRequest):
    return queries.projects_all()


@router.get("/projects/{slug}", response=ProjectDetailOut)
def project_get(request: HttpRequest, slug: str):
    try:
        return queries.project_detail(slug=slug)
    except Project.DoesNotExist as error:
        raise Http404 from error
