"""Where the figures come from: each source file (a vintage of a dataset), and what its import
changed against the earlier vintage."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from hw4all.core.pagination import paginate

from ..models import ImportRun, Source
from ..services.imports import source_summary, sources_summary

CHANGES_PER_PAGE = 100


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "workforce/sources/index.html", {"summaries": sources_summary()})


@require_GET
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Source, pk=pk)
    runs = list(ImportRun.objects.filter(source=found).order_by("started_at", "id"))
    changes = [change for run in runs for change in run.changes]
    return TemplateResponse(
        request,
        "workforce/sources/source.html",
        {
            "summary": source_summary(found),
            "source": found,
            "runs": runs,
            "changes_count": len(changes),
            "page_obj": paginate(changes, request.GET.get("page"), per_page=CHANGES_PER_PAGE),
            "earlier": Source.objects.filter(dataset=found.dataset)
            .exclude(pk=found.pk)
            .order_by("-file_date", "-imported_at"),
        },
    )
