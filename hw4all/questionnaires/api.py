"""The questionnaires whose results are public, as JSON: each with its current version's content,
and the summaries of its submitted responses under the public results page's rules (counts,
charts' figures and number distributions; free texts only for anonymous questionnaires with at
least MIN_GROUP responses; never files). Any other questionnaire does not exist here (404)."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema

from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination

from .analysis import QuestionSummary, answers_of, question_summaries
from .models import Access, Questionnaire, QuestionnaireStatus, Response, ResponseStatus
from .views.results import ANONYMOUS_ACCESS, MIN_GROUP, PUBLIC_KINDS

router = Router(tags=["questionnaires"])

# A questionnaire holds its texts in every language it was written in: `lang` chooses them.
LANG_DESCRIPTION = (
    "Language code (en, fr, es, pt, ...) of the titles and labels, in the questionnaire's own "
    "language where it lacks a translation; the request's language when empty"
)


class LanguageFilter(Schema):
    lang: str | None = Field(None, description=LANG_DESCRIPTION, max_length=10)


class QuestionnaireOut(Schema):
    slug: str
    name: str
    title: str = Field(description="The current version's title in the requested language")
    status: QuestionnaireStatus
    access: Access
    version: int = Field(description="The current version's number")
    url: str = Field(description="Absolute address of the public results page")
    results_api_url: str


class QuestionnaireDetailOut(QuestionnaireOut):
    definition: dict[str, Any] = Field(
        description="The current version's content: sections, questions, types, choices, skip logic "
        "and translated texts"
    )


class QuestionnairePageOut(Schema):
    items: list[QuestionnaireOut]
    next: str | None = Field(description="Address of the next page; null on the last page")


class ChoiceCountOut(Schema):
    name: str = Field(description="The choice's code")
    label: str
    count: int
    percent: float = Field(description="Of the responses that answered the question")
    percent_of_all: float


class RowSummaryOut(Schema):
    name: str
    label: str
    answered: int
    counts: list[ChoiceCountOut]


class NumberStatsOut(Schema):
    count: int
    minimum: float
    maximum: float
    mean: float
    median: float
    q1: float
    q3: float


class BinOut(Schema):
    low: float
    high: float
    count: int


class SummaryOut(Schema):
    name: str
    label: str
    kind: Literal["counted", "matrix", "number", "text", "repeat"]
    total: int = Field(description="Responses considered (inside a repeated group: its blocks)")
    answered: int
    counts: list[ChoiceCountOut] = Field(
        description="Counted questions: each choice, in the questionnaire's order"
    )
    others: list[str] = Field(description="“Other (specify)” texts, under the same rule as free texts")
    rows: list[RowSummaryOut] = Field(description="A matrix: the counts of each row")
    stats: NumberStatsOut | None
    histogram: list[BinOut]
    unit: str
    texts: list[str] = Field(description="Free texts, only when the rule allows them")
    blocks: int = Field(description="A repeated group: its blocks across all responses")
    inner: list["SummaryOut"] = Field(description="A repeated group: the summaries of its questions")


class ResultsOut(Schema):
    questionnaire: str = Field(description="The questionnaire's slug")
    responses: int = Field(description="Submitted responses summarised")
    texts_shown: bool = Field(
        description=f"Whether free texts are given: only for anonymous questionnaires with at least "
        f"{MIN_GROUP} submitted responses"
    )
    summaries: list[SummaryOut]


SummaryOut.model_rebuild()


def _public() -> QuerySet[Questionnaire]:
    """The questionnaires whose public results page exists."""
    return (
        Questionnaire.objects.filter(results_public=True, current_version__isnull=False)
        .exclude(access=Access.EMBEDDED)
        .select_related("current_version")
    )


def _public_or_404(slug: str) -> Questionnaire:
    questionnaire = _public().filter(slug=slug).first()
    if questionnaire is None:
        raise Http404("No questionnaire with public results has this slug")
    return questionnaire


def _questionnaire(request: HttpRequest, questionnaire: Questionnaire) -> dict:
    version = questionnaire.current_version
    assert version is not None  # noqa: S101 - _public() keeps only questionnaires with one
    definition = version.definition
    return {
        "slug": questionnaire.slug,
        "name": questionnaire.name,
        "title": definition.title.get(translation.get_language() or "en", definition.default_language),
        "status": questionnaire.status,
        "access": questionnaire.access,
        "version": version.number,
        "url": request.build_absolute_uri(
            reverse("questionnaires:results", kwargs={"slug": questionnaire.slug})
        ),
        "results_api_url": request.build_absolute_uri(
            reverse("api:questionnaire_results", kwargs={"slug": questionnaire.slug})
        ),
    }


def _summary(summary: QuestionSummary, *, show_texts: bool) -> dict | None:
    if summary.kind not in PUBLIC_KINDS and not (summary.kind == "text" and show_texts):
        return None
    inner = [_summary(item, show_texts=show_texts) for item in summary.inner]
    return {
        "name": summary.name,
        "label": summary.label,
        "kind": summary.kind,
        "total": summary.total,
        "answered": summary.answered,
        "counts": summary.counts,
        "others": summary.others if show_texts else [],
        "rows": summary.rows,
        "stats": summary.stats,
        "histogram": summary.histogram,
        "unit": summary.unit,
        "texts": summary.texts if show_texts else [],
        "blocks": summary.blocks,
        "inner": [item for item in inner if item is not None],
    }


_pages = CursorPagination(ordering=("name", "pk"))


@router.get(
    "/",
    response=QuestionnairePageOut,
    summary="List the questionnaires whose results are public, by name",
)
def questionnaire_list(
    request: HttpRequest, filters: Query[LanguageFilter], pagination: Query[CursorPagination.Input]
):
    """Open and closed alike (`status`): the results of a closed questionnaire stay public."""
    api_language(filters.lang)
    page = _pages.paginate_queryset(_public(), pagination, request)
    return {"items": [_questionnaire(request, item) for item in page["items"]], "next": page["next"]}


@router.get("/{slug}", response=QuestionnaireDetailOut, summary="A questionnaire whose results are public")
def questionnaire_detail(request: HttpRequest, slug: str, filters: Query[LanguageFilter]):
    api_language(filters.lang)
    questionnaire = _public_or_404(slug)
    version = questionnaire.current_version
    assert version is not None  # noqa: S101 - _public() keeps only questionnaires with one
    return {**_questionnaire(request, questionnaire), "definition": version.definition_json}


@router.get(
    "/{slug}/results",
    response=ResultsOut,
    summary="The summaries of a questionnaire's submitted responses",
    url_name="questionnaire_results",
)
def questionnaire_results(request: HttpRequest, slug: str, filters: Query[LanguageFilter]):
    language = api_language(filters.lang) or (translation.get_language() or "en").split("-")[0]
    questionnaire = _public_or_404(slug)
    version = questionnaire.current_version
    assert version is not None  # noqa: S101 - _public() keeps only questionnaires with one
    responses = Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.SUBMITTED)
    summaries = question_summaries(version.definition, answers_of(responses), language=language)
    # The responses summarised, even when one is submitted meanwhile.
    count = summaries[0].total if summaries else responses.count()
    show_texts = questionnaire.access in ANONYMOUS_ACCESS and count >= MIN_GROUP
    return {
        "questionnaire": questionnaire.slug,
        "responses": count,
        "texts_shown": show_texts,
        "summaries": [
            item
            for item in (_summary(summary, show_texts=show_texts) for summary in summaries)
            if item is not None
        ],
    }
