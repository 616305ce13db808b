"""Page benchmark: serves the demo site plus 1,000 articles and 200 events with a production server
(granian, 2 workers, DEBUG off) on 127.0.0.1, loads each page with wrk for a bounded time at 32
connections, and writes requests/s and latency percentiles to bench/results/pages.json.

Usage: python bench/run.py [--duration SECONDS] [--connections N]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

from common import (
    RESULTS,
    ROOT,
    Target,
    demo_site_create,
    figure,
    free_port,
    latency_detail,
    production_env,
    server_command,
    wait_until_up,
)

# Issue 2: at least 500 requests/s on the home page and on an article, as deployed (page cache on).
TARGETS = {
    "home": Target(2, at_least=500, unit="req/s"),
    "article": Target(2, at_least=500, unit="req/s"),
}
PAGES = {"home": "home", "news_list": "news list", "article": "article", "events_list": "events list"}


def headline(report: dict) -> list[dict]:
    figures = []
    for scenario, label in (("page_cache", "with the page cache"), ("no_page_cache", "page cache off")):
        for name, title in PAGES.items():
            result = report["results"][scenario][name]
            errors = sum(value for key, value in result.items() if key.startswith("errors_"))
            figures.append(
                figure(
                    f"{title}, {label}, {report['connections']} connections",
                    result["requests_per_second"],
                    "req/s",
                    target=TARGETS.get(name) if scenario == "page_cache" else None,
                    detail=latency_detail(result) + (f", {errors} errors" if errors else ""),
                    ok=not errors,
                )
            )
    return figures


def prepare(env: dict[str, str]) -> None:
    demo_site_create(env)
    subprocess.run([sys.executable, str(ROOT / "bench" / "populate.py")], env=env, check=True, cwd=ROOT)


def first_article_url(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/articles/?lang=en") as response:
        return json.load(response)["items"][0]["url"].replace("http://testserver", base)


def load(url: str, duration: int, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            str(ROOT / "bench" / "wrk_report.lua"),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["requests_per_second"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    return figures


def serve_and_load(base: str, port: int, env: dict[str, str], duration: int, connections: int) -> dict:
    server = subprocess.Popen(
        server_command(port, workers=2, threads=4),
        env=env,
        cwd=ROOT,
    )
    results = {}
    try:
        wait_until_up(f"{base}/en/", server)
        pages = {
            "home": f"{base}/en/",
            "news_list": f"{base}/en/news/",
            "article": first_article_url(base),
            "events_list": f"{base}/en/events/",
        }
        for name, url in pages.items():
            urllib.request.urlopen(url).read()  # warm the caches as a visitor before would
            results[name] = {"url": url.removeprefix(base), **load(url, duration, connections)}
            print(
                f"PAGE_CACHE_SECONDS={env['PAGE_CACHE_SECONDS']:>3} {name:12} "
                f"{results[name]['requests_per_second']:8.1f} req/s  "
                f"p50 {results[name]['latency_p50_ms']:6.1f} ms  p99 {results[name]['latency_p99_ms']:6.1f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=15)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "15")))
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-") as var_dir:
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port)
        prepare(env)
        base = f"http://127.0.0.1:{port}"
        results = {}
        # First as deployed (anonymous pages from the page cache), then with the page cache off,
        # which is what every first visit after a publish and every signed-in visitor costs.
        for scenario, cache_seconds in (("page_cache", "300"), ("no_page_cache", "0")):
            results[scenario] = serve_and_load(
                base, port, {**env, "PAGE_CACHE_SECONDS": cache_seconds}, args.duration, args.connections
            )

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "pages",
        "server": "granian, 2 workers (4 threads each), DEBUG off, SQLite",
        "content": "demo + 1,000 articles + 200 events",
        "connections": args.connections,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        "results": results,
    }
    (RESULTS / "pages.json").write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()
