"""A resource's page, its citation exports and file downloads, and members' submissions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from hw4all.core.faults import StorageFull
from hw4all.core.ratelimit import rate_limited

from .. import citations, records, services
from ..forms import FILE_ROWS, FileRowFormSet, ResourceSubmitForm, language_name
from ..models import Region, Resource, ResourceFile, Status
from ..uploads import upload_limit_bytes, upload_limit_install

DECIDE = "library.decide_resource"
SUBMIT = "library.submit_resource"

# Download counts change without an edit, so a cached copy of the page is kept only this long.
DETAIL_CACHE_SECONDS = 300

CITATION_FORMATS = {
    "bib": ("application/x-bibtex", citations.bibtex),
    "ris": ("application/x-research-info-systems", citations.ris),
    "json": ("application/vnd.citationstyles.csl+json", None),
}


def _may_see_unpublished(request: HttpRequest, resource: Resource) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return (resource.submitted_by_id is not None and resource.submitted_by_id == user.pk) or user.has_perm(
        DECIDE
    )


def _resource_or_404(request: HttpRequest, pk: int) -> Resource:
    """A published resource for everyone; a submitted or declined one only for its submitter
    and the Secretariat, and as if it did not exist for anyone else."""
    resource = get_object_or_404(
        Resource.objects.prefetch_related(
            "authors__person", "authors__organisation", "topics__names", "files"
        ),
        pk=pk,
    )
    if resource.status != Status.PUBLISHED and not _may_see_unpublished(request, resource):
        raise Http404
    return resource


def _files_by_language(resource: Resource) -> list[tuple[str, str, list[ResourceFile]]]:
    groups: dict[str, list[ResourceFile]] = {}
    for file in resource.files.all():
        groups.setdefault(file.language, []).append(file)
    named = [(code, language_name(code), files) for code, files in groups.items()]
    return sorted(named, key=lambda group: group[1].casefold())


def _citation(resource: Resource) -> str:
    try:
        return citations.citation_text(resource.as_record())
    except records.InvalidRecord:
        # Only data the Secretariat typed past the admin's checks gets here; the page still shows.
        return ""


def resource_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    resource = _resource_or_404(request, pk)
    if slug != resource.slug:
        return redirect(resource.get_absolute_url(), permanent=True)
    files = list(resource.files.all())
    preview = next((file for file in files if file.format == "pdf" and file.preview), None)
    response = render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "authors": list(resource.authors.all()),
            "topics": [topic.name_in() for topic in resource.topics.all()],
            "regions": [Region(value).label for value in resource.regions if value in Region.values],
            "related": resource.related.filter(status=Status.PUBLISHED).order_by("title"),
            "file_languages": _files_by_language(resource),
            "preview": preview,
            "download_count": sum(file.downloads for file in files),
            "citation": _citation(resource),
            "show_private": _may_see_unpublished(request, resource),
            "formats": list(CITATION_FORMATS),
        },
    )
    response.page_cache_seconds = min(settings.PAGE_CACHE_SECONDS, DETAIL_CACHE_SECONDS)
    return response


@require_safe
def resource_cite(request: HttpRequest, pk: int, slug: str, format: str) -> HttpResponse:
    if format not in CITATION_FORMATS:
        raise Http404
    resource = _resource_or_404(request, pk)
    if slug != resource.slug:
        return redirect(
            "library:resource_cite", pk=resource.pk, slug=resource.slug, format=format, permanent=True
        )
    try:
        record = resource.as_record()
    except records.InvalidRecord as error:
        raise Http404 from error
    content_type, render_format = CITATION_FORMATS[format]
    if render_format is None:
        response: HttpResponse = JsonResponse(
            [citations.csl_json(record)],
            content_type=f"{content_type}; charset=utf-8",
            safe=False,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    else:
        response = HttpResponse(render_format(record), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hw4all-{resource.pk}.{format}"'
    return response


@require_safe
def file_download(request: HttpRequest, pk: int, slug: str, file_id: int) -> HttpResponse:
    """Counts the download and serves the file. Only a PDF (as read from its content, not its
    name) opens in the browser; anything else is saved, and never sniffed into HTML."""
    resource = _resource_or_404(request, pk)
    file = get_object_or_404(ResourceFile, pk=file_id, resource=resource)
    if not isinstance(file.file.storage, FileSystemStorage):
        # Cloud storage serves the bytes itself, from its own origin.
        if request.method == "GET":
            services.file_downloaded(file.pk)
        response: HttpResponse = redirect(file.file.url)
    else:
        try:
            handle = open(file.file.path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError as error:
            raise Http404 from error
        if request.method == "GET":
            services.file_downloaded(file.pk)
        is_pdf = file.format == "pdf"
        response = FileResponse(
            handle,
            as_attachment=not is_pdf,
            filename=file.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf" if is_pdf else None,
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Each request must reach the view to be counted: no shared or browser cache keeps a copy.
    add_never_cache_headers(response)
    return response


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "library/submit_forbidden.html", status=403)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def resource_submit(request: HttpRequest) -> HttpResponse:
    """The limit on uploads must be in place before the CSRF check reads the body, so the check
    runs inside (see _resource_submit); who may submit is known before any of the body is read."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(SUBMIT):
        return _forbidden(request)
    limit = upload_limit_install(request, files_max=FILE_ROWS)
    return _resource_submit(request, refused=limit.refused)


@csrf_protect
@rate_limited("library-submission")
def _resource_submit(request: HttpRequest, *, refused: list[str]) -> HttpResponse:
    # Each row starts in the page's language; given per form, not as the formset's initial data,
    # so that untouched rows stay optional.
    rows = {
        "prefix": "files",
        "form_kwargs": {"initial": {"language": (get_language() or "en").split("-")[0]}},
    }
    if request.method == "POST":
        form = ResourceSubmitForm(request.POST)
        file_rows = FileRowFormSet(request.POST, request.FILES, **rows)
        valid = form.is_valid() & file_rows.is_valid()
        for name in refused:
            form.add_error(
                None,
                _("“%(name)s” is larger than %(limit)s MB, the largest file the library accepts.")
                % {"name": records.shown(name), "limit": settings.LIBRARY_MAX_UPLOAD_MB},
            )
        if valid and not refused:
            resource = form.resource_build()
            resource.files = file_rows.resource_files_build()
            try:
                services.resource_submit(resource=resource, user=request.user)
            except IntegrityError:
                form.add_error(
                    None, _("The library already has this resource, or it is waiting for approval.")
                )
            except StorageFull as full:
                # Nothing was kept (core.uploads): the form comes back with what was typed.
                form.add_error(None, f"{full.message} {_('Choose the files again to send the form.')}")
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: “%(title)s” is waiting for approval. The Secretariat reviews every "
                        "submission and you will receive an email when they decide."
                    )
                    % {"title": resource.title},
                )
                return redirect("library:resource_submit")
    else:
        form = ResourceSubmitForm()
        file_rows = FileRowFormSet(**rows)
    return render(
        request,
        "library/submit.html",
        {
            "form": form,
            "file_rows": file_rows,
            "limit_mb": settings.LIBRARY_MAX_UPLOAD_MB,
            "limit_bytes": upload_limit_bytes(),
            "submissions": Resource.objects.filter(submitted_by=request.user).order_by("-created_at", "-pk"),
        },
    )
