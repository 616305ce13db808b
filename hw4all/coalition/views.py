"""Public pages of the coalition: the directory, people, projects and the membership form."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limited

from . import queries, services
from .forms import DirectoryFilterForm, MembershipApplicationForm, PeopleFilterForm
from .models import Organisation, Person, Project

DIRECTORY_PER_PAGE = 24
PEOPLE_PER_PAGE = 24


def _list_response(request: HttpRequest, template_dir: str, context: dict) -> HttpResponse:
    """The whole page, or only its results when htmx asks for them."""
    name = "results" if request.htmx and not request.htmx.boosted else "index"
    return render(request, f"coalition/{template_dir}/{name}.html", context)


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, country_choices=queries.organisation_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.organisations_directory(
        country=filters.get("country", ""),
        type=filters.get("type", ""),
        include_partners=filters.get("scope") == "all",
    )
    page = paginate(organisations, request.GET.get("page"), DIRECTORY_PER_PAGE)
    return _list_response(request, "directory", {"form": form, "page_obj": page})


def people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None, country_choices=queries.organisation_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    people_qs = queries.people_directory(role=filters.get("role", ""), country=filters.get("country", ""))
    page = paginate(people_qs, request.GET.get("page"), PEOPLE_PER_PAGE)
    return _list_response(request, "people", {"form": form, "page_obj": page})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = queries.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return render(request, "coalition/organisation_detail.html", {"organisation": organisation})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        person = queries.person_detail(slug=slug)
    except Person.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "coalition/person_detail.html",
        {
            "person": person,
            "articles_url": queries.news_index_url_for_author(person=person),
        },
    )


def project_index(request: HttpRequest) -> HttpResponse:
    page = paginate(queries.projects_all(), request.GET.get("page"), DIRECTORY_PER_PAGE)
    return render(request, "coalition/project_index.html", {"page_obj": page})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        project = queries.project_detail(slug=slug)
    except Project.DoesNotExist as error:
        raise Http404 from error
    return render(request, "coalition/project_detail.html", {"project": project})


@require_http_methods(["GET", "POST"])
@rate_limited("membership-application")
def application_create(request: HttpRequest) -> HttpResponse:
    form = MembershipApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_application_create(**form.cleaned_data, language=get_language() or "en")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("coalition:application_thanks")
    return render(request, "coalition/application_form.html", {"form": form})


def application_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/application_thanks.html")
