"""Practices listing benchmark (issue 5). Builds a fresh site in a temporary folder with production
settings (embedded SQLite), brings it to 10 published case studies, counts the SQL queries of
each measured address, adds generated cases up to N (default 10,000; deterministic seed; bulk
inserts of the cases and their CaseFacet rows, as services.facets_rebuild would write them), counts
again, then with the page cache off (PAGE_CACHE_SECONDS=0) measures at the HTTP layer:

1. the latency of each address, one client, a bounded number of requests each (p50/p95/p99);
2. the throughput of each address with wrk at 16 connections, 2 granian workers.

The addresses: the public listing unfiltered, by one country, by theme and article, by level and
validation, its page 50, and the API's list unfiltered and with filters.

Queries are counted in a process of their own with Django's test client and
CaptureQueriesContext, with the same settings and database as the server: nothing in the site
counts or reports queries for the benchmark, and the count is of the very view code the server
runs. Each address is asked twice and the second request counted (the first also fills
per-process caches, such as the site of the host); both are reported, and a third request right
after a publication as the services make it once it commits (services.public_listing_refresh: the
facet index of a new generation, then a new page generation: the listing's counts, map and filters,
and the menus, are computed again). That request is also timed in process, 40 times with 10,000
cases, in wall-clock and in process CPU time (which a busy machine inflates less): the worst case a
visitor meets, once per publication, process and filter combination. So are the publication's own
index build, and a request after the cache was emptied (the visitor then builds the index).

Writes bench/results/practices.json.

Usage: python bench/practices.py [--cases N] [--quick] [--requests N] [--duration SECONDS]
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

LUA_URLS = ROOT / "bench" / "wrk_urls.lua"
WORKERS = 2
SEED = 20100521
SMALL = 10
# Requests timed in process, each right after a (simulated) publication.
AFTER_PUBLICATION_REQUESTS = 40
# And after the cache was emptied, when the visitor builds the facet index.
CACHE_LOST_REQUESTS = 10

# The filters the measured addresses use. The first generated case has each of these values, so
# every address lists cases with 10 cases as with 10,000.
COUNTRY, THEME, ARTICLE, LEVEL = "KE", "retention", 5, "local"
URLS = {
    "listing": "/en/practices/",
    "listing_country": f"/en/practices/?country={COUNTRY}",
    "listing_theme_article": f"/en/practices/?theme={THEME}&article={ARTICLE}",
    "listing_level_validated": f"/en/practices/?level={LEVEL}&validated=1",
    "listing_page_50": "/en/practices/?page=50",
    "api_list": "/api/v1/practices/cases",
    "api_list_filtered": f"/api/v1/practices/cases?country={COUNTRY}&theme={THEME}&validated=true",
}

# Issue 5, "Benchmark": with 10,000 published cases, the same query count as with 10 and p95 <= 50 ms
# at the HTTP layer, for the listing and its filters (and the API's list).
TARGETS = {
    "same_query_count": Target(5, holds="same query count as with 10 cases"),
    "p95": Target(5, at_most=50, unit="ms"),
}


def headline(report: dict) -> list[dict]:
    cases = report["queries_large"]["published"]
    listing_queries = report["queries_large"]["queries"]["listing"]
    one_client = report["one_client"]
    slowest = max(one_client, key=lambda name: one_client[name]["p95_ms"])
    after = report["queries_large"]["after_publication_in_process"]
    slowest_after = max(after, key=lambda name: after[name]["cpu"]["p95_ms"])
    failures = sum(result["failures"] for result in one_client.values())
    figures = [
        figure(
            f"SQL queries of every address, {SMALL} and {cases:,} cases",
            all(report["same_query_count"].values()),
            target=TARGETS["same_query_count"],
            detail=f"listing: {listing_queries['then']} warm, {listing_queries['after_publication']} "
            "after a publication"
            + ("" if all(report["same_query_count"].values()) else "; some address differs"),
        ),
        figure(
            "listing p95, one client",
            one_client["listing"]["p95_ms"],
            "ms",
            target=TARGETS["p95"],
            detail=latency_detail(one_client["listing"]),
            ok=not one_client["listing"]["failures"],
        ),
        figure(
            f"slowest of the {len(one_client)} addresses, p95, one client",
            one_client[slowest]["p95_ms"],
            "ms",
            target=TARGETS["p95"],
            detail=f"{slowest}; {failures} failed" if failures else slowest,
            ok=not failures,
        ),
        figure(
            "first request after a publication, in process, CPU p95 (slowest address)",
            after[slowest_after]["cpu"]["p95_ms"],
            "ms",
            detail=slowest_after,
        ),
    ]
    if report["throughput"]:
        listing = report["throughput"]["listing"]
        figures.append(
            figure(
                f"listing, {report['connections']} connections",
                listing["requests_per_second"],
                "req/s",
                detail=latency_detail(listing),
            )
        )
    return figures


THEMES = [
    "recruitment",
    "retention",
    "bilateral-agreements",
    "education-training",
    "return-migration",
    "diaspora",
    "working-conditions",
    "data-research",
]
LEVELS = ["local", "central", "national", "regional", "european", "global"]
WORDS_TEXT = (
    "nurses doctors midwives health workers rural districts retention recruitment housing allowance "
    "career paths training scholarships mentoring supervision bilateral agreement ethical recruitment "
    "diaspora return circular migration data workforce planning salaries working conditions unions "
    "ministry hospital clinic community primary care coverage incentives licensing accreditation "
    "shortage vacancies evaluation evidence costs lessons transferability partnership dialogue"
)
WORDS = WORDS_TEXT.split()


def _weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]


class Generator:
    """Cases spread as a real collection would be: many countries with a few very common (Zipf
    weights), one to three themes, one to three Code articles, one or two levels, about 60 %
    validated."""

    def __init__(self, country_codes: list[str], seed: int = SEED) -> None:
        self.random = random.Random(seed)
        others = sorted(code for code in country_codes if code != COUNTRY)
        self.random.shuffle(others)
        self.countries = [COUNTRY, *others[:99]]
        self.country_weights = _weights(len(self.countries))
        self.word_weights = _weights(len(WORDS))

    def words(self, count: int) -> str:
        return " ".join(self.random.choices(WORDS, weights=self.word_weights, k=count))

    def paragraphs(self, count: int) -> str:
        return "".join(
            f"<p>{self.words(self.random.randint(40, 80)).capitalize()}.</p>" for _ in range(count)
        )

    def case_fields(self, number: int) -> dict:
        rng = self.random
        countries: list[str] = []
        while len(countries) < rng.choice([1, 1, 1, 2, 3]):
            code = rng.choices(self.countries, weights=self.country_weights)[0]
            if code not in countries:
                countries.append(code)
        themes = rng.sample(THEMES, rng.choice([1, 1, 2, 3]))
        articles = rng.sample(range(1, 11), rng.choice([1, 2, 3]))
        levels = rng.sample(LEVELS, rng.choice([1, 1, 2]))
        validated = rng.random() < 0.6
        if number == 0:
            countries, themes, articles, levels, validated = [COUNTRY], [THEME], [ARTICLE], [LEVEL], True
        return {
            "title": self.words(rng.randint(4, 9)).capitalize()[:200],
            "summary": self.words(rng.randint(30, 60)).capitalize() + ".",
            "countries": countries,
            "themes": themes,
            "code_articles": articles,
            "levels": levels,
            "validated": validated,
            "context": self.paragraphs(2),
            "practice": self.paragraphs(3),
            "results": self.paragraphs(2),
            "lessons": self.paragraphs(1),
            "age_days": rng.uniform(0, 5 * 365),
            "outcome": rng.choices([1, 2, 3], weights=[2, 5, 3])[0],
            "core": round(rng.uniform(60, 100), 1),
            "qualifier": round(rng.uniform(30, 100), 1),
            "reviews": rng.choice([2, 2, 3]),
            "unvalidated_status": rng.choice(["submitted", "in_review"]),
        }


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def step_generate(total: str) -> None:
    """Bulk-insert generated published cases and their facet rows until `total` cases are published."""
    django_setup()
    from django.db import transaction
    from django.utils import timezone
    from django_countries import countries

    from hw4all.coalition.models import Organisation
    from hw4all.practices.models import CaseFacet, CaseStudy, CriteriaSetVersion, FacetKind
    from hw4all.practices.services import public_listing_refresh

    wanted = int(total)
    existing_published = CaseStudy.objects.filter(is_published=True).count()
    generated_before = CaseStudy.objects.filter(slug__startswith="bench-").count()
    count = max(0, wanted - existing_published)
    generator = Generator([code for code, _name in countries])
    # Draw the cases made by an earlier step again, so each case is the same whatever the steps.
    for number in range(generated_before):
        generator.case_fields(number)
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    version = CriteriaSetVersion.objects.filter(status="published").order_by("pk").first()
    now = timezone.now()
    started = time.monotonic()
    batch = 2000
    with transaction.atomic():
        for start in range(generated_before, generated_before + count, batch):
            numbers = range(start, min(start + batch, generated_before + count))
            drawn = [generator.case_fields(number) for number in numbers]
            cases = []
            for number, fields in zip(numbers, drawn, strict=True):
                published_at = now - datetime.timedelta(days=fields["age_days"])
                validated = fields["validated"]
                cases.append(
                    CaseStudy(
                        title=fields["title"],
                        slug=f"bench-{number}",
                        summary=fields["summary"],
                        countries=fields["countries"],
                        levels=fields["levels"],
                        themes=fields["themes"],
                        code_articles=fields["code_articles"],
                        actors="District health management team; nurses' union.",
                        context=fields["context"],
                        practice=fields["practice"],
                        results=fields["results"],
                        lessons=fields["lessons"],
                        organisation_id=organisations[number % len(organisations)],
                        status="validated" if validated else fields["unvalidated_status"],
                        revision=1,
                        criteria_version=version,
                        decided_at=published_at if validated else None,
                        outcome=fields["outcome"] if validated else None,
                        core_percent=fields["core"] if validated else None,
                        qualifier_percent=fields["qualifier"] if validated else None,
                        reviews_counted=fields["reviews"] if validated else None,
                        is_published=True,
                        published_at=published_at,
                    )
                )
            created = CaseStudy.objects.bulk_create(cases)
            facets = []
            for case in created:
                rows = [(FacetKind.COUNTRY, code) for code in case.countries]
                rows += [(FacetKind.THEME, value) for value in case.themes]
                rows += [(FacetKind.LEVEL, value) for value in case.levels]
                rows += [(FacetKind.ARTICLE, str(number)) for number in case.code_articles]
                facets += [CaseFacet(case_id=case.pk, facet=facet, value=value) for facet, value in rows]
            CaseFacet.objects.bulk_create(facets)
    # What the services do once a publication commits.
    public_listing_refresh()
    seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "published": CaseStudy.objects.filter(is_published=True).count(),
                "generated": count,
                "facet_rows": CaseFacet.objects.count(),
                "seconds": round(seconds, 1),
            }
        )
    )


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
    }


def step_counts() -> None:
    """The SQL queries of each address, with the test client in this process (see the docstring),
    and the time each takes right after a publication, when nothing derived is cached."""
    django_setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hw4all.practices.models import CaseStudy
    from hw4all.practices.services import public_listing_refresh

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    after_publication = {}
    publisher_wall, publisher_cpu = [], []

    def publication() -> None:
        # What a publication does once it commits: the listing's facet index for a new
        # generation, then a new page generation (the menus and every page are made again).
        wall, cpu = time.perf_counter(), time.process_time()
        public_listing_refresh()
        publisher_wall.append((time.perf_counter() - wall) * 1000)
        publisher_cpu.append((time.process_time() - cpu) * 1000)

    def timed(url: str) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

    for name, url in URLS.items():
        measured = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            measured.append(len(captured))
        publication()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[name] = {"first": measured[0], "then": measured[1], "after_publication": len(captured)}
        walls, cpus = [], []
        for _ in range(AFTER_PUBLICATION_REQUESTS):
            publication()
            wall, cpu = timed(url)
            walls.append(wall)
            cpus.append(cpu)
        # The cache emptied (or evicted): the visitor builds the facet index itself.
        lost_walls, lost_cpus = [], []
        for _ in range(CACHE_LOST_REQUESTS):
            cache.clear()
            wall, cpu = timed(url)
            lost_walls.append(wall)
            lost_cpus.append(cpu)
        after_publication[name] = {
            "requests": len(walls),
            **_summary(walls),
            "cpu": _summary(cpus),
            "cache_lost": {"requests": len(lost_walls), **_summary(lost_walls), "cpu": _summary(lost_cpus)},
        }
    print(
        json.dumps(
            {
                "published": CaseStudy.objects.filter(is_published=True).count(),
                "queries": counts,
                "after_publication_in_process": after_publication,
                "publisher_in_process": {
                    "publications": len(publisher_wall),
                    **_summary(publisher_wall),
                    "cpu": _summary(publisher_cpu),
                },
            }
        )
    )


# The runner.


def latencies(base: str, url: str, requests: int) -> dict:
    timings = []
    failures = 0
    for _ in range(requests):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + url, timeout=30) as response:
                response.read()
        except OSError:
            failures += 1
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "requests": requests,
        "failures": failures,
        **timing_summary(timings),
    }


def throughput(base: str, urls_file: Path, duration: int, connections: int) -> dict:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-H", "Accept-Encoding: gzip", "-s", str(LUA_URLS), base, "--", str(urls_file),
    ]  # fmt: skip
    before = cpu_times()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["requests_per_second"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["errors"] = sum(result[key] for key in result if key.startswith("errors_"))
    result["cpu"] = cpu_shares(before, cpu_times())
    return result


def main() -> None:
    steps = {"generate": step_generate, "counts": step_counts}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1,000 cases, short runs: for trying")
    parser.add_argument("--requests", type=int, default=200, help="requests per address, one client")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--no-wrk", action="store_true", help="latency and query counts only")
    parser.add_argument(
        "--keep", metavar="FOLDER", help="build the site in FOLDER and keep it (reused if there)"
    )
    args = parser.parse_args()
    if args.quick:
        args.cases, args.requests, args.duration = 1000, 50, 3
    use_wrk = not args.no_wrk
    if use_wrk and not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk), or give --no-wrk")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-practices-") as temporary:
        var_dir = args.keep or temporary
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port, PAGE_CACHE_SECONDS="0")
        if not (Path(var_dir) / "db.sqlite3").exists():
            Path(var_dir).mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            demo_site_create(env)
            print(f"Demo site in {time.monotonic() - started:.0f} s", flush=True)
        small = django_step(__file__, env, "generate", str(SMALL))
        counts_small = django_step(__file__, env, "counts")
        print(f"Queries with {counts_small['published']} cases: {counts_small['queries']}", flush=True)
        if counts_small["published"] != SMALL:
            print(f"The kept site has more than {SMALL} cases: the small count is not at {SMALL}")
        generated = django_step(__file__, env, "generate", str(args.cases))
        print(f"Generated {generated}", flush=True)
        counts_large = django_step(__file__, env, "counts")
        print(f"Queries with {counts_large['published']} cases: {counts_large['queries']}", flush=True)
        print(
            f"Right after a publication, in process: {counts_large['after_publication_in_process']}",
            flush=True,
        )
        print(
            f"The publication's index build, in process: {counts_large['publisher_in_process']}", flush=True
        )

        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        one_client: dict[str, dict] = {}
        loaded: dict[str, dict] = {}
        try:
            wait_until_up(base + URLS["api_list"], server)
            # Both workers meet each address before it is timed.
            for url in URLS.values():
                for _ in range(2 * WORKERS):
                    urllib.request.urlopen(base + url, timeout=60).read()
            load_before = [round(x, 2) for x in os.getloadavg()]
            before = cpu_times()
            for name, url in URLS.items():
                one_client[name] = latencies(base, url, args.requests)
                print(f"One client, {name}: {one_client[name]}", flush=True)
            # The machine's other work slows one client as much as the server's: say how busy it was.
            one_client_cpu = cpu_shares(before, cpu_times())
            if use_wrk:
                for name, url in URLS.items():
                    urls_file = Path(var_dir) / f"urls-{name}.txt"
                    urls_file.write_text(url + "\n")
                    loaded[name] = throughput(base, urls_file, args.duration, args.connections)
                    print(f"{args.connections} connections, {name}: {loaded[name]}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    queries_same = {
        name: all(
            counts_small["queries"][name][when] == counts_large["queries"][name][when]
            for when in ("then", "after_publication")
        )
        for name in URLS
    }
    report = {
        "benchmark": "practices listing and API",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, page cache off",
        "cpus": os.cpu_count(),
        "urls": URLS,
        "small": small,
        "generated": generated,
        "queries_small": counts_small,
        "queries_large": counts_large,
        "same_query_count": queries_same,
        "load_average_before_one_client": load_before,
        "one_client": one_client,
        "one_client_cpu": one_client_cpu,
        "connections": args.connections if use_wrk else None,
        "throughput": loaded,
        "targets": {
            "same_query_count": all(queries_same.values()),
            "p95_at_most_50_ms": {name: result["p95_ms"] <= 50 for name, result in one_client.items()},
            "p95_at_most_50_ms_after_publication_in_process": {
                name: result["p95_ms"] <= 50
                for name, result in counts_large["after_publication_in_process"].items()
            },
            "cpu_p95_at_most_50_ms_after_publication_in_process": {
                name: result["cpu"]["p95_ms"] <= 50
                for name, result in counts_large["after_publication_in_process"].items()
            },
        },
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "practices-quick.json" if args.quick else "practices.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
