"""The benchmark suite (`make bench`): every benchmark in bench/, one after the other, each in a
process of its own against its own production server on 127.0.0.1, then one summary of their
headline figures next to the targets the issues set.

Each benchmark has a time limit (its set-up plus its load runs at the chosen duration): one that
passes it is stopped, with its server, and recorded as timed out. One that fails or times out is
recorded with its error and the suite goes on; the exit status is then 1.

Writes bench/results/summary.json (the machine, the commit, each benchmark's status, figures,
targets and whether they are met) and bench/results/summary.md (the same as a Markdown table);
each benchmark's output goes to bench/results/logs/<name>.log. With --quick every benchmark makes
short runs on less data, for trying the suite, and everything goes to bench/results/quick/, so
that a quick run never replaces the figures of a full one.

Usage: python bench/all.py [--duration SECONDS] [--quick] [--only NAME,NAME] [--summary-only] [--list]
"""

import argparse
import contextlib
import datetime
import importlib
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"

# Files of bench/ that are not benchmarks: the suite, what the benchmarks share, and a step of the
# page benchmark.
HELPERS = {"all.py", "common.py", "populate.py"}

# A stopped benchmark gets this long to stop its server and remove its temporary site.
STOP_GRACE_SECONDS = 30


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    what: str
    result: str  # the file it writes in the results folder
    setup_seconds: int  # the time limit, apart from its load runs: generous on a shared machine
    loads: int = 0  # how many load runs of --duration seconds it makes (0: it takes no --duration)
    default_duration: int = 0
    quick: tuple[str, ...] = ()  # its arguments for a quick run
    quick_seconds: int | None = None  # the time limit of a quick run (None: as a full run)

    def arguments(self, *, quick: bool, duration: int | None) -> list[str]:
        if quick:
            return list(self.quick)
        return ["--duration", str(duration)] if self.loads and duration else []

    def time_limit(self, *, quick: bool, duration: int | None) -> int:
        if quick and self.quick_seconds:
            return self.quick_seconds
        return self.setup_seconds + self.loads * ((duration or self.default_duration) + 10)

    def result_name(self, *, quick: bool) -> str:
        """Scripts with a --quick of their own name its result apart."""
        return (
            self.result.replace(".json", "-quick.json") if quick and "--quick" in self.quick else self.result
        )


BENCHMARKS = [
    Benchmark(
        "pages",
        "run.py",
        "home, news list, article and events list at 32 connections, page cache on and off (issue 2)",
        "pages.json",
        setup_seconds=20 * 60,
        loads=8,
        default_duration=15,
        quick=("--duration", "3"),
        quick_seconds=15 * 60,
    ),
    Benchmark(
        "signing",
        "signing.py",
        "a petition's signing path at 64 connections against a bare insert, its page, the "
        "confirmation (issue 3)",
        "signing.json",
        setup_seconds=15 * 60,
        loads=5,
        default_duration=30,
        quick=("--duration", "3"),
    ),
    Benchmark(
        "signing_profile",
        "signing_profile.py",
        "CPU per signature and per bare insert in one process, without a server (issue 3)",
        "signing_profile.json",
        setup_seconds=15 * 60,
        quick=("--requests", "300", "--warmup", "50", "--rounds", "1"),
    ),
    Benchmark(
        "library",
        "library.py",
        "faceted search over 100,000 resources: one client, 16 connections, the API; a 100-page PDF "
        "indexed (issue 4)",
        "library.json",
        setup_seconds=45 * 60,
        loads=2,
        default_duration=20,
        quick=("--quick",),
        quick_seconds=15 * 60,
    ),
    Benchmark(
        "practices",
        "practices.py",
        "case studies listing, filters and API with 10 and 10,000 cases: queries, one client, "
        "16 connections (issue 5)",
        "practices.json",
        setup_seconds=35 * 60,
        loads=7,
        default_duration=10,
        quick=("--quick",),
        quick_seconds=15 * 60,
    ),
    Benchmark(
        "forum_thread",
        "forum_thread.py",
        "a thread of 2,000 comments: queries, one client, 8 connections (issue 6)",
        "forum_thread.json",
        setup_seconds=25 * 60,
        loads=2,
        default_duration=15,
        quick=("--quick",),
        quick_seconds=15 * 60,
    ),
    Benchmark(
        "forum_activity",
        "forum_activity.py",
        "a space's activity page at page 1 and page 500 of 100,000 activities (issue 6)",
        "forum_activity.json",
        setup_seconds=30 * 60,
        loads=2,
        default_duration=10,
        quick=("--quick",),
        quick_seconds=15 * 60,
    ),
    Benchmark(
        "questionnaire_fill",
        "questionnaire_fill.py",
        "a 200-question questionnaire: the form page and a draft save, one client (issue 7)",
        "questionnaire_fill.json",
        setup_seconds=15 * 60,
        quick=("--quick",),
    ),
    Benchmark(
        "questionnaire_export",
        "questionnaire_export.py",
        "CSV export of 5,000 and 50,000 responses over HTTP: time and the worker's memory (issue 7)",
        "questionnaire_export.json",
        setup_seconds=30 * 60,
        quick=("--small", "500", "--large", "5000"),
    ),
    Benchmark(
        "codereports_dashboard",
        "codereports_dashboard.py",
        "a reporting round's dashboard with 200 reports, per question kind, in process (issue 7)",
        "codereports_dashboard.json",
        setup_seconds=20 * 60,
        quick=("--reports", "50", "--requests", "10"),
    ),
    Benchmark(
        "workforce_import",
        "workforce_import.py",
        "importing the whole workforce data folder, then again unchanged (issue 8)",
        "workforce_import.json",
        setup_seconds=15 * 60,
    ),
    Benchmark(
        "workforce_pages",
        "workforce_pages.py",
        "country profiles, the world shortage table and a chart, one client (issue 8)",
        "workforce_pages.json",
        setup_seconds=20 * 60,
        quick=("--quick",),
    ),
    Benchmark(
        "api_cache",
        "api_cache.py",
        "the public API's list, 100 items a page, at 16 connections: uncached and the 304 path (issue 9)",
        "api_cache.json",
        setup_seconds=15 * 60,
        loads=2,
        default_duration=10,
        quick=("--quick",),
    ),
]


def script_module(benchmark: Benchmark) -> ModuleType:
    """The benchmark's script as a module, for its TARGETS and headline(); the scripts import
    each other and common.py from bench/."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(Path(benchmark.script).stem)


# Running.


def run_benchmark(
    benchmark: Benchmark, *, quick: bool, duration: int | None, results_dir: Path, logs_dir: Path
) -> dict:
    """Run one benchmark within its time limit; what became of it."""
    limit = benchmark.time_limit(quick=quick, duration=duration)
    result_file = results_dir / benchmark.result_name(quick=quick)
    results_dir.mkdir(parents=True, exist_ok=True)
    logs_dir.mkdir(parents=True, exist_ok=True)
    log = logs_dir / f"{benchmark.name}.log"
    command = [
        sys.executable,
        str(BENCH / benchmark.script),
        *benchmark.arguments(quick=quick, duration=duration),
    ]
    print(f"{benchmark.name}: started, at most {limit // 60} min {limit % 60} s (log: {log})", flush=True)
    started_at = time.time()
    started = time.monotonic()
    with log.open("w") as output:
        # A session of its own: its server and load generators are stopped with it.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "BENCH_RESULTS_DIR": str(results_dir), "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # On a time-out, or the suite interrupted: the benchmark first, then whatever it left.
            stop(process)
    seconds = round(time.monotonic() - started, 1)
    record = {"status": "ok", "seconds": seconds, "log": str(log), "command": command[1:]}
    if timed_out:
        record.update(status="timed out", error=f"stopped after its time limit of {limit} s")
    elif process.returncode != 0:
        record.update(status="failed", error=log_tail(log) or f"exit status {process.returncode}")
    elif not result_file.exists() or result_file.stat().st_mtime < started_at:
        record.update(status="failed", error=f"it wrote no {result_file.name}")
    print(f"{benchmark.name}: {record['status']} in {seconds:.0f} s", flush=True)
    return record


def stop(process: subprocess.Popen) -> None:
    """Stop a benchmark's process group: an interrupt first (its finally blocks stop its server
    and remove its temporary site), then a kill for what remains."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE_SECONDS)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def log_tail(log: Path, lines: int = 5) -> str:
    """The last lines a failed benchmark wrote: usually its error."""
    text = log.read_text(errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])


# The summary.


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 2**20, 1)
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": platform.platform(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def git_state() -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def benchmark_summary(benchmark: Benchmark, record: dict | None, results_dir: Path, *, quick: bool) -> dict:
    """One benchmark's entry: its status, its result file and its headline figures. Without a
    record (not run this time), the figures of its last result file, if any, dated."""
    result_file = results_dir / benchmark.result_name(quick=quick)
    entry: dict = {
        "name": benchmark.name,
        "script": f"bench/{benchmark.script}",
        "what": benchmark.what,
        "result_file": str(result_file.relative_to(ROOT))
        if result_file.is_relative_to(ROOT)
        else str(result_file),
        "figures": [],
        "met": None,
    }
    if record is not None:
        entry.update(record)
        if record["status"] != "ok":
            return entry
    elif result_file.exists():
        entry["status"] = "earlier run"
    else:
        entry["status"] = "no result"
        return entry
    entry["result_date"] = datetime.datetime.fromtimestamp(
        result_file.stat().st_mtime, datetime.UTC
    ).isoformat(timespec="seconds")
    try:
        report = json.loads(result_file.read_text())
        entry["figures"] = script_module(benchmark).headline(report)
    except Exception as error:  # a result file of an older shape must not stop the summary
        entry.update(status="failed", error=f"its result could not be read: {error!r}", figures=[])
        return entry
    verdicts = [item["met"] for item in entry["figures"] if item["met"] is not None]
    entry["met"] = all(verdicts) if verdicts else None
    return entry


def summary_build(
    records: dict[str, dict],
    *,
    results_dir: Path,
    quick: bool,
    duration: int | None,
    benchmarks: list[Benchmark] | None = None,
) -> dict:
    entries = [
        benchmark_summary(benchmark, records.get(benchmark.name), results_dir, quick=quick)
        for benchmark in benchmarks or BENCHMARKS
    ]
    figures = [item for entry in entries for item in entry["figures"] if item["met"] is not None]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "duration_s": duration,
        "machine": machine(),
        "git": git_state(),
        "benchmarks": entries,
        "targets": {"met": sum(item["met"] for item in figures), "of": len(figures)},
        "failed": [entry["name"] for entry in entries if entry["status"] in ("failed", "timed out")],
    }


def cell(text: object) -> str:
    """Text for one cell of a Markdown table: on one line, its bars escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(summary: dict) -> str:
    host = summary["machine"]
    git = summary["git"]
    commit = (git["commit"][:12] or "unknown") + (
        " with uncommitted changes" if git["uncommitted_changes"] else ""
    )
    runs = (
        "quick runs (--quick: less data, short loads; not comparable with the targets)"
        if summary["quick"]
        else (
            f"{summary['duration_s']} s per load run"
            if summary["duration_s"]
            else "each benchmark's own durations"
        )
    )
    lines = [
        "# Benchmarks",
        "",
        f"{summary['date']} · commit {commit} · {host['cores']} cores ({host['cpu_model'] or 'unknown CPU'}), "
        f"{host['memory_gib']} GiB, Python {host['python']}, SQLite {host['sqlite']} · "
        f"load average {' / '.join(str(value) for value in host['load_average'])} at the end · {runs}",
        "",
        f"Targets met: {summary['targets']['met']} of {summary['targets']['of']}."
        + (f" Failed or timed out: {', '.join(summary['failed'])}." if summary["failed"] else ""),
        "",
        "| benchmark | what | figure | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for entry in summary["benchmarks"]:
        name = f"{entry['name']} (`{entry['script']}`)"
        if entry["status"] == "earlier run":
            name += f", run {entry['result_date'][:16].replace('T', ' ')}"
        if not entry["figures"]:
            problem = entry["status"] + (f": {entry['error']}" if entry.get("error") else "")
            lines.append(f"| {cell(name)} | {cell(problem)} | | | |")
            continue
        for index, item in enumerate(entry["figures"]):
            met = {True: "yes", False: "**no**", None: ""}[item["met"]]
            lines.append(
                f"| {cell(name) if index == 0 else ''} | {cell(item['what'])} | {cell(item['shown'])} "
                f"| {cell(item['target'])} | {met} |"
            )
    return "\n".join(lines) + "\n"


def summary_write(summary: dict, results_dir: Path) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    (results_dir / "summary.md").write_text(markdown(summary))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ["BENCH_DURATION"]) if os.environ.get("BENCH_DURATION") else None,
        help="seconds of each load run (default: BENCH_DURATION, else each benchmark's own)",
    )
    parser.add_argument("--quick", action="store_true", help="short runs on less data, for trying the suite")
    parser.add_argument("--only", default="", help="comma-separated names (see --list)")
    parser.add_argument(
        "--summary-only", action="store_true", help="run nothing: summarise the result files there are"
    )
    parser.add_argument("--list", action="store_true", help="the benchmarks, their names and time limits")
    args = parser.parse_args()
    names = [name for name in args.only.split(",") if name]
    unknown = set(names) - {benchmark.name for benchmark in BENCHMARKS}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; see --list")
    chosen = [benchmark for benchmark in BENCHMARKS if not names or benchmark.name in names]
    if args.list:
        for benchmark in BENCHMARKS:
            limit = benchmark.time_limit(quick=args.quick, duration=args.duration)
            print(f"{benchmark.name:22} {benchmark.script:26} ≤ {limit // 60:3d} min  {benchmark.what}")
        return 0

    results_dir = RESULTS / "quick" if args.quick else RESULTS
    records: dict[str, dict] = {}
    if not args.summary_only:
        for benchmark in chosen:
            records[benchmark.name] = run_benchmark(
                benchmark,
                quick=args.quick,
                duration=args.duration,
                results_dir=results_dir,
                logs_dir=results_dir / "logs",
            )
    summary = summary_build(records, results_dir=results_dir, quick=args.quick, duration=args.duration)
    summary_write(summary, results_dir)
    print(markdown(summary))
    print(f"Written to {results_dir / 'summary.json'} and {results_dir / 'summary.md'}")
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
