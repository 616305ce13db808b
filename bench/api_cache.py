"""Public API caching benchmark (issue 9: a list endpoint with 100 items a page serves at least
1,000 requests/s on the 304 path and 300 requests/s uncached, with 2 workers). Builds a fresh site
in a temporary folder with production settings (embedded SQLite, migrated, page cache off), loads
every file of the workforce data folder (what `workforce load` does), then serves it with granian
and measures with wrk at 16 connections, cycling through the first pages of
/api/v1/workforce/observations/ (100 observations a page):

1. uncached: plain GETs, so every request runs the view and builds its body;
2. the 304 path: each GET carries the page's current ETag in If-None-Match (bench/wrk_etag.lua),
   as a client or a shared cache revalidating its copy does.

Writes bench/results/api_cache.json (api_cache-quick.json with --quick).

Usage: python bench/api_cache.py [--pages N] [--duration SECONDS] [--quick]
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
    cpu_shares,
    cpu_times,
    django_step,
    free_port,
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
TARGETS = {"uncached": 300, "not_modified": 1000}


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


def main() -> None:
    steps = {"load": step_load}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20, help="pages of 100 observations cycled through")
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
        urls = [f"{LIST}?page={page}" for page in range(1, args.pages + 1)]
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        try:
            wait_until_up(base + LIST, server)
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
        "connections": args.connections,
        "duration_s": args.duration,
        "uncached": uncached,
        "not_modified": not_modified,
        "targets_requests_per_second": TARGETS,
        "targets_met": {
            "uncached": uncached["requests_per_second"] >= TARGETS["uncached"] and not uncached["errors"],
            "not_modified": not_modified["requests_per_second"] >= TARGETS["not_modified"]
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
