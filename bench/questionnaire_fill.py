"""Questionnaire form benchmark (issue 7: a questionnaire of 200 questions renders and saves a draft
in p95 <= 150 ms). Builds a fresh site in a temporary folder with production settings (embedded
SQLite), adds a public questionnaire of 200 questions (ten sections of mixed types: texts,
numbers with bounds, dates, yes/no, single and multiple choices with "other", countries, a
matrix, a file, a repeated group with three blocks, skip logic on a tenth of the questions) and a
response with every question answered, then:

1. counts the SQL queries of the form's page and of a draft save, in a process of its own
   (Django's test client and CaptureQueriesContext, the very view code the server runs);
2. serves the site with granian (2 workers) and, with one client, N times: GETs the form (timed),
   then POSTs the whole form back as the page does, with one answer changed (timed: the save, the
   merge answer by answer and the redirect).

Writes bench/results/questionnaire_fill.json.

Usage: python bench/questionnaire_fill.py [--requests N] [--quick]
"""

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from common import (
    RESULTS,
    ROOT,
    Target,
    django_setup,
    django_step,
    figure,
    free_port,
    production_env,
    server_command,
    site_create,
    timing_summary,
    wait_until_up,
)

WORKERS = 2
SECTIONS = 10
PER_SECTION = 20

# Issue 7, "Benchmark": a questionnaire of 200 questions renders and saves a draft in p95 <= 150 ms.
TARGETS = {
    "form_page": Target(7, at_most=150, unit="ms"),
    "draft_save": Target(7, at_most=150, unit="ms"),
}


def headline(report: dict) -> list[dict]:
    questions = report["generated"]["questions"]
    return [
        figure(
            f"{title} of {questions} questions, p95, one client",
            report[name]["p95_ms"],
            "ms",
            target=TARGETS[name],
            detail=f"p50 {report[name]['p50_ms']}, p99 {report[name]['p99_ms']} ms; "
            f"{report['queries'][name]} queries",
        )
        for name, title in (("form_page", "form page"), ("draft_save", "draft save"))
    ]


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def _definition() -> dict:
    """Ten sections of twenty questions; the kinds come round in a fixed order."""
    choices = [{"name": f"c{n}", "label": {"en": f"Choice {n}", "fr": f"Choix {n}"}} for n in range(1, 6)]
    sections = []
    number = 0
    for section_index in range(SECTIONS):
        questions: list[dict] = []
        for position in range(PER_SECTION):
            number += 1
            name = f"q{number:03d}"
            label = {
                "en": f"Question {number}: how does your facility manage this?",
                "fr": f"Question {number}",
            }
            kind = position % 10
            question: dict = {"name": name, "label": label, "hint": {"en": "Answer as of today."}}
            if kind in (0, 7):
                question["type"] = "text"
            elif kind == 1:
                question.update(type="long_text")
            elif kind == 2:
                question.update(type="integer", minimum=0, maximum=100000, unit={"en": "people"})
            elif kind == 3:
                question.update(type="decimal", minimum=0, maximum=100)
            elif kind == 4:
                question.update(type="yes_no", required=True)
            elif kind == 5:
                question.update(type="select_one", choices=choices, other=True)
            elif kind == 6:
                question.update(type="select_multiple", choices=choices)
            elif kind == 8:
                question.update(type="date")
            else:
                question.update(type="text", relevant=f"${{q{number - 5:03d}}} = 'yes'")
            questions.append(question)
        if section_index == 3:
            questions[-1] = {"name": questions[-1]["name"], "type": "country", "label": {"en": "Country"}}
        if section_index == 4:
            questions[-1] = {"name": questions[-1]["name"], "type": "countries", "label": {"en": "Countries"}}
        if section_index == 5:
            questions[-1] = {
                "name": questions[-1]["name"],
                "type": "matrix",
                "label": {"en": "How far do you agree?"},
                "rows": [{"name": f"r{n}", "label": {"en": f"Statement {n}"}} for n in range(1, 7)],
                "choices": choices,
            }
        if section_index == 6:
            questions[-1] = {"name": questions[-1]["name"], "type": "file", "label": {"en": "A document"}}
        if section_index == 7:
            questions[-1] = {
                "name": questions[-1]["name"],
                "type": "repeat",
                "label": {"en": "Agreements"},
                "questions": [
                    {"name": "partner", "type": "country", "label": {"en": "Partner"}},
                    {
                        "name": "year",
                        "type": "integer",
                        "label": {"en": "Year"},
                        "minimum": 1990,
                        "maximum": 2030,
                    },
                    {"name": "kind", "type": "select_one", "label": {"en": "Kind"}, "choices": choices},
                    {"name": "active", "type": "yes_no", "label": {"en": "Active?"}},
                    {"name": "notes", "type": "text", "label": {"en": "Notes"}},
                ],
            }
        sections.append(
            {
                "name": f"s{section_index + 1}",
                "label": {"en": f"Part {section_index + 1}"},
                "questions": questions,
            }
        )
    return {
        "title": {"en": "Facility survey"},
        "languages": ["en", "fr"],
        "default_language": "en",
        "sections": sections,
    }


def _answers(definition) -> dict:
    answers: dict = {}
    for question in definition.top_questions():
        kind = str(question.type)
        if kind in ("text", "long_text"):
            answers[question.name] = f"An answer of a few words to {question.name}."
        elif kind == "integer":
            answers[question.name] = 120
        elif kind == "decimal":
            answers[question.name] = 42.5
        elif kind == "yes_no":
            answers[question.name] = "yes"
        elif kind == "select_one":
            answers[question.name] = "c2"
        elif kind == "select_multiple":
            answers[question.name] = ["c1", "c3"]
        elif kind == "date":
            answers[question.name] = "2024-06-30"
        elif kind == "country":
            answers[question.name] = "KE"
        elif kind == "countries":
            answers[question.name] = ["GB", "KE"]
        elif kind == "matrix":
            answers[question.name] = {row.name: "c4" for row in question.rows}
        elif kind == "repeat":
            answers[question.name] = [
                {"partner": code, "year": 2015, "kind": "c1", "active": "yes", "notes": "Nurses"}
                for code in ("GB", "DE", "SA")
            ]
    return answers


def step_generate() -> None:
    django_setup()
    from django.http import QueryDict

    from hw4all.questionnaires.definition import Definition
    from hw4all.questionnaires.models import Access, QuestionnaireStatus
    from hw4all.questionnaires.rendering import flatten
    from hw4all.questionnaires.services.questionnaires import questionnaire_create
    from hw4all.questionnaires.services.responses import response_save, response_start

    definition = Definition.from_json(_definition())
    questionnaire = questionnaire_create(
        slug="facility-survey",
        name="Facility survey",
        definition=definition,
        access=Access.PUBLIC,
        status=QuestionnaireStatus.OPEN,
    )
    response = response_start(questionnaire=questionnaire, language="en")
    data = QueryDict(mutable=True)
    for key, values in flatten(definition, _answers(definition)).items():
        data.setlist(key, values)
    result = response_save(response=response, data=data, files={}, base_revision=0)
    assert not result.errors, result.errors
    questions = sum(1 for _ in definition.questions())
    print(
        json.dumps(
            {
                "questions": questions,
                "top_level_questions": sum(1 for _ in definition.top_questions()),
                "answers": len(response.answers),
                "url": f"/en/surveys/{questionnaire.slug}/r/{response.key}/",
            }
        )
    )


def _form_fields(page: str) -> list[tuple[str, str]]:
    """The fields a browser posts from the page's form (hidden, text, number, date, textarea,
    checked boxes and radios, selected options), without buttons and files."""
    form = page[page.index('<form method="post"') : page.index("</form>")]
    fields: list[tuple[str, str]] = []
    for tag in re.finditer(r"<input\b([^>]*)>", form):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
        flags = tag.group(1)
        kind = attributes.get("type", "text")
        if "name" not in attributes or kind in ("file", "submit"):
            continue
        if kind in ("checkbox", "radio") and " checked" not in flags:
            continue
        fields.append((html.unescape(attributes["name"]), html.unescape(attributes.get("value", ""))))
    for area in re.finditer(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((html.unescape(area.group(1)), html.unescape(area.group(2))))
    for select in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        for option in re.finditer(r'<option value="([^"]*)" selected>', select.group(2)):
            fields.append((html.unescape(select.group(1)), html.unescape(option.group(1))))
    # The repeat's <template> is not part of the form.
    return [(name, value) for name, value in fields if "__index__" not in name]


def step_queries(url: str) -> None:
    """The queries of the form page and of a draft save, asked twice and the second counted."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    counts["form_page"] = len(queries)
    fields = _form_fields(page.content.decode())
    body = {}
    for name, value in fields:
        body.setdefault(name, []).append(value)
    body["q001"] = ["Changed once"]
    body["save"] = ["1"]
    with CaptureQueriesContext(connection) as queries:
        saved = client.post(url, body)
    assert saved.status_code == 302, saved.status_code
    counts["draft_save"] = len(queries)
    print(json.dumps({"queries": counts, "fields_posted": len(fields)}))


# The runner.


def main() -> None:
    steps = {"generate": step_generate, "queries": step_queries}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300, help="GETs and POSTs timed with one client")
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--quick", action="store_true", help="50 requests: for trying")
    args = parser.parse_args()
    if args.quick:
        args.requests = 50

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-questionnaire-fill-") as var_dir:
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port, RATE_LIMITS_ENABLED="0")
        site_create(env)
        generated = django_step(__file__, env, "generate")
        print(f"Generated {generated}", flush=True)
        queries = django_step(__file__, env, "queries", generated["url"])
        print(f"Queries {queries}", flush=True)

        base = f"http://127.0.0.1:{port}"
        url = base + generated["url"]
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        get_ms: list[float] = []
        post_ms: list[float] = []
        sizes = {}
        try:
            wait_until_up(base + "/en/surveys/", server)

            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *arguments, **keywords):
                    return None

            # The production CSRF cookie is Secure, so it is sent by hand over loopback's HTTP.
            opener = urllib.request.build_opener(NoRedirect)
            cookie = ""
            for number in range(10 + args.requests):  # the first ten warm both workers
                started = time.perf_counter()
                with opener.open(
                    urllib.request.Request(url, headers={"Cookie": cookie}), timeout=30
                ) as reply:
                    page = reply.read().decode()
                    set_cookie = reply.headers.get("Set-Cookie", "")
                got = (time.perf_counter() - started) * 1000
                if not cookie:
                    cookie = set_cookie.split(";", 1)[0]
                fields = [(name, value) for name, value in _form_fields(page) if name != "q001"]
                fields += [("q001", f"Changed {number} times"), ("save", "1")]
                body = urllib.parse.urlencode(fields).encode()
                request = urllib.request.Request(url, data=body, headers={"Referer": url, "Cookie": cookie})
                started = time.perf_counter()
                try:
                    opener.open(request, timeout=30).read()
                    status = 200
                except urllib.error.HTTPError as error:
                    status = error.code
                posted = (time.perf_counter() - started) * 1000
                if status != 302:
                    raise RuntimeError(f"the save answered {status}")
                if number >= 10:
                    get_ms.append(got)
                    post_ms.append(posted)
                sizes = {
                    "page_bytes": len(page.encode()),
                    "post_bytes": len(body),
                    "fields_posted": len(fields),
                }
        finally:
            server.terminate()
            server.wait(timeout=30)

    report = {
        "benchmark": "questionnaire form",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite",
        "cpus": os.cpu_count(),
        "generated": generated,
        "queries": queries["queries"],
        "sizes": sizes,
        "form_page": {"requests": len(get_ms), **timing_summary(get_ms)},
        "draft_save": {"requests": len(post_ms), **timing_summary(post_ms)},
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "questionnaire_fill-quick.json" if args.quick else "questionnaire_fill.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
