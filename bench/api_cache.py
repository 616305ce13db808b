"""Public API caching benchmark (issue 9: a list endpoint with 100 items a page serves at least
1,000 requests/s on the 304 path and 300 requests/s uncached, with 2 workers). Builds a fresh site
in a temporary folder with production settings (embedded SQLite, migrated, page cache off), loads
every file of the workforce data folder (what `workforce load` does), then serves it with granian
and measures with wrk at 16 connections, cycling through the first pages of
/api/v1/workforce/observations/ (100 observations a page, each page's address the `next` of the
one before):

1. in process, without the server: the CPU time of one uncached request through the whole
   middleware stack (Django's test client, gzip accepted), over --requests requests, and its
   queries;
2. uncached: plain GETs, so every request runs the view and builds its body;
3. the 304 path: each GET carries the page's current ETag in If-None-Match (bench/wrk_etag.lua),
   as a client or a shared cache revalidating its copy does.

Writes bench/results/api_cache.json (api_cache-quick.json with --quick).

Usage: python bench/api_cache.py [--pages N] [--requests N] [--duration SECONDS] [--quick]
"""

import argparse
import json
import os
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
from practices import throughput
from workforce_pages import step_load

WORKERS = 2
LIST = "/api/v1/workforce/observations/"
LUA_ETAG = ROOT / "bench" / "wrk_etag.lua"
# Issue 9, "Benchmark": a list of 100 items a page, 2 workers.
TARGETS = {
    "uncached": Target(9, at_least=300, unit="req/s"),
    "not_modified": Target(9, at_least=1000, unit="req/s"),
}


def headline(report: dict) -> list[dict]:
    connections = report["connections"]
    uncached, not_modified = report["uncached"], report["not_modified"]
    return [
        figure(
            f"uncached pages, {connections} connections",
            uncached["requests_per_second"],
            "req/s",
            target=TARGETS["uncached"],
            detail=latency_detail(uncached),
            ok=not uncached["errors"],
        ),
        figure(
            f"304 path (If-None-Match), {connections} connections",
            not_modified["requests_per_second"],
            "req/s",
            target=TARGETS["not_modified"],
            detail=latency_detail(not_modified),
            ok=not not_modified["errors"] and not_modified["status_other"] == 0,
        ),
        figure(
            "CPU per uncached page, in process",
            report["in_process"]["cpu_ms_per_request"],
            "ms",
            detail=f"{report['in_process']['queries_per_request']} query",
        ),
    ]


def revalidations(base: str, lines_file: Path, duration: int, connections: int) -> dict:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(LUA_ETAG), base, "--", str(lines_file),
    ]  # fmt: skip
    before = cpu_times()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["requests_per_second"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["errors"] = sum(result[key] for key in result if key.startswith("errors_"))
    result["cpu"] = cpu_shares(before, cpu_times())
    return result


def step_cpu(urls_file: str, requests: str) -> None:
    """CPU time per uncached request in this process, the first pages' addresses in turn."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    urls = Path(urls_file).read_text().split()
    for url in urls:  # each worker's first request reads the data set
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(urls[0])
    # Counted now: each request's start empties the connection's log of queries.
    queries = len(captured)
    count = int(requests)
    started_cpu, started = time.process_time(), time.perf_counter()
    for index in range(count):
        response = client.get(urls[index % len(urls)])
        if response.status_code != 200:
            raise RuntimeError(f"{urls[index % len(urls)]}: {response.status_code}")
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    print(
        json.dumps(
            {
                "requests": count,
                "cpu_ms_per_request": round(cpu * 1000 / count, 2),
                "wall_ms_per_request": round(wall * 1000 / count, 2),
                "queries_per_request": queries,
                "gzip_bytes": len(response.content),
            }
        )
    )


def page_addresses(base: str, pages: int) -> list[str]:
    """The first `pages` pages of the list, each the `next` of the one before."""
    urls, address = [], base + LIST
    while address and len(urls) < pages:
        urls.append(address.removeprefix(base))
        with urllib.request.urlopen(address, timeout=30) as reply:
            address = json.loads(reply.read())["next"]
    return urls


def main() -> None:
    steps = {"load": step_load, "cpu": step_cpu}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20, help="pages of 100 observations cycled through")
    parser.add_argument("--requests", type=int, default=200, help="requests timed in process")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--quick", action="store_true", help="3 s runs: for trying")
    args = parser.parse_args()
    if args.quick:
        args.duration = 3
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-api-cache-") as var_dir:
        port = free_port()
        env = production_env(
            dict(os.environ), var_dir=var_dir, port=port, RATE_LIMITS_ENABLED="0", PAGE_CACHE_SECONDS="0"
        )
        site_create(env)
        loaded = django_step(__file__, env, "load")
        print(f"Loaded {loaded}", flush=True)

        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        try:
            wait_until_up(base + LIST, server)
            urls = page_addresses(base, args.pages)
            etags, sample = {}, {}
            for url in urls:
                with urllib.request.urlopen(base + url, timeout=30) as reply:
                    body = json.loads(reply.read())
                    etags[url] = reply.headers["ETag"]
                    sample[url] = {
                        "items": len(body["items"]),
                        "cache_control": reply.headers["Cache-Control"],
                    }
            if any(page["items"] != 100 for page in sample.values()):
                raise RuntimeError(f"not every page has 100 items: {sample}")
            urls_file = Path(var_dir) / "urls.txt"
            urls_file.write_text("\n".join(urls) + "\n")
            in_process = django_step(__file__, env, "cpu", str(urls_file), str(args.requests))
            print(f"In process: {in_process}", flush=True)
            etags_file = Path(var_dir) / "etags.txt"
            etags_file.write_text("".join(f"{url}\t{etag}\n" for url, etag in etags.items()))
            time.sleep(1)
            uncached = throughput(base, urls_file, args.duration, args.connections)
            print(f"Uncached, {args.connections} connections: {uncached}", flush=True)
            not_modified = revalidations(base, etags_file, args.duration, args.connections)
            print(f"304 path, {args.connections} connections: {not_modified}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    report = {
        "benchmark": "public API list, 100 items a page: uncached and the 304 path",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, page cache off",
        "cpus": os.cpu_count(),
        "loaded": loaded,
        "urls": urls,
        "first_page": sample[urls[0]],
        "in_process": in_process,
        "connections": args.connections,
        "duration_s": args.duration,
        "uncached": uncached,
        "not_modified": not_modified,
        "targets_requests_per_second": {name: target.at_least for name, target in TARGETS.items()},
        "targets_met": {
            "uncached": TARGETS["uncached"].met(uncached["requests_per_second"]) and not uncached["errors"],
            "not_modified": TARGETS["not_modified"].met(not_modified["requests_per_second"])
            and not_modified["status_other"] == 0,
        },
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "api_cache-quick.json" if args.quick else "api_cache.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
