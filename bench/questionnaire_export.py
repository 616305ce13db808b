"""Questionnaire export benchmark (issue 7: exporting 50,000 responses to CSV streams in under
10 s with flat memory). Builds a fresh site in a temporary folder with production settings
(embedded SQLite), adds a questionnaire of 40 questions of every type (choices with "other",
multiple choices, yes/no, countries, numbers, dates, texts, a matrix, files, a repeated group)
and two copies of it, one with 5,000 and one with 50,000 submitted responses (deterministic seed;
bulk inserts), then, for each:

1. starts the production server (granian, one worker, so one process holds the whole export);
2. asks the Secretariat's CSV export (labels) through HTTP on 127.0.0.1, reading the stream to
   its end, and times the first byte and the whole;
   once as is and once compressed as browsers ask (gzip);
3. reads the worker's peak resident memory (VmHWM in /proc) after a warm-up page and after the
   export, then stops the server.

The same peak for 5,000 and 50,000 responses is what "flat memory" means.

Writes bench/results/questionnaire_export.json.

Usage: python bench/questionnaire_export.py [--small N] [--large N] [--format csv|xlsx|json]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

from common import (
    RESULTS,
    ROOT,
    Target,
    django_setup,
    django_step,
    figure,
    free_port,
    numeral,
    process_tree,
    production_env,
    server_command,
    site_create,
)

SEED = 20240531

# Issue 7, "Benchmark": 50,000 responses exported to CSV stream in under 10 s with flat memory,
# read as: the worker's peak for the large export within a tenth of its peak for the small one.
TARGETS = {
    "seconds": Target(7, under=10, unit="s"),
    "flat_memory": Target(7, holds="flat memory"),
}
FLAT = 1.1


def headline(report: dict) -> list[dict]:
    runs = report["runs"]
    sizes = sorted({int(name.split()[0]) for name in runs})
    small, large = sizes[0], sizes[-1]
    figures = []
    for suffix, label in (("", ""), (" gzip", ", gzip")):
        run = runs[f"{large}{suffix}"]
        figures.append(
            figure(
                f"{large:,} responses, {report['format'].upper()}{label}",
                run["seconds"],
                "s",
                target=TARGETS["seconds"],
                detail=f"first byte {run['first_byte_seconds']} s, {run['megabytes_sent']} MB",
            )
        )
    peak_small, peak_large = runs[str(small)]["peak_rss_mib_after"], runs[str(large)]["peak_rss_mib_after"]
    figures.append(
        figure(
            f"worker's peak memory, {small:,} → {large:,} responses",
            peak_large <= FLAT * peak_small,
            target=TARGETS["flat_memory"],
            detail=f"{numeral(peak_small)} → {numeral(peak_large)} MiB",
        )
    )
    return figures


COUNTRIES = ["KE", "GB", "DE", "PH", "IN", "ZA", "NG", "RO", "BE", "FR", "US", "CA", "GH", "UG", "ZW"]
WORDS = [
    "nurses",
    "midwives",
    "doctors",
    "recruitment",
    "retention",
    "migration",
    "rural",
    "district",
    "salary",
    "training",
    "code",
    "practice",
    "ministry",
    "agreement",
    "bilateral",
    "ethical",
    "diaspora",
    "return",
    "workforce",
    "shortage",
    "policy",
    "budget",
]


def _choices(names: list[str]) -> list[dict]:
    return [{"name": name, "label": {"en": name.replace("_", " ").capitalize()}} for name in names]


def definition_json() -> dict:
    """Forty questions in four sections, every type present."""
    professions = _choices(["nurse", "midwife", "doctor", "pharmacist", "community_health_worker"])
    sectors = _choices(["public", "private", "ngo", "faith_based", "military"])
    agree = _choices(["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"])
    sections: list[dict] = []
    questions: list[dict] = []

    def add(name: str, kind: str, **extra) -> None:
        questions.append(
            {"name": name, "type": kind, "label": {"en": name.replace("_", " ").capitalize()}, **extra}
        )

    for number in range(1, 5):
        add(f"profession_{number}", "select_one", choices=professions, other=True, list_name="professions")
        add(f"sectors_{number}", "select_multiple", choices=sectors, other=number == 1, list_name="sectors")
        add(f"migrated_{number}", "yes_no")
        add(f"years_{number}", "integer", unit={"en": "years"}, minimum=0, maximum=60)
        add(f"salary_{number}", "decimal", minimum=0)
        add(f"comment_{number}", "long_text")
        if number <= 2:
            add(f"country_{number}", "country")
            add(f"countries_{number}", "countries")
            add(f"started_{number}", "date")
        add(f"role_{number}", "text")
        if number == 1:
            add(
                "satisfaction",
                "matrix",
                list_name="agree",
                choices=agree,
                rows=_choices(["pay", "hours", "housing", "training", "supervision"]),
            )
            add("cv", "file")
        if number == 2:
            add(
                "agreements",
                "repeat",
                questions=[
                    {"name": "partner", "type": "country", "label": {"en": "Partner country"}},
                    {"name": "signed", "type": "integer", "label": {"en": "Year signed"}},
                    {"name": "agreement_note", "type": "text", "label": {"en": "Note"}},
                ],
            )
        sections.append({"name": f"part_{number}", "label": {"en": f"Part {number}"}, "questions": questions})
        questions = []
    return {"title": {"en": "Health workforce survey (benchmark)"}, "languages": ["en"], "sections": sections}


def answers_for(rng: random.Random, definition) -> dict:
    """One respondent's answers: most questions answered, as people answer them."""
    answers: dict = {}
    for question in definition.top_questions():
        if rng.random() < 0.1:
            continue
        kind = question.type
        names = [choice.name for choice in question.choices]
        if kind == "select_one":
            value = rng.choice([*names, "other"] if question.other else names)
            answers[question.name] = value
            if value == "other":
                answers[question.other_name] = " ".join(rng.choices(WORDS, k=3))
        elif kind == "select_multiple":
            answers[question.name] = rng.sample(names, rng.randint(1, 3))
        elif kind == "yes_no":
            answers[question.name] = rng.choice(["yes", "no", "dont_know"])
        elif kind == "integer":
            answers[question.name] = rng.randint(0, 40)
        elif kind == "decimal":
            answers[question.name] = round(rng.uniform(100, 5000), 2)
        elif kind in ("text", "long_text"):
            words = rng.choices(WORDS, k=rng.randint(3, 40 if kind == "long_text" else 6))
            answers[question.name] = " ".join(words).capitalize() + "."
        elif kind == "country":
            answers[question.name] = rng.choice(COUNTRIES)
        elif kind == "countries":
            answers[question.name] = rng.sample(COUNTRIES, rng.randint(1, 4))
        elif kind == "date":
            answers[question.name] = (
                f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        elif kind == "matrix":
            answers[question.name] = {row.name: rng.choice(names) for row in question.rows}
        elif kind == "file":
            answers[question.name] = {"id": 1, "name": "cv.pdf", "size": 120_000}
        elif kind == "repeat":
            answers[question.name] = [
                {"partner": rng.choice(COUNTRIES), "signed": rng.randint(2000, 2024), "agreement_note": "MoU"}
                for _ in range(rng.randint(0, 3))
            ]
    return answers


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def step_generate(small: str, large: str) -> None:
    django_setup()
    from importlib import import_module

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db import transaction
    from django.utils import timezone

    from hw4all.questionnaires.definition import Definition
    from hw4all.questionnaires.models import Access, Response, ResponseStatus
    from hw4all.questionnaires.services.questionnaires import questionnaire_create

    definition = Definition.from_json(definition_json())
    rng = random.Random(SEED)
    started = time.monotonic()
    made = {}
    for slug, count in (("bench-small", int(small)), ("bench-large", int(large))):
        questionnaire = questionnaire_create(
            slug=slug, name=f"Benchmark {count}", definition=definition, access=Access.PUBLIC, status="open"
        )
        now = timezone.now()
        with transaction.atomic():
            batch = []
            for _ in range(count):
                batch.append(
                    Response(
                        questionnaire=questionnaire,
                        version=questionnaire.current_version,
                        answers=answers_for(rng, definition),
                        status=ResponseStatus.SUBMITTED,
                        submitted_at=now,
                        language="en",
                    )
                )
                if len(batch) == 2000:
                    Response.objects.bulk_create(batch)
                    batch = []
            Response.objects.bulk_create(batch)
        made[slug] = {"pk": questionnaire.pk, "responses": count}
    user = get_user_model().objects.create_superuser(email="secretariat@example.org", password=None)
    # Staff reach the admin with an authenticator app set up, as production requires.
    TOTP.activate(user, generate_totp_secret())
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    questions = sum(1 for q in definition.questions() if q.type != "note")
    print(
        json.dumps(
            {
                "questionnaires": made,
                "questions": questions,
                "seconds": round(time.monotonic() - started, 1),
                "session": session.session_key,
            }
        )
    )


# The runner.


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_peak_mib(server_pid: int) -> float:
    """The largest peak resident memory among the server's processes (the worker's)."""
    return round(max(memory_kib(pid, "VmHWM") for pid in process_tree(server_pid)) / 1024, 1)


def download(url: str, session: str, *, gzip: bool) -> dict:
    headers = {"Cookie": f"sessionid={session}"}
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    first_byte = None
    size = 0
    lines = 0
    with urllib.request.urlopen(request, timeout=120) as response:
        kind = response.headers.get("Content-Type", "")
        if response.status != 200 or "html" in kind:
            raise RuntimeError(f"not an export: {response.status} {kind} {response.read(2000)!r}")
        compressed = response.headers.get("Content-Encoding") == "gzip"
        # The lines are counted in what the browser would save, compressed or not.
        unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if compressed else None
        while chunk := response.read(64 * 1024):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            lines += (unzip.decompress(chunk) if unzip else chunk).count(b"\n")
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "first_byte_seconds": round(first_byte or 0, 3),
        "megabytes_sent": round(size / 1e6, 1),
        "gzip": compressed,
        "lines": lines,
    }


def measure(env: dict, port: int, pk: int, fmt: str, session: str, *, gzip: bool) -> dict:
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(server_command(port, workers=1, threads=2), env=env, cwd=ROOT)
    try:
        warm = f"{base}/admin/questionnaires/{pk}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(
                    urllib.request.Request(warm, headers={"Cookie": f"sessionid={session}"})
                )
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        before = worker_peak_mib(server.pid)
        result = download(f"{base}/admin/questionnaires/{pk}/export/{fmt}/?labels=1", session, gzip=gzip)
        result["peak_rss_mib_before"] = before
        result["peak_rss_mib_after"] = worker_peak_mib(server.pid)
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "generate":
        step_generate(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx", "json"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-export-") as var_dir:
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port, PAGE_CACHE_SECONDS="0")
        site_create(env)
        generated = django_step(__file__, env, "generate", str(args.small), str(args.large))
        print(f"Generated {generated}", flush=True)
        runs = {}
        for gzip in (False, True):
            for made in generated["questionnaires"].values():
                name = f"{made['responses']}{' gzip' if gzip else ''}"
                runs[name] = measure(env, port, made["pk"], args.format, generated["session"], gzip=gzip)
                print(f"{name}: {runs[name]}", flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "questionnaire export",
        "format": args.format,
        "server": "granian, 1 worker (2 threads), production settings, DEBUG off, SQLite",
        "cpus": os.cpu_count(),
        "questions": generated["questions"],
        "generated_seconds": generated["seconds"],
        "runs": runs,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    name = "questionnaire_export.json" if args.format == "csv" else f"questionnaire_export-{args.format}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
