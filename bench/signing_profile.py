"""CPU per signature in one process (issue 3): the figure the signing path's throughput depends
on, and one that a busy machine does not distort the way it distorts requests per second.

Builds a fresh site (migrate, collectstatic, a home page and one open petition) with production
settings (DEBUG off, SQLite in WAL mode, group commit on, rate limits off as in bench/signing.py)
and sends N requests straight to Django's WSGI handler, without an HTTP server:

- `POST /en/campaigns/<id>/sign/`, every request a new address, the body bench/wrk_sign.lua sends;
- the bare insert baseline, `POST /bench/insert/` (bench/signing.py's "bare insert").

It reports the process's CPU time per request (every thread: the request threads and the group
writer), after a warm-up, and writes it to bench/results/signing_profile.json. With `--threads T`
the requests come from T threads at once, so the group writer gathers batches as it does under
load. `--profile` prints cProfile's top entries for the signing requests (the request threads and
the writer's batches).

Usage: python bench/signing_profile.py [--requests N] [--threads T] [--profile] [--top K]
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import RESULTS, Target, django_setup, figure, free_port, production_env, site_create

# No issue sets a CPU figure: this one explains bench/signing.py's throughput (docs/decisions/0004).
TARGETS: dict[str, Target] = {}


def headline(report: dict) -> list[dict]:
    """Issue 3's 1,000 signatures/s on two cores leaves at most 2 ms of CPU per signature."""
    results = report["results"]
    return [
        figure(
            f"CPU per {title}, in process, {report['threads']} thread(s)",
            results[name]["cpu_ms_per_request"],
            "ms",
            detail=f"wall {results[name]['wall_ms_per_request']} ms",
        )
        for name, title in (("signing", "signing request"), ("bare_insert", "bare insert"))
    ]


BARE_INSERT_TABLE = "bench_bare_insert"
# Every run signs new addresses, even on a site kept from an earlier run.
RUN = secrets.token_hex(3)


def site_prepare() -> int:
    """A home page, a campaigns index, one open petition and the baseline's table."""
    from django.db import connection

    from hw4all.campaigns import services
    from hw4all.campaigns.models import CampaignPage
    from hw4all.pages.services import home_page_ensure

    existing = CampaignPage.objects.live().first()
    if existing is not None:  # a site kept from an earlier run (--var-dir)
        return existing.pk
    home = home_page_ensure(title="Health Workers for All", intro="Health workers for all.")
    index = services.campaigns_index_ensure(home=home)
    campaign = services.campaign_create(
        index=index, title="Invest in health workers now", summary="Fund the health workforce.", goal=10**6
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_INSERT_TABLE} "
            "(id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, created_at TEXT NOT NULL)"
        )
    connection.close()
    return campaign.pk


def environ(path: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def body(number: int, nonce: str) -> bytes:
    return (
        f"name=Signer+{number}&email=s{nonce}.{number}%40example.org&country=NL&city=Utrecht"
        "&public=on&consent_contact=on&source=bench"
    ).encode()


class Client:
    def __init__(self, application, path: str, expected: str) -> None:
        self.application = application
        self.path = path
        self.expected = expected
        self.counter = 0
        self.lock = threading.Lock()

    def request(self, nonce: str) -> None:
        nonce = RUN + nonce
        with self.lock:
            self.counter += 1
            number = self.counter
        statuses: list[str] = []
        response = self.application(
            environ(self.path, body(number, nonce)),
            lambda status, headers, exc_info=None: statuses.append(status),
        )
        for _chunk in response:
            pass
        response.close()
        if not statuses[0].startswith(self.expected):
            raise RuntimeError(f"{self.path} answered {statuses[0]}")

    def run(self, count: int, threads: int, nonce: str) -> dict[str, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        if threads == 1:
            for _ in range(count):
                self.request(nonce)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(lambda _: self.request(nonce), range(count)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return {
            "cpu_ms_per_request": round(cpu / count * 1000, 3),
            "wall_ms_per_request": round(wall / count * 1000, 3),
        }


def profiled(client: Client, count: int, threads: int, top: int, out_path: str | None) -> str:
    """cProfile of the request threads and of the writer's batches, merged, in each thread's
    CPU time (a thread waiting for the interpreter lock or for its batch is not counted)."""
    from hw4all.campaigns import services

    profiles: list[cProfile.Profile] = []
    local = threading.local()
    committer = services._committer
    write_batch = committer.write_batch

    def writer_profiled(items):
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()
        try:
            return write_batch(items)
        finally:
            profile.disable()

    def request(nonce: str) -> None:
        if not hasattr(local, "profile"):
            local.profile = cProfile.Profile(time.thread_time)
            profiles.append(local.profile)
        local.profile.enable()
        try:
            Client.request(client, nonce)
        finally:
            local.profile.disable()

    committer.write_batch = writer_profiled
    client.request = request  # type: ignore[method-assign]
    try:
        client.run(count, threads, "profile")
    finally:
        committer.write_batch = write_batch
        del client.request
    out = io.StringIO()
    stats = pstats.Stats(profiles[0], stream=out)
    for profile in profiles[1:]:
        stats.add(profile)
    if out_path:
        stats.dump_stats(out_path)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1, help="request threads at once (1: sequential)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measurements of --requests each; the best is kept"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top entries for signing")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--profile-out", help="also write the profile to this file (for pstats or snakeviz)")
    parser.add_argument("--var-dir", help="keep the site in this folder and reuse it on the next run")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        var_dir = args.var_dir or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="hw4all-bench-profile-")
        )
        env = production_env(
            dict(os.environ),
            var_dir=var_dir,
            port=free_port(),
            RATE_LIMITS_ENABLED="0",
            BENCHMARK_VIEWS="1",
        )
        # The secret key must outlive the run when the site is kept (sessions, hashes).
        env["SECRET_KEY"] = os.environ.get("SECRET_KEY", "bench-profile-" + "k" * 40)
        if not (Path(var_dir) / "db.sqlite3").exists():
            site_create(env)
        os.environ.update(env)
        django_setup()
        campaign_id = site_prepare()
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        clients = {
            "signing": Client(application, f"/en/campaigns/{campaign_id}/sign/", "302"),
            "bare_insert": Client(application, "/bench/insert/", "201"),
        }
        results: dict[str, dict[str, float]] = {}
        for name, client in clients.items():
            client.run(args.warmup, args.threads, "warmup")
            rounds = [client.run(args.requests, args.threads, f"r{i}") for i in range(args.rounds)]
            results[name] = min(rounds, key=lambda r: r["cpu_ms_per_request"])
            print(
                f"{name:12} CPU {results[name]['cpu_ms_per_request']:.3f} ms/request "
                f"(rounds: {', '.join(str(r['cpu_ms_per_request']) for r in rounds)}), "
                f"wall {results[name]['wall_ms_per_request']:.3f} ms, {args.threads} thread(s)",
                flush=True,
            )
        report = {
            "benchmark": "CPU per signature, in process",
            "requests": args.requests,
            "rounds": args.rounds,
            "threads": args.threads,
            "cpus": os.cpu_count(),
            "results": results,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "signing_profile.json").write_text(json.dumps(report, indent=2))
        if args.profile:
            print(profiled(clients["signing"], args.requests, args.threads, args.top, args.profile_out))


if __name__ == "__main__":
    main()
