"""Code reporting dashboard benchmark (issue 7: a round's dashboard with 200 published reports
renders in well under 200 ms). Builds a fresh site in a temporary folder (embedded SQLite, the
shipped rounds and civil-society questionnaire loaded by codereports_load), adds 200 published
reports on 120 countries by 60 organisations with answers to every question (deterministic seed;
bulk inserts), then, in a process of its own with Django's test client (the very view code the
server runs, without the page cache), counts the SQL queries and times the round's dashboard
without a question and with a choice, a matrix, a repeated group, a question inside one and a
long text (wall-clock time, and the process's CPU time, which a busy machine does not inflate).

Writes bench/results/codereports_dashboard.json.

Usage: python bench/codereports_dashboard.py [--reports N] [--requests N]
"""

import argparse
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time

from common import RESULTS, ROOT, Target, django_setup, django_step, figure, site_create, timing_summary

SEED = 20100521

# Issue 7 sets no figure for the dashboard; this benchmark's own goal is a page well under 200 ms
# with a number of queries that does not grow with the reports.
TARGETS = {"p95": Target(None, under=200, unit="ms")}


def headline(report: dict) -> list[dict]:
    dashboards = report["dashboard"]
    slowest = max(dashboards, key=lambda label: dashboards[label]["p95_ms"])
    timed = dashboards[slowest]
    return [
        figure(
            f"round dashboard, {report['reports']} reports, SQL queries (most of any question)",
            max(result["queries"] for result in dashboards.values()),
            "queries",
        ),
        figure(
            "round dashboard p95, slowest question kind, in process",
            timed["p95_ms"],
            "ms",
            target=TARGETS["p95"],
            detail=f"{slowest}; p50 {timed['p50_ms']} ms, CPU p95 {timed['cpu']['p95_ms']} ms",
        ),
    ]


WORDS = [
    "health",
    "workers",
    "nurses",
    "midwives",
    "recruitment",
    "retention",
    "migration",
    "rural",
    "agency",
    "code",
    "article",
]


def _answer(question, rng: random.Random, country_codes: list[str]):
    from hw4all.questionnaires.definition import YES_NO_CHOICES, QuestionType

    kind = question.type
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return " ".join(rng.choices(WORDS, k=rng.randint(3, 40)))
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        low = question.minimum if isinstance(question.minimum, int | float) else 0
        high = question.maximum if isinstance(question.maximum, int | float) else 1000
        return rng.randint(int(low), int(min(high, low + 1000)))
    if kind == QuestionType.DATE:
        return f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    if kind == QuestionType.YES_NO:
        return rng.choice(YES_NO_CHOICES)
    if kind == QuestionType.SELECT_ONE:
        return rng.choice(question.choices).name
    if kind == QuestionType.SELECT_MULTIPLE:
        return [choice.name for choice in rng.sample(question.choices, rng.randint(1, len(question.choices)))]
    if kind == QuestionType.COUNTRY:
        return rng.choice(country_codes)
    if kind == QuestionType.COUNTRIES:
        return rng.sample(country_codes, 3)
    if kind == QuestionType.MATRIX:
        return {row.name: rng.choice(question.choices).name for row in question.rows}
    if kind == QuestionType.REPEAT:
        return [
            {
                inner.name: value
                for inner in question.questions
                if (value := _answer(inner, rng, country_codes)) is not None
            }
            for _block in range(rng.randint(0, 3))
        ]
    return None


def populate(reports: int) -> None:
    """Step 1 (own process): the shipped rounds and questionnaire, and `reports` published reports."""
    django_setup()
    from django.core.management import call_command
    from django.utils import timezone
    from django_countries import countries

    from hw4all.coalition.models import Organisation
    from hw4all.codereports.models import CoSignature, Report, ReportStatus, Round
    from hw4all.questionnaires.models import Response, ResponseStatus

    call_command("codereports_load", stdout=io.StringIO())
    rng = random.Random(SEED)
    round = Round.objects.get(is_current=True)
    version = round.questionnaire.current_version
    definition = version.definition
    codes = [code for code, _name in countries]
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Health Action {index}", slug=f"health-action-{index}", is_member=True)
        for index in range(60)
    )
    reported = rng.sample(codes, 120)
    pairs = []
    while len(pairs) < reports:
        pair = (rng.choice(reported), rng.choice(organisations))
        if pair not in pairs:
            pairs.append(pair)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=round.questionnaire,
            version=version,
            organisation=organisation,
            status=ResponseStatus.SUBMITTED,
            submitted_at=now,
            answers={
                question.name: value
                for question in definition.top_questions()
                if (value := _answer(question, rng, codes)) is not None
            },
        )
        for _country, organisation in pairs
    )
    created = Report.objects.bulk_create(
        Report(
            round=round,
            country=country,
            organisation=organisation,
            response=response,
            status=ReportStatus.PUBLISHED,
            submitted_at=now,
            published_at=now,
        )
        for (country, organisation), response in zip(pairs, responses, strict=True)
    )
    CoSignature.objects.bulk_create(
        CoSignature(
            report=report, organisation=rng.choice([o for o in organisations if o != report.organisation])
        )
        for report in created[::3]
    )
    print(json.dumps({"round": round.number, "reports": len(created)}))


def measure(requests: int) -> None:
    """Step 2 (own process): queries and times of the dashboard, per question kind."""
    django_setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hw4all.codereports.models import Round
    from hw4all.questionnaires.definition import QuestionType

    round = Round.objects.get(is_current=True)
    definition = round.questionnaire.current_version.definition
    top = list(definition.top_questions())

    def first(kind):
        return next(question.name for question in top if question.type == kind)

    repeat = next(question for question in top if question.type == QuestionType.REPEAT)
    questions = {
        "none": "",
        "select_one": first(QuestionType.SELECT_ONE),
        "matrix": next((q.name for q in top if q.type == QuestionType.MATRIX), ""),
        "repeat": repeat.name,
        "inside_repeat": repeat.questions[0].name,
        "long_text": first(QuestionType.LONG_TEXT),
    }
    # One connection for the whole run, as a server's thread keeps it, and so the captured
    # queries are not lost when a request ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for label, name in questions.items():
        if label != "none" and not name:
            continue
        url = f"/en/code-reporting/rounds/{round.number}/" + (f"?question={name}" if name else "")
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured)
        timings, cpu = [], []
        for _index in range(requests):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        results[label] = {
            "question": name,
            "queries": queries,
            "bytes": len(response.content),
            **timing_summary(timings),
            # The process's own CPU time: what the page costs when other work shares the machine.
            "cpu": timing_summary(cpu),
        }
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="hw4all-bench-codereports-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hw4all.settings.dev",
        "DEBUG": "0",
        "HW4ALL_VAR_DIR": var_dir,
        "DATABASE_URL": f"sqlite:///{var_dir}/db.sqlite3",
        "PAGE_CACHE_SECONDS": "0",
        "TASKS_BACKEND": "immediate",
    }
    try:
        site_create(env)
        populated = django_step(__file__, env, "--step", "populate", str(args.reports))
        timings = django_step(__file__, env, "--step", "measure", str(args.requests))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    result = {"reports": populated["reports"], "requests": args.requests, "dashboard": timings}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "codereports_dashboard.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        {"populate": populate, "measure": measure}[sys.argv[2]](int(sys.argv[3]))
    else:
        os.chdir(ROOT)
        main()
