"""What everyone reads of Code reporting: the rounds, a round's dashboard (a map and a table of
the countries reported on, and every report's answer to one chosen question side by side), the
round's exports, and a country's reports across rounds. Only published reports appear here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_safe
from django_countries import countries

from hw4all.core.map import choropleth_svg
from hw4all.questionnaires.definition import QuestionType

from .. import queries
from ..comparison import answer_keys, comparison_build, country_name, definitions_of, question_choices
from ..models import Report, Round

COMPARISON_ID = "codereports-comparison"
EXPORT_FORMATS = ("csv", "xlsx", "json")


def _url_maker(name: str, key: str, placeholder: str) -> Callable[[object], str]:
    """The address of `name` for any value of its one argument `key`: reversed once with a
    placeholder, then filled in (a dashboard links some 400 reports and countries, and reverse()
    took a fifth of its time)."""
    prefix, suffix = reverse(name, kwargs={key: placeholder}).split(placeholder)
    return lambda value: f"{prefix}{value}{suffix}"


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    rounds = list(queries.rounds_with_counts())
    current = next((item for item in rounds if item.is_current), None)
    return render(request, "codereports/public/index.html", {"rounds": rounds, "current": current})


@dataclass(frozen=True)
class CountryRow:
    name: str
    code: str
    url: str
    # Each report with the address of its page.
    reports: list[tuple[Report, str]]


def _map_label(name: str, count: int) -> str:
    return ngettext(
        "%(country)s: %(count)s published report", "%(country)s: %(count)s published reports", count
    ) % {"country": name, "count": count}


@require_safe
def round_dashboard(request: HttpRequest, number: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.select_related("questionnaire__current_version"), number=number)
    language = get_language() or "en"
    version = round.questionnaire.current_version if round.questionnaire else None
    current = version.definition if version else None
    chosen = request.GET.get("question", "")[:100]
    question = current.question(chosen) if chosen and current is not None else None
    problem = ""
    if chosen and (question is None or question.type == QuestionType.NOTE):
        question = None
        problem = gettext("This questionnaire has no question “%(name)s”. Choose one from the list.") % {
            "name": chosen
        }
    # Only what the page shows of each report, and of its answers only those to the chosen
    # question, read inside the database: hundreds of reports are read at once.
    keys = answer_keys(current, question) if current is not None and question is not None else []
    reports = list(
        queries.published_reports(round)
        .only("country", "organisation__name", "response__version")
        .annotate(
            **{f"answer_{index}": KeyTransform(key, "response__answers") for index, key in enumerate(keys)}
        )
    )
    answers = {
        report.pk: {
            key: value
            for index, key in enumerate(keys)
            if (value := getattr(report, f"answer_{index}")) is not None
        }
        for report in reports
    }
    report_url = _url_maker("codereports:report", "pk", "987654321")
    country_url = _url_maker("codereports:country", "code", "QQ")
    by_country: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_country[report.country.code].append(report)
    countries_rows = sorted(
        (
            CountryRow(
                name=country_name(code),
                code=code,
                url=country_url(code),
                reports=[(report, report_url(report.pk)) for report in items],
            )
            for code, items in by_country.items()
        ),
        key=lambda row: row.name.casefold(),
    )
    country_filter = request.GET.get("country", "")[:2].upper()
    if country_filter not in by_country:
        country_filter = ""
    comparison = None
    if question is not None and version is not None and current is not None:
        compared = by_country[country_filter] if country_filter else reports
        comparison = comparison_build(
            current, question, compared, definitions_of(compared, version), answers, language, report_url
        )
    path = reverse("codereports:round", kwargs={"number": round.number})
    context = {
        "round": round,
        "reports_count": len(reports),
        "countries_rows": countries_rows,
        "map_svg": choropleth_svg(
            [(row.code, len(row.reports)) for row in countries_rows],
            label=_map_label,
            link=country_url,
            css_class="codereports-map",
        ),
        "choices": question_choices(current, language) if current else [],
        "chosen": chosen if comparison else "",
        "country_filter": country_filter,
        "comparison": comparison,
        "problem": problem,
        "comparison_id": COMPARISON_ID,
        "path": path,
        "exports": [
            (
                fmt.upper(),
                reverse("codereports:round_export", kwargs={"number": round.number, "fmt": fmt}),
            )
            for fmt in EXPORT_FORMATS
        ],
        "permalink": f"{path}?{urlencode({'question': chosen, **({'country': country_filter} if country_filter else {})})}"
        if comparison
        else "",
    }
    fragment = request.htmx and request.htmx.target == COMPARISON_ID
    template = "codereports/public/includes/comparison.html" if fragment else "codereports/public/round.html"
    response = render(request, template, context, status=404 if problem else 200)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _leading() -> list[tuple[str, Any]]:
    """The columns that say whose report each row is, before its answers."""

    def cosigners(response) -> str:
        return "; ".join(organisation.name for organisation in queries.cosigners_of(response.code_report))

    return [
        ("country", lambda response: response.code_report.country.code),
        ("country_name", lambda response: country_name(response.code_report.country.code)),
        ("organisation", lambda response: response.code_report.organisation.name),
        ("cosigners", cosigners),
        ("published_at", lambda response: response.code_report.published_at.isoformat()),
    ]


@require_safe
def round_export(request: HttpRequest, number: int, fmt: str) -> HttpResponseBase:
    from hw4all.questionnaires.exports import export_http_response

    if fmt not in EXPORT_FORMATS:
        raise Http404
    round = get_object_or_404(Round.objects.select_related("questionnaire__current_version"), number=number)
    if round.questionnaire is None or round.questionnaire.current_version is None:
        raise Http404
    return export_http_response(
        fmt=fmt,
        responses=queries.published_responses(round),
        definition=round.questionnaire.current_version.definition,
        filename=f"code-reports-round-{round.number}",
        labels=request.GET.get("labels", "1") != "0",
        language=get_language() or "en",
        leading=_leading(),
    )


@require_safe
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if len(code) != 2 or code not in countries:
        raise Http404
    reports = list(queries.published_reports_of_country(code))
    by_round: dict[Round, list[Report]] = {}
    for report in reports:
        by_round.setdefault(report.round, []).append(report)
    return render(
        request,
        "codereports/public/country.html",
        {
            "code": code,
            "country_name": country_name(code),
            "by_round": [
                (round, [(report, queries.cosigners_of(report)) for report in items])
                for round, items in by_round.items()
            ],
        },
    )
