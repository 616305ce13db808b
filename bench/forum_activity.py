"""Forum activity page benchmark (issue 6). Builds a fresh site in a temporary folder with
production settings (embedded SQLite: migrate and collectstatic, no demo), bulk-inserts one open
space with N activities (default 100,000; deterministic seed) spread over two years by 300
members, about a third of them about 2,000 discussions and their comments, a few of those hidden,
then measures the space's activity page (50 lines a page, keyset pagination) at page 1 and at
page 500, whose cursor is built from the 24,950th newest activity:

1. the SQL queries of each page and SQLite's plan for the page's query, in a process of its own
   with Django's test client (the count is of the very view code the server runs);
2. the latency of each page with one client (urllib), a bounded number of requests each
   (p50/p95/p99), served by granian with 2 workers, DEBUG off;
3. the throughput of each page with wrk at 16 connections (skipped with --no-wrk).

Writes bench/results/forum_activity.json (forum_activity-quick.json with --quick).

Usage: python bench/forum_activity.py [--activities N] [--quick] [--requests N] [--duration SECONDS]
"""

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import (
    RESULTS,
    ROOT,
    Target,
    cpu_shares,
    cpu_times,
    django_setup,
    django_step,
    figure,
    free_port,
    latency_detail,
    production_env,
    server_command,
    site_create,
    wait_until_up,
)
from practices import latencies, throughput

WORKERS = 2
SEED = 20100521
SLUG = "bench-global"
PER_PAGE = 50
DEEP_PAGE = 500
MEMBERS = 300
THREADS = 2000
IN_PROCESS_REQUESTS = 40

# Issue 6, "Benchmark": with 100,000 activities, page 500 at the same speed as page 1 (keyset
# pagination). "The same" is read as a p95 within a quarter, and at most one more query (the
# deep page asks whether anything newer exists).
TARGETS = {
    "same_speed": Target(6, at_most=1.25, unit="× page 1's p95"),
    "same_queries": Target(6, holds="at most one query more on page 500"),
}


def headline(report: dict) -> list[dict]:
    deep = f"page_{DEEP_PAGE}"
    queries = report["queries"]
    activities = report["generated"]["activities"]
    figures = [
        figure(
            f"page {DEEP_PAGE} p95 over page 1 p95, one client ({activities:,} activities)",
            report["targets"]["p95_deep_over_first"],
            "×",
            target=TARGETS["same_speed"],
        ),
        figure(
            "SQL queries, page 1 and page 500",
            queries[deep]["then"] - queries["page_1"]["then"] <= 1,
            target=TARGETS["same_queries"],
            detail=f"{queries['page_1']['then']} and {queries[deep]['then']}",
        ),
    ]
    for name in ("page_1", deep):
        timed = report["one_client"][name]
        figures.append(
            figure(
                f"{name.replace('_', ' ')}, p95, one client",
                timed["p95_ms"],
                "ms",
                detail=latency_detail(timed),
            )
        )
    for name, loaded in report["throughput"].items():
        figures.append(
            figure(
                f"{name.replace('_', ' ')}, {report['connections']} connections",
                loaded["requests_per_second"],
                "req/s",
                detail=latency_detail(loaded),
            )
        )
    return figures


def step_generate(total: str) -> None:
    """The space, its members, discussions and `total` activities, by bulk inserts."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from hw4all.forum.models import (
        Activity,
        ActivityKind,
        Comment,
        MembershipStatus,
        Participant,
        Space,
        SpaceKind,
        SpaceMembership,
        Thread,
    )

    wanted = int(total)
    rng = random.Random(SEED)
    started = time.monotonic()
    now = timezone.now()
    span = datetime.timedelta(days=730)
    user_model = get_user_model()
    with transaction.atomic():
        space = Space.objects.create(name="Global space", slug=SLUG, kind=SpaceKind.GLOBAL, is_open=True)
        users = user_model.objects.bulk_create(
            [
                user_model(
                    email=f"bench-{n}@example.org", first_name="Member", last_name=str(n), password="!"
                )
                for n in range(MEMBERS)
            ]
        )
        users = list(user_model.objects.filter(email__startswith="bench-").order_by("pk"))
        Participant.objects.bulk_create(
            [
                Participant(
                    user=user, handle=f"member-{n}", display_name=f"Member {n}", unsubscribe_token=f"t{n}"
                )
                for n, user in enumerate(users)
            ]
        )
        SpaceMembership.objects.bulk_create(
            [
                SpaceMembership(space=space, user=user, status=MembershipStatus.ACTIVE, joined_at=now - span)
                for user in users
            ]
        )
        Thread.objects.bulk_create(
            [
                Thread(
                    space=space,
                    title=f"Discussion {n} on retention of nurses in rural districts",
                    created_by=rng.choice(users),
                    created_at=now - span,
                    # One in a hundred hidden by the moderators: its lines are placeholders.
                    is_hidden=n % 100 == 7,
                )
                for n in range(THREADS)
            ]
        )
        threads = list(Thread.objects.filter(space=space).order_by("pk"))
        Comment.objects.bulk_create(
            [
                Comment(
                    thread=rng.choice(threads),
                    author=rng.choice(users),
                    body="Agreed.",
                    body_html="<p>Agreed.</p>",
                )
                for _ in range(wanted // 6)
            ]
        )
        comments = list(Comment.objects.filter(thread__space=space).values_list("pk", "thread_id"))
        moments = sorted(now - span * rng.random() for _ in range(wanted))
        batch = []
        for number, moment in enumerate(moments):
            draw = rng.random()
            if draw < 0.17 and comments:
                comment_id, thread_id = comments[number % len(comments)]
                fields = {
                    "kind": ActivityKind.COMMENT_POSTED,
                    "thread_id": thread_id,
                    "comment_id": comment_id,
                }
            elif draw < 0.33:
                fields = {"kind": ActivityKind.THREAD_STARTED, "thread_id": threads[number % THREADS].pk}
            else:
                fields = {"kind": ActivityKind.MEMBER_JOINED}
            batch.append(
                Activity(
                    space=space,
                    actor=users[number % MEMBERS],
                    summary=f"Discussion {number % THREADS} on retention of nurses in rural districts",
                    created_at=moment,
                    **fields,
                )
            )
            if len(batch) == 5000:
                Activity.objects.bulk_create(batch)
                batch = []
        Activity.objects.bulk_create(batch)
    newest = Activity.objects.filter(space=space).order_by("-created_at", "-id")
    # The cursor "Older" carries from page 499 to page 500: the last line of page 499.
    before = newest[(DEEP_PAGE - 1) * PER_PAGE - 1]
    from hw4all.forum.queries.spaces import cursor_of

    print(
        json.dumps(
            {
                "activities": Activity.objects.filter(space=space).count(),
                "members": len(users),
                "threads": len(threads),
                "comments": len(comments),
                "deep_cursor": cursor_of(before),
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )


def step_counts(deep_cursor: str) -> None:
    """Queries of each page (the second request; the first fills per-process caches), the lines
    each shows, and SQLite's plan for the page query."""
    django_setup()
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    urls = _urls(deep_cursor)
    counts, plans, lines = {}, {}, {}
    for name, url in urls.items():
        measured = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            measured.append(len(captured))
        counts[name] = {"first": measured[0], "then": measured[1]}
        page = response.content.decode()
        lines[name] = page.count('class="forum-activity__item"')
        lines[name + "_has_older"] = ">Older</a>" in page
        activity_sql = [q["sql"] for q in captured.captured_queries if 'FROM "forum_activity"' in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + activity_sql[0])
            plans[name] = [row[-1] for row in cursor.fetchall()]
        plans[name + "_sql"] = re.sub(r"\s+", " ", activity_sql[0])[:600]
    # The view alone, without the server and the network: the pages in turn, 40 times each.
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(IN_PROCESS_REQUESTS):
        for name, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            timings[name].append((time.perf_counter() - started) * 1000)
    # The page's reads alone (activity_page: the keyset query, the names, the links), no rendering.
    from hw4all.forum.models import Space
    from hw4all.forum.queries import spaces as queries

    space = Space.objects.get(slug=SLUG)
    cursors = {"page_1": None, f"page_{DEEP_PAGE}": deep_cursor}
    for name in urls:
        timings[name + "_reads_only"] = []
    for _ in range(IN_PROCESS_REQUESTS):
        for name, cursor in cursors.items():
            started = time.perf_counter()
            queries.activity_page(space, before=cursor)
            timings[name + "_reads_only"].append((time.perf_counter() - started) * 1000)
    in_process = {}
    for name, values in timings.items():
        values.sort()
        in_process[name] = {
            "requests": len(values),
            "p50_ms": round(values[len(values) // 2], 1),
            "p95_ms": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1),
        }
    print(json.dumps({"queries": counts, "lines": lines, "plans": plans, "in_process": in_process}))


def _urls(deep_cursor: str) -> dict[str, str]:
    base = f"/en/forum/spaces/{SLUG}/activity/"
    return {"page_1": base, f"page_{DEEP_PAGE}": f"{base}?before={deep_cursor}"}


def main() -> None:
    steps = {"generate": step_generate, "counts": step_counts}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="30,000 activities, short runs: for trying")
    parser.add_argument("--requests", type=int, default=300, help="requests per page, one client")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--no-wrk", action="store_true", help="latency and query counts only")
    args = parser.parse_args()
    if args.quick:
        args.activities, args.requests, args.duration = 30_000, 60, 3
    use_wrk = not args.no_wrk
    if use_wrk and not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk), or give --no-wrk")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-forum-") as var_dir:
        port = free_port()
        env = production_env(
            dict(os.environ), var_dir=var_dir, port=port, PAGE_CACHE_SECONDS="0", RATE_LIMITS_ENABLED="0"
        )
        started = time.monotonic()
        site_create(env)
        print(f"Site in {time.monotonic() - started:.0f} s", flush=True)
        generated = django_step(__file__, env, "generate", str(args.activities))
        print(f"Generated {generated}", flush=True)
        counts = django_step(__file__, env, "counts", generated["deep_cursor"])
        print(f"Queries {counts['queries']}, lines {counts['lines']}", flush=True)
        print(f"In process {counts['in_process']}", flush=True)
        print(f"Plans {json.dumps(counts['plans'], indent=1)}", flush=True)
        urls = _urls(generated["deep_cursor"])

        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        one_client: dict[str, dict] = {}
        loaded: dict[str, dict] = {}
        try:
            wait_until_up(base + urls["page_1"], server)
            for url in urls.values():
                for _ in range(2 * WORKERS):
                    urllib.request.urlopen(base + url, timeout=60).read()
            load_before = [round(x, 2) for x in os.getloadavg()]
            before = cpu_times()
            # Two rounds, the pages in turn, so that both meet the same machine; the second counts.
            first_round: dict[str, dict] = {}
            for round_results in (first_round, one_client):
                for name, url in urls.items():
                    round_results[name] = latencies(base, url, args.requests)
                    print(f"One client, {name}: {round_results[name]}", flush=True)
            one_client_cpu = cpu_shares(before, cpu_times())
            if use_wrk:
                for name, url in urls.items():
                    urls_file = Path(var_dir) / f"urls-{name}.txt"
                    urls_file.write_text(url + "\n")
                    loaded[name] = throughput(base, urls_file, args.duration, args.connections)
                    print(f"{args.connections} connections, {name}: {loaded[name]}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    deep = f"page_{DEEP_PAGE}"
    ratio = round(one_client[deep]["p95_ms"] / max(one_client["page_1"]["p95_ms"], 0.1), 2)
    report = {
        "benchmark": "forum activity page, keyset pagination",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, page cache off",
        "cpus": os.cpu_count(),
        "urls": urls,
        "generated": generated,
        "queries": counts["queries"],
        "lines_per_page": counts["lines"],
        "query_plans": counts["plans"],
        "in_process": counts["in_process"],
        "load_average_before_one_client": load_before,
        "one_client_first_round": first_round,
        "one_client": one_client,
        "one_client_cpu": one_client_cpu,
        "connections": args.connections if use_wrk else None,
        "throughput": loaded,
        "targets": {
            "same_query_count_but_one": counts["queries"][deep]["then"] - counts["queries"]["page_1"]["then"]
            <= 1,
            "p95_deep_over_first": ratio,
            "same_speed_within_25_percent": ratio <= 1.25,
        },
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "forum_activity-quick.json" if args.quick else "forum_activity.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
