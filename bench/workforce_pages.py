"""Workforce pages benchmark (issue 8: a country profile renders in p95 <= 80 ms and the world
shortage table in <= 100 ms on the embedded default). Builds a fresh site in a temporary folder
(embedded SQLite, migrated), loads every file of the data folder through `loader.data_load()`
(what `workforce load` does), counts the SQL queries of a profile page in a process of its own,
then serves the site with granian, the anonymous page cache off so that every request renders
its page, and, with one client:

1. GETs the profile pages of a spread of countries (with everything, with gaps, a destination,
   one with little data), round after round (timed: the page's own HTML; its chart image is a
   request of its own);
2. GETs the world shortage table page;
3. GETs each profile's density chart as SVG: the first request of each draws it (cold), the
   next ones come from the cache (warm).

Writes bench/results/workforce_pages.json.

Usage: python bench/workforce_pages.py [--requests N] [--quick]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
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

# Issue 8, "Benchmark": a country profile in p95 <= 80 ms, the world shortage table in <= 100 ms
# (read as its p95 too).
TARGETS = {
    "profile_page": Target(8, at_most=80, unit="ms"),
    "shortage_page": Target(8, at_most=100, unit="ms"),
}


def headline(report: dict) -> list[dict]:
    figures = [
        figure(
            f"{title} p95, one client",
            report[name]["p95_ms"],
            "ms",
            target=TARGETS[name],
            detail=f"p50 {report[name]['p50_ms']}, p99 {report[name]['p99_ms']} ms; "
            f"{report['queries'][query]} queries",
        )
        for name, title, query in (
            ("profile_page", f"country profile ({len(report['countries'])} countries)", "profile"),
            ("shortage_page", "world shortage table", "shortage"),
        )
    ]
    for name, title in (
        ("chart_svg_cold", "density chart, first drawing"),
        ("chart_svg_warm", "the same, cached"),
    ):
        figures.append(
            figure(f"{title}, p95", report[name]["p95_ms"], "ms", detail=f"p50 {report[name]['p50_ms']} ms")
        )
    return figures


# With every series and migration both ways, destinations, gaps and late years, little data.
COUNTRIES = ("ken", "gbr", "ind", "nga", "bra", "deu", "phl", "hti", "tuv", "som", "usa", "rou")


def step_load() -> None:
    django_setup()
    from hw4all.workforce.dataset import dataset_current
    from hw4all.workforce.loader import data_load

    started = time.perf_counter()
    runs = data_load()
    seconds = time.perf_counter() - started
    data = dataset_current()
    print(
        json.dumps(
            {
                "files": len(runs),
                "load_seconds": round(seconds, 2),
                "countries": len(data.member_states()),
                "series": len(data.series),
                "flows": len(data.flows),
            }
        )
    )


def step_queries() -> None:
    """The queries of a profile page for an anonymous visitor, asked twice and the second counted."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    for name, url in (("profile", "/en/workforce/countries/ken/"), ("shortage", "/en/workforce/shortage/")):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(queries)
    print(json.dumps(counts))


def get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as reply:
        size = len(reply.read())
        if reply.status != 200:
            raise RuntimeError(f"{url} answered {reply.status}")
    return (time.perf_counter() - started) * 1000, size


def main() -> None:
    steps = {"load": step_load, "queries": step_queries}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--requests", type=int, default=600, help="profile pages timed (the shortage page: a third)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--quick", action="store_true", help="60 requests: for trying")
    args = parser.parse_args()
    if args.quick:
        args.requests = 60

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-workforce-pages-") as var_dir:
        port = free_port()
        # The anonymous page cache off: every request renders its page (with it on, a repeated
        # page is a cache hit of about a millisecond, which says nothing about the page).
        env = production_env(
            dict(os.environ), var_dir=var_dir, port=port, RATE_LIMITS_ENABLED="0", PAGE_CACHE_SECONDS="0"
        )
        site_create(env)
        loaded = django_step(__file__, env, "load")
        print(f"Loaded {loaded}", flush=True)
        queries = django_step(__file__, env, "queries")
        print(f"Queries {queries}", flush=True)

        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        profile_ms: list[float] = []
        shortage_ms: list[float] = []
        svg_cold_ms: list[float] = []
        svg_warm_ms: list[float] = []
        sizes: dict[str, int] = {}
        try:
            wait_until_up(base + "/en/workforce/countries/", server)
            # Warm both workers: each reads the data set once.
            for _ in range(10):
                get(base + "/en/workforce/countries/ken/")
                get(base + "/en/workforce/shortage/")
            for number in range(args.requests):
                code = COUNTRIES[number % len(COUNTRIES)]
                elapsed, size = get(f"{base}/en/workforce/countries/{code}/")
                profile_ms.append(elapsed)
                sizes[f"profile_{code}_bytes"] = size
                if number % 3 == 0:
                    elapsed, size = get(base + "/en/workforce/shortage/")
                    shortage_ms.append(elapsed)
                    sizes["shortage_bytes"] = size
            for threshold in ("sdg", "2006"):
                for code in COUNTRIES:
                    url = f"{base}/en/workforce/charts/density_history.svg?iso3={code}&threshold={threshold}"
                    try:
                        svg_cold_ms.append(get(url)[0])
                    except urllib.error.HTTPError:
                        continue  # a country without any density has no chart
                    for _ in range(5):
                        svg_warm_ms.append(get(url)[0])
        finally:
            server.terminate()
            server.wait(timeout=30)

    report = {
        "benchmark": "workforce pages",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, page cache off",
        "cpus": os.cpu_count(),
        "loaded": loaded,
        "queries": queries,
        "countries": list(COUNTRIES),
        "sizes": sizes,
        "profile_page": {
            "requests": len(profile_ms),
            "target_p95_ms": TARGETS["profile_page"].at_most,
            **timing_summary(profile_ms),
        },
        "shortage_page": {
            "requests": len(shortage_ms),
            "target_p95_ms": TARGETS["shortage_page"].at_most,
            **timing_summary(shortage_ms),
        },
        "chart_svg_cold": {"requests": len(svg_cold_ms), **timing_summary(svg_cold_ms)},
        "chart_svg_warm": {"requests": len(svg_warm_ms), **timing_summary(svg_warm_ms)},
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "workforce_pages-quick.json" if args.quick else "workforce_pages.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
