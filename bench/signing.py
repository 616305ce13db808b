"""Signing benchmark (issue 3): a petition going viral. Serves a fresh site with production
settings (granian, 2 workers, embedded SQLite, DEBUG off, rate limits off) on 127.0.0.1 and, with
wrk at 64 connections, measures in one run:

1. the campaign page alone (readers, page cache with a count at most CAMPAIGNS_COUNT_SECONDS old);
2. a bare insert view (one row per POST, one transaction per request) as the baseline;
3. the real signing path (POST to /en/campaigns/<id>/sign/, every request a new address) alone,
   then again with readers loading the campaign page at the same time;
4. the confirmation step (POST to the confirm links of signatures made in step 3).

After each write phase it counts the rows in the database and checks them against the
successful responses. Writes bench/results/signing.json.

Usage: python bench/signing.py [--duration SECONDS] [--connections N] [--threads N]
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
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
    django_step_output,
    figure,
    free_port,
    latency_detail,
    numeral,
    production_env,
    server_command,
    wait_until_up,
)

LUA_SIGN = ROOT / "bench" / "wrk_sign.lua"
LUA_REPORT = ROOT / "bench" / "wrk_report.lua"
WORKERS = 2
BARE_INSERT_TABLE = "bench_bare_insert"

# Issue 3, "Performance".
TARGETS = {
    "page_alone": Target(3, at_least=1000, unit="req/s"),
    "signing": Target(3, at_least=1000, unit="req/s"),
    "signing_p99": Target(3, under=250, unit="ms"),
    "ratio": Target(3, at_least=1.5, unit="×"),
    "page_during_signing_p99": Target(3, under=500, unit="ms"),
    "nothing_lost": Target(3, holds="every success has its rows"),
}


def headline(report: dict) -> list[dict]:
    results = report["results"]
    page, bare, signing = results["page_alone"], results["bare_insert"], results["signing"]
    mixed, reading, confirm = (
        results["signing_with_readers"],
        results["page_during_signing"],
        results["confirm"],
    )
    connections = report["connections"]
    nothing_lost = (
        bare["no_success_lost"]
        and all(phase["no_success_lost"] and phase["tasks_equal_signatures"] for phase in (signing, mixed))
        and confirm["no_success_lost"]
    )
    return [
        figure(
            f"campaign page alone, {connections} connections",
            page["requests_per_second"],
            "req/s",
            target=TARGETS["page_alone"],
            detail=latency_detail(page),
            ok=not page["errors"],
        ),
        figure(
            f"bare insert (baseline), {connections} connections",
            bare["requests_per_second"],
            "req/s",
            detail=latency_detail(bare),
        ),
        figure(
            f"signing, {connections} connections",
            signing["requests_per_second"],
            "req/s",
            target=TARGETS["signing"],
            detail=f"{signing['errors']} errors",
            ok=not signing["errors"],
        ),
        figure("signing p99", signing["latency_p99_ms"], "ms", target=TARGETS["signing_p99"]),
        figure(
            "signing / bare insert",
            results["ratio_signing_to_bare_insert"],
            "×",
            target=TARGETS["ratio"],
        ),
        figure(
            f"signing with {report['readers_during_signing']} readers on the campaign page",
            mixed["requests_per_second"],
            "req/s",
            detail=latency_detail(mixed) + f", {mixed['errors']} errors",
            ok=not mixed["errors"],
        ),
        figure(
            f"campaign page during signing, {report['readers_during_signing']} connections, p99",
            reading["latency_p99_ms"],
            "ms",
            target=TARGETS["page_during_signing_p99"],
            detail=f"{numeral(reading['requests_per_second'])} req/s",
        ),
        figure(
            "confirmation under load",
            confirm["requests_per_second"],
            "req/s",
            detail=latency_detail(confirm),
        ),
        figure(
            "rows written = successes (signatures, their tasks, confirmations, bare rows)",
            bool(nothing_lost),
            target=TARGETS["nothing_lost"],
            detail=f"{signing['signatures_written'] + mixed['signatures_written']:,} signatures, "
            f"{signing['tasks_written'] + mixed['tasks_written']:,} tasks"
            + ("" if nothing_lost else "; rows missing"),
        ),
    ]


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def step_setup() -> None:
    """A petition to sign and the baseline's table; prints the campaign as JSON."""
    django_setup()
    from django.db import connection
    from wagtail.models import Locale

    from hw4all.campaigns import services
    from hw4all.pages.models import HomePage

    home = HomePage.objects.get(locale=Locale.get_default())
    index = services.campaigns_index_ensure(home=home)
    campaign = services.campaign_create(
        index=index,
        title="Invest in health workers now",
        summary="Ask governments to fund and protect the health workforce.",
        target="Health ministers",
        goal=100_000,
        slug="bench-petition",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_INSERT_TABLE} "
            "(id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, created_at TEXT NOT NULL)"
        )
    print(json.dumps({"id": campaign.pk, "url": campaign.url}))


def step_count() -> None:
    """The rows each write phase is checked against; prints them as JSON."""
    django_setup()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from hw4all.campaigns.models import Signature, SignatureStatus

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {BARE_INSERT_TABLE}")
        bare = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "bare_rows": bare,
                "signatures": Signature.objects.count(),
                "confirmed": Signature.objects.filter(status=SignatureStatus.CONFIRMED).count(),
                "confirmation_tasks": DBTaskResult.objects.filter(
                    task_path="hw4all.campaigns.tasks.signature_confirmation_send"
                ).count(),
            }
        )
    )


def step_tokens(path: str) -> None:
    """The token of each pending signature's confirmation link, one a line, as emailed."""
    django_setup()
    from hw4all.campaigns.models import Signature, SignatureStatus
    from hw4all.campaigns.tokens import signature_token

    pending = Signature.objects.filter(status=SignatureStatus.PENDING).order_by("?")
    with open(path, "w") as out:
        for signature in pending.only("pk", "email_normalised").iterator():
            out.write(signature_token(signature) + "\n")


# The runner.


def counts(env: dict[str, str]) -> dict[str, int]:
    return django_step(__file__, env, "count")


def prepare(env: dict[str, str]) -> dict:
    demo_site_create(env)
    return django_step(__file__, env, "setup")


def wrk(
    url: str, duration: int, connections: int, script: Path, *args: str, threads: int = 2
) -> subprocess.Popen:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-H", "Accept-Encoding: gzip", "-s", str(script), url]
    if args:
        command += ["--", *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WRK_THREADS": str(threads)},
    )


def figures(process: subprocess.Popen) -> dict:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed: {stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["requests_per_second"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["errors"] = sum(result[key] for key in result if key.startswith("errors_"))
    return result


def written_check(rows: int, successes: int, connections: int) -> dict:
    """No success without its row. wrk stops with up to one request in flight per connection:
    the server completes those (rows) but wrk never counts their responses, so the rows may
    exceed the successes by at most the number of connections, never fall short."""
    return {
        "in_flight_at_stop": rows - successes,
        "no_success_lost": 0 <= rows - successes <= connections,
    }


def line(name: str, result: dict) -> None:
    cpu = result.get("cpu")
    print(
        f"{name:28} {result['requests_per_second']:8.1f} req/s  p50 {result['latency_p50_ms']:6.1f} ms  "
        f"p99 {result['latency_p99_ms']:6.1f} ms  errors {result['errors']}"
        + (f"  (CPU idle {cpu['idle']:.0%}, steal {cpu['steal']:.0%})" if cpu else ""),
        flush=True,
    )


def signing_phase(
    env: dict[str, str], args: argparse.Namespace, url: str, path: str, nonce: str, *, page: str = ""
) -> tuple[dict, dict | None]:
    """The signing load for `--duration` seconds, with `args.readers` connections loading `page`
    meanwhile if given; the signing figures, the machine's CPU meanwhile and the rows written
    against the successes, and the readers' figures."""
    before = counts(env)
    cpu_before = cpu_times()
    signing_load = wrk(url, args.duration, args.connections, LUA_SIGN, "sign", path, nonce)
    readers = wrk(page, args.duration, args.readers, LUA_REPORT, threads=1) if page else None
    signing = figures(signing_load)
    reading = figures(readers) if readers else None
    signing["cpu"] = cpu_shares(cpu_before, cpu_times())
    after = counts(env)
    signing["signatures_written"] = after["signatures"] - before["signatures"]
    signing["tasks_written"] = after["confirmation_tasks"] - before["confirmation_tasks"]
    signing.update(written_check(signing["signatures_written"], signing["status_3xx"], args.connections))
    signing["tasks_equal_signatures"] = signing["tasks_written"] == signing["signatures_written"]
    return signing, reading


def run(env: dict[str, str], port: int, campaign: dict, args: argparse.Namespace, token_file: str) -> dict:
    base = f"http://127.0.0.1:{port}"
    page = base + campaign["url"]
    sign = f"/en/campaigns/{campaign['id']}/sign/"
    server = subprocess.Popen(
        server_command(port, workers=WORKERS, threads=args.threads),
        env=env,
        cwd=ROOT,
    )
    results: dict = {}
    nonce = secrets.token_hex(3)
    try:
        wait_until_up(page, server)
        urllib.request.urlopen(page).read()

        if args.signing_only:
            signing = figures(
                wrk(base + sign, args.duration, args.connections, LUA_SIGN, "sign", sign, nonce)
            )
            line("signing alone", signing)
            return {"signing_alone": signing}

        cpu_before = cpu_times()
        results["page_alone"] = figures(wrk(page, args.duration, args.connections, LUA_REPORT))
        results["page_alone"]["cpu"] = cpu_shares(cpu_before, cpu_times())
        line("campaign page alone", results["page_alone"])

        before = counts(env)
        cpu_before = cpu_times()
        bare = figures(
            wrk(
                base + "/bench/insert/",
                args.duration,
                args.connections,
                LUA_SIGN,
                "insert",
                "/bench/insert/",
                nonce,
            )
        )
        bare["cpu"] = cpu_shares(cpu_before, cpu_times())
        after = counts(env)
        bare["rows_written"] = after["bare_rows"] - before["bare_rows"]
        bare.update(written_check(bare["rows_written"], bare["status_2xx"], args.connections))
        results["bare_insert"] = bare
        line("bare insert", bare)

        results["signing"], _ = signing_phase(env, args, base + sign, sign, nonce)
        line("signing alone", results["signing"])
        results["ratio_signing_to_bare_insert"] = round(
            results["signing"]["requests_per_second"] / bare["requests_per_second"], 2
        )
        results["signing_with_readers"], results["page_during_signing"] = signing_phase(
            env, args, base + sign, sign, nonce, page=page
        )
        line("signing with readers", results["signing_with_readers"])
        line(f"campaign page, {args.readers} readers", results["page_during_signing"])

        django_step_output(__file__, env, "tokens", token_file)
        tokens = len(Path(token_file).read_text().splitlines())
        before = counts(env)
        confirming = figures(
            wrk(
                base + "/",
                args.duration,
                args.connections,
                LUA_SIGN,
                "confirm",
                "/en/signatures/confirm/",
                token_file,
            )
        )
        after = counts(env)
        confirming["tokens"] = tokens
        confirming["confirmed_written"] = after["confirmed"] - before["confirmed"]
        confirming.update(
            written_check(
                confirming["confirmed_written"], min(confirming["status_2xx"], tokens), args.connections
            )
        )
        results["confirm"] = confirming
        line("confirm", confirming)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("setup", "count", "tokens"):
        {"setup": step_setup, "count": step_count, "tokens": step_tokens}[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "30")))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--readers", type=int, default=16, help="connections loading the page while signing")
    parser.add_argument("--threads", type=int, default=8, help="threads per server worker")
    parser.add_argument("--signing-only", action="store_true", help="for tuning: no baselines, no report")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-signing-") as var_dir:
        port = free_port()
        env = production_env(
            dict(os.environ), var_dir=var_dir, port=port, RATE_LIMITS_ENABLED="0", BENCHMARK_VIEWS="1"
        )
        campaign = prepare(env)
        load_before = [round(x, 2) for x in os.getloadavg()]
        results = run(env, port, campaign, args, str(Path(var_dir) / "tokens.txt"))
    if args.signing_only:
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "signing",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite",
        "connections": args.connections,
        "readers_during_signing": args.readers,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        # Other work on the machine (a test run) takes CPU from the server and from wrk.
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    (RESULTS / "signing.json").write_text(json.dumps(report, indent=2))
    print(f"Ratio signing / bare insert: {results['ratio_signing_to_bare_insert']}")
    print(f"Written to {RESULTS / 'signing.json'}")


if __name__ == "__main__":
    main()
