"""The results of a questionnaire: the public page (when the Secretariat makes it public) and the
parts the Secretariat's results screen shares with it: the filter form read from the query
string and the summaries with their charts.

The public page shows only submitted responses, and only what cannot point at one respondent:
counts, charts and number distributions; free texts only for anonymous questionnaires and only
when at least MIN_GROUP responses match; never files."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .. import charts
from ..analysis import (
    FilterField,
    QuestionSummary,
    answers_of,
    filter_fields,
    filter_responses,
    question_summaries,
)
from ..definition import Definition
from ..models import Access, Questionnaire, Response, ResponseStatus

SUMMARIES_SECONDS = 24 * 60 * 60
# Fewer matching responses than this, and the public page hides free texts.
MIN_GROUP = 5
# Filters travel in the query string as "f-<question>" so they never meet other parameters.
FILTER_PREFIX = "f-"
ANONYMOUS_ACCESS = {Access.PUBLIC, Access.INVITATION}
# Kinds of summary the public page shows whatever the group's size.
PUBLIC_KINDS = {"counted", "matrix", "number", "repeat"}


@dataclass
class Block:
    """One question's summary as a page shows it: its chart(s) and, when allowed, its texts."""

    summary: QuestionSummary
    chart: str = ""
    # A matrix: one (row summary, chart) per row.
    rows: list[tuple] = field(default_factory=list)
    inner: list["Block"] = field(default_factory=list)
    show_texts: bool = True


@dataclass
class Filter:
    field: FilterField
    name: str
    selected: str


def language_code() -> str:
    return (get_language() or "en").split("-")[0]


def requested_filters(request: HttpRequest, fields: list[FilterField]) -> dict[str, str]:
    """The filters of the query string that name a question and one of its choices."""
    chosen = {}
    for current in fields:
        value = request.GET.get(FILTER_PREFIX + current.key, "")
        if value and any(value == name for name, _label in current.choices):
            chosen[current.key] = value
    return chosen


def filter_form(fields: list[FilterField], chosen: dict[str, str]) -> list[Filter]:
    return [Filter(field=f, name=FILTER_PREFIX + f.key, selected=chosen.get(f.key, "")) for f in fields]


def filter_query(chosen: dict[str, str]) -> dict[str, str]:
    return {FILTER_PREFIX + key: value for key, value in chosen.items()}


def _block(summary: QuestionSummary, *, prefix: str, show_texts: bool, public: bool) -> Block | None:
    if public and summary.kind not in PUBLIC_KINDS and not (summary.kind == "text" and show_texts):
        return None
    block = Block(summary=summary, show_texts=show_texts)
    chart_id = f"{prefix}chart-{summary.name}"
    if summary.kind == "counted" and summary.counts:
        block.chart = charts.bar_chart(summary.counts, chart_id=chart_id, title=summary.label)
    elif summary.kind == "matrix":
        block.rows = [
            (
                row,
                charts.bar_chart(
                    row.counts, chart_id=f"{chart_id}-{row.name}", title=f"{summary.label}: {row.label}"
                ),
            )
            for row in summary.rows
        ]
    elif summary.kind == "number" and summary.histogram:
        block.chart = charts.histogram(summary.histogram, chart_id=chart_id, title=summary.label)
    elif summary.kind == "repeat":
        block.inner = [
            inner
            for inner in (
                _block(item, prefix=f"{prefix}{summary.name}-", show_texts=show_texts, public=public)
                for item in summary.inner
            )
            if inner is not None
        ]
    return block


def cached_summaries(
    definition: Definition, matching: QuerySet[Response], *, language: str, version_id: int
) -> tuple[list[QuestionSummary], int]:
    """The summaries of `matching` and their number. Summing up tens of thousands of responses
    takes seconds: the result is kept in the cache under the responses' number and last change,
    so it is made again only when a response changes (or the questionnaire's version does)."""
    state = matching.aggregate(count=Count("pk"), changed=Max("updated_at"))
    if not state["count"]:
        return question_summaries(definition, [], language=language), 0
    fingerprint = f"{version_id}|{language}|{state['count']}|{state['changed']}|{matching.query}"
    key = "questionnaire-results:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    summaries = cache.get(key)
    if summaries is None:
        summaries = question_summaries(definition, answers_of(matching), language=language)
        cache.set(key, summaries, SUMMARIES_SECONDS)
    return summaries, state["count"]


def results_context(
    *,
    request: HttpRequest,
    questionnaire: Questionnaire,
    definition: Definition,
    responses: QuerySet[Response],
    public: bool,
    version_id: int,
) -> dict:
    """The filter form, the number of matching responses and one block per question."""
    language = language_code()
    fields = filter_fields(definition, language=language)
    chosen = requested_filters(request, fields)
    matching = filter_responses(responses, definition, chosen)
    summaries, count = cached_summaries(definition, matching, language=language, version_id=version_id)
    anonymous = questionnaire.access in ANONYMOUS_ACCESS
    show_texts = not public or (anonymous and count >= MIN_GROUP)
    blocks = [
        block
        for block in (
            _block(summary, prefix="", show_texts=show_texts, public=public) for summary in summaries
        )
        if block is not None
    ]
    return {
        "questionnaire": questionnaire,
        "definition": definition,
        "title": definition.title.get(language, definition.default_language) or questionnaire.name,
        "filters": filter_form(fields, chosen),
        "chosen": chosen,
        "filter_query": filter_query(chosen),
        "count": count,
        "blocks": blocks,
        "public": public,
        "texts_hidden": public and not show_texts,
        "texts_hidden_small": public and anonymous and count < MIN_GROUP,
        "min_group": MIN_GROUP,
    }


@require_GET
def public_results(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("current_version"), slug=slug, results_public=True
    )
    version = questionnaire.current_version
    if version is None or questionnaire.access == Access.EMBEDDED:
        raise Http404
    responses = Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.SUBMITTED)
    context = results_context(
        request=request,
        questionnaire=questionnaire,
        definition=version.definition,
        responses=responses,
        public=True,
        version_id=version.pk,
    )
    template = "questionnaires/results/results.html" if request.htmx else "questionnaires/results/public.html"
    response = TemplateResponse(request, template, context)
    # The same address answers a whole page or, to htmx, the results alone: caches keep both apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
