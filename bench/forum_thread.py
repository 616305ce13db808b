"""Forum thread benchmark (issue 6: a thread with 2,000 comments renders with a bounded number of
queries and p95 <= 100 ms). Builds a fresh site in a temporary folder with production settings
(embedded SQLite, the demo loaded as `make run` does), adds an open space with 60 members and a
thread of 2,000 comments (deterministic seed; Markdown bodies rendered as the services render
them; replies up to ten levels deep, some edited, hidden or deleted; bulk inserts), then:

1. counts the SQL queries of the thread's first page, its last page and a 20-comment thread, for
   an anonymous visitor and a signed-in member, in a process of its own (Django's test client and
   CaptureQueriesContext, the very view code the server runs);
2. serves the site with granian (2 workers) and times the thread's first page with one client
   (p50/p95/p99), as an anonymous visitor of the open space and as a signed-in member (whose page
   has reply, edit and report links);
3. loads the same pages with wrk at 8 connections for the throughput.

Writes bench/results/forum_thread.json.

Usage: python bench/forum_thread.py [--comments N] [--requests N] [--duration SECONDS] [--quick]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import (
    RESULTS,
    ROOT,
    Target,
    cpu_shares,
    cpu_times,
    demo_site_create,
    django_setup,
    django_step,
    figure,
    free_port,
    latency_detail,
    production_env,
    server_command,
    timing_summary,
    wait_until_up,
)

WORKERS = 2
SEED = 20100521
MEMBERS = 60

# Issue 6, "Benchmark": a thread of 2,000 comments, a bounded number of queries and p95 <= 100 ms.
TARGETS = {
    "bounded_queries": Target(6, holds="the same queries on every page and on a short thread"),
    "p95": Target(6, at_most=100, unit="ms"),
}


def headline(report: dict) -> list[dict]:
    counts = report["queries"]["queries"]
    bounded = all(len(set(pages.values())) == 1 for pages in counts.values())
    comments = report["generated"]["comments"]
    figures = [
        figure(
            f"SQL queries, first and last page of {comments:,} comments and a 20-comment thread",
            bounded,
            target=TARGETS["bounded_queries"],
            detail=", ".join(
                f"{who} {' / '.join(str(count) for count in pages.values())}" for who, pages in counts.items()
            ),
        )
    ]
    for who in ("anonymous", "member"):
        timed = report["one_client"][f"{who}_long"]
        figures.append(
            figure(
                f"{who}, first page of {comments:,} comments, p95, one client",
                timed["p95_ms"],
                "ms",
                target=TARGETS["p95"],
                detail=latency_detail(timed),
            )
        )
    for who, loaded in report["throughput"].items():
        figures.append(
            figure(
                f"{who}, {report['connections']} connections",
                loaded.get("requests_per_second"),
                "req/s",
                detail="; ".join(loaded.get("errors", [])),
            )
        )
    return figures


WORDS = [
    "health",
    "workers",
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
    "of",
    "practice",
    "ministry",
    "agreement",
    "bilateral",
    "ethical",
    "diaspora",
    "return",
    "workforce",
    "density",
    "shortage",
    "policy",
    "budget",
    "coalition",
    "advocacy",
    "report",
    "country",
    "civil",
    "society",
    "evidence",
]


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def _body(rng: random.Random, handles: list[str]) -> str:
    """A comment as members write them: a few sentences, sometimes a list, a link, emphasis or a
    mention."""
    sentences = []
    for _ in range(rng.randint(1, 5)):
        words = rng.choices(WORDS, k=rng.randint(6, 22))
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
        if rng.random() < 0.1:
            words.append(f"@{rng.choice(handles)}")
        sentences.append(" ".join(words).capitalize() + ".")
    body = " ".join(sentences)
    if rng.random() < 0.15:
        body += "\n\n" + "\n".join(f"- {' '.join(rng.choices(WORDS, k=5))}" for _ in range(3))
    if rng.random() < 0.1:
        body += "\n\nSee [the WHO Code](https://www.who.int/publications/i/item/wha68.32)."
    return body


def step_generate(count: str) -> None:
    """The space, its members, a thread of `count` comments and a small one; a signed-in
    member's session."""
    django_setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from hw4all.forum import mentions
    from hw4all.forum.factories import SpaceFactory, member_of
    from hw4all.forum.markdown import markdown_html
    from hw4all.forum.models import Comment, SpaceKind, Thread
    from hw4all.forum.services import access

    rng = random.Random(SEED)
    total = int(count)
    started = time.monotonic()
    with transaction.atomic():
        space = SpaceFactory(name="Bench space", slug="bench-space", kind=SpaceKind.GLOBAL, is_open=True)
        members = [
            member_of(space, country=rng.choice(["KE", "RO", "BE", "PH", "ZA"])) for _ in range(MEMBERS)
        ]
        handles = [access.participant_for(member).handle for member in members]
        threads = {}
        for title, size in (("Bench: a long discussion", total), ("Bench: a short discussion", 20)):
            start = timezone.now() - timedelta(days=30)
            thread = Thread.objects.create(space=space, title=title, created_by=members[0], created_at=start)
            made: list[tuple[int, int]] = []  # (pk, depth)
            for number in range(size):
                parent, depth = None, 0
                if made and rng.random() < 0.75:
                    # Mostly answers to recent comments, as conversations go.
                    parent, parent_depth = made[max(0, len(made) - 1 - int(rng.expovariate(0.05)))]
                    depth = parent_depth + 1
                    if depth > 10:
                        parent, depth = None, 0
                body = _body(rng, handles)
                html = markdown_html(body)
                html = mentions.mentions_mark(html, mentions.mention_handles(html))
                created = start + timedelta(minutes=number * 10)
                comment = Comment.objects.create(
                    thread=thread,
                    parent_id=parent,
                    author=rng.choice(members),
                    body=body,
                    body_html=html,
                    created_at=created,
                    edited_at=created + timedelta(minutes=3) if rng.random() < 0.05 else None,
                    is_hidden=rng.random() < 0.01,
                )
                made.append((comment.pk, depth))
            Thread.objects.filter(pk=thread.pk).update(
                comment_count=size, last_activity_at=start + timedelta(minutes=size * 10)
            )
            threads[title] = thread
        viewer = members[1]
        session = SessionStore()
        session[SESSION_KEY] = str(viewer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
        session.create()
    long_thread = threads["Bench: a long discussion"]
    print(
        json.dumps(
            {
                "comments": total,
                "members": MEMBERS,
                "seconds": round(time.monotonic() - started, 1),
                "thread": long_thread.get_absolute_url(),
                "short_thread": threads["Bench: a short discussion"].get_absolute_url(),
                "session": session.session_key,
                "viewer": viewer.pk,
            }
        )
    )


def step_queries(long_url: str, short_url: str, viewer: str) -> None:
    """The queries of each page, asked twice and the second counted (the first fills per-process
    caches, such as the site of the host)."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hw4all.forum.models import Thread
    from hw4all.forum.queries.discussions import comment_tree

    thread = Thread.objects.get(title="Bench: a long discussion")
    pages = comment_tree(thread=thread).page.paginator.num_pages
    counts: dict[str, dict[str, int]] = {}
    for who in ("anonymous", "member"):
        client = Client(SERVER_NAME="127.0.0.1")
        if who == "member":
            client.force_login(get_user_model().objects.get(pk=int(viewer)))
        counts[who] = {}
        for name, url in (
            ("long_first_page", long_url),
            ("long_last_page", f"{long_url}?page={pages}"),
            ("short", short_url),
        ):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts[who][name] = len(queries)
    print(json.dumps({"pages": pages, "queries": counts}))


# The runner.


def latencies(url: str, requests: int, headers: dict[str, str]) -> dict:
    timings = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            size = len(response.read())
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "requests": requests,
        "bytes": size,
        **timing_summary(timings),
    }


def throughput(url: str, duration: int, connections: int, headers: dict[str, str]) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    before = cpu_times()
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result: dict = {"cpu": cpu_shares(before, cpu_times())}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in {"50%", "90%", "99%"}:
            result[f"p{parts[0].rstrip('%')}"] = parts[1]
        elif "Non-2xx" in line or "Socket errors" in line:
            result.setdefault("errors", []).append(line.strip())
    return result


def main() -> None:
    steps = {"generate": step_generate, "queries": step_queries}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200, help="requests timed with one client")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "15")))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--quick", action="store_true", help="50 requests, 5-second loads: for trying")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.duration = 50, 5
    use_wrk = shutil.which("wrk") is not None

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-forum-") as var_dir:
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port, PAGE_CACHE_SECONDS="0")
        demo_site_create(env)
        generated = django_step(__file__, env, "generate", str(args.comments))
        print(f"Generated {generated}", flush=True)
        queries = django_step(
            __file__, env, "queries", generated["thread"], generated["short_thread"], str(generated["viewer"])
        )
        print(f"Queries {queries}", flush=True)

        base = f"http://127.0.0.1:{port}"
        viewers = {
            "anonymous": {"Accept-Encoding": "gzip"},
            "member": {"Accept-Encoding": "gzip", "Cookie": f"sessionid={generated['session']}"},
        }
        one_client: dict[str, dict] = {}
        loaded: dict[str, dict] = {}
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        try:
            wait_until_up(base + generated["thread"], server)
            for who, headers in viewers.items():
                for name, path in (("long", generated["thread"]), ("short", generated["short_thread"])):
                    url = base + path
                    for _ in range(10):  # both workers warm
                        urllib.request.urlopen(
                            urllib.request.Request(url, headers=headers), timeout=30
                        ).read()
                    one_client[f"{who}_{name}"] = latencies(url, args.requests, headers)
                    print(f"One client, {who}, {name} thread: {one_client[f'{who}_{name}']}", flush=True)
                if use_wrk:
                    loaded[who] = throughput(
                        base + generated["thread"], args.duration, args.connections, headers
                    )
                    print(f"{args.connections} connections, {who}: {loaded[who]}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "forum thread",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, gzip",
        "cpus": os.cpu_count(),
        "generated": {key: generated[key] for key in ("comments", "members", "seconds")},
        "queries": queries,
        "one_client": one_client,
        "connections": args.connections,
        "throughput": loaded,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    name = "forum_thread-quick.json" if args.quick else "forum_thread.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
