"""The benchmark suite (bench/all.py, `make bench`): every benchmark script is in it, its summary
states each figure against its target, and a benchmark that fails or runs over its time is
recorded and stopped, never left running. The benchmarks themselves are not run here: their
results are synthetic files, and the benchmarks run by the suite are small scripts."""

import importlib.util
import json
import re
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
_spec = importlib.util.spec_from_file_location("bench_suite", BENCH / "all.py")
SUITE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SUITE)


@pytest.fixture
def suite(monkeypatch):
    """bench/all.py. The scripts it imports for their headline() import common.py and each other
    from bench/, as they do when run: sys.path and sys.modules are left as they were found."""
    monkeypatch.syspath_prepend(str(BENCH))
    yield SUITE
    for name, module in list(sys.modules.items()):
        if Path(getattr(module, "__file__", None) or "/").parent == BENCH:
            del sys.modules[name]


def test_every_benchmark_script_is_in_the_suite(suite):
    scripts = {path.name for path in BENCH.glob("*.py")}
    in_suite = {benchmark.script for benchmark in suite.BENCHMARKS}

    assert scripts - suite.HELPERS == in_suite, "a bench/*.py script the suite does not run"
    assert len({benchmark.name for benchmark in suite.BENCHMARKS}) == len(suite.BENCHMARKS)
    assert len({benchmark.result for benchmark in suite.BENCHMARKS}) == len(suite.BENCHMARKS)


@pytest.mark.parametrize("benchmark", SUITE.BENCHMARKS, ids=lambda benchmark: benchmark.name)
def test_each_benchmark_states_its_targets_and_what_the_suite_passes_it(suite, benchmark):
    script = benchmark.script
    source = (BENCH / script).read_text()
    module = suite.script_module(benchmark)
    common = sys.modules["common"]

    assert callable(module.headline)
    assert all(isinstance(target, common.Target) for target in module.TARGETS.values())
    # The suite looks for the file the script writes, and passes only options the script has.
    assert f'"{benchmark.result}"' in source or f'"{benchmark.result.removesuffix(".json")}' in source
    for option in [*benchmark.quick, *(["--duration"] if benchmark.loads else [])]:
        if option.startswith("--"):
            assert f'"{option}"' in source, f"{script} has no {option}"


def write(folder: Path, name: str, report: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(report))


def wrk(requests_per_second: float, *, p50: float, p99: float, errors: int = 0, **extra: int) -> dict:
    return {
        "requests_per_second": requests_per_second,
        "latency_p50_ms": p50,
        "latency_p99_ms": p99,
        "errors": errors,
        "status_other": 0,
        **extra,
    }


def api_cache_report(*, uncached: float, errors: int = 0) -> dict:
    return {
        "connections": 16,
        "uncached": wrk(uncached, p50=60, p99=120, errors=errors),
        "not_modified": wrk(2000, p50=6, p99=24),
        "in_process": {"cpu_ms_per_request": 4.7, "queries_per_request": 1},
    }


def timing(p50: float, p95: float, p99: float) -> dict:
    return {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99}


def entry_of(summary: dict, name: str) -> dict:
    return next(entry for entry in summary["benchmarks"] if entry["name"] == name)


def test_the_summary_sets_each_figure_against_its_target(suite, tmp_path):
    results = tmp_path / "results"
    write(results, "api_cache.json", api_cache_report(uncached=250))
    write(
        results,
        "workforce_import.json",
        {
            "first": {"files": [{"lines": 22362}, {"lines": 17195}], "seconds": 2.08, "cpu_seconds": 1.9},
            "again": {"files": [], "seconds": 0.96, "cpu_seconds": 0.9},
        },
    )
    write(
        results,
        "questionnaire_fill.json",
        {
            "generated": {"questions": 200},
            "queries": {"form_page": 3, "draft_save": 7},
            "form_page": timing(23, 160, 210),
            "draft_save": timing(12, 15, 138),
        },
    )
    # Not run this time, but measured before: its figures, dated.
    write(
        results,
        "workforce_pages.json",
        {
            "countries": ["ken", "gbr"],
            "queries": {"profile": 6, "shortage": 2},
            "profile_page": timing(18.6, 25.4, 27.4),
            "shortage_page": timing(19.7, 21.7, 22.4),
            "chart_svg_cold": timing(61.9, 436, 436),
            "chart_svg_warm": timing(3.5, 4.9, 5.6),
        },
    )
    # A result of an earlier run must not stand for a benchmark that failed this time.
    write(results, "pages.json", {"results": {}})
    ok = {"status": "ok", "seconds": 60.0}
    records = {
        "api_cache": ok,
        "workforce_import": ok,
        "questionnaire_fill": ok,
        "pages": {"status": "failed", "seconds": 3.0, "error": "wrk is needed | apt-get install wrk\nexit 1"},
        "signing": {"status": "timed out", "seconds": 1020.0, "error": "stopped after its time limit"},
    }

    summary = suite.summary_build(records, results_dir=results, quick=False, duration=15)
    suite.summary_write(summary, results)

    assert summary["failed"] == ["pages", "signing"]
    statuses = {entry["name"]: entry["status"] for entry in summary["benchmarks"]}
    assert statuses["api_cache"] == "ok"
    assert statuses["workforce_pages"] == "earlier run"
    assert statuses["library"] == "no result"
    assert entry_of(summary, "pages")["figures"] == []
    api = entry_of(summary, "api_cache")
    assert [figure["met"] for figure in api["figures"]] == [False, True, None]  # the last: reported only
    assert api["met"] is False
    assert entry_of(summary, "workforce_import")["met"] is True
    fill = entry_of(summary, "questionnaire_fill")
    assert [figure["met"] for figure in fill["figures"]] == [False, True]
    # api_cache 1 of 2, workforce_import 1 of 1, questionnaire_fill 1 of 2, workforce_pages 2 of 2.
    assert summary["targets"] == {"met": 5, "of": 7}
    assert summary["machine"]["cores"] >= 1
    assert summary["machine"]["sqlite"].count(".") == 2
    assert re.fullmatch(r"[0-9a-f]{40}", summary["git"]["commit"])
    assert json.loads((results / "summary.json").read_text()) == summary

    table = (results / "summary.md").read_text()
    assert (
        "| api_cache (`bench/api_cache.py`) | uncached pages, 16 connections | 250 req/s (p50 60, p99 120 ms) "
        "| ≥ 300 req/s (issue 9) | **no** |"
    ) in table
    assert (
        "|  | 304 path (If-None-Match), 16 connections | 2,000 req/s (p50 6, p99 24 ms) | ≥ 1,000 req/s (issue 9) | yes |"
        in table
    )
    assert "|  | CPU per uncached page, in process | 4.7 ms (1 query) |  |  |" in table
    assert (
        "| workforce_import (`bench/workforce_import.py`) | import of the data folder (2 files, 39,557 lines) | 2.08 s (CPU 1.9 s) | < 10 s (issue 8) | yes |"
        in table
    )
    assert (
        "form page of 200 questions, p95, one client | 160 ms (p50 23, p99 210 ms; 3 queries) | ≤ 150 ms (issue 7) | **no** |"
        in table
    )
    assert "| workforce_pages (`bench/workforce_pages.py`), run 20" in table
    # An error's bars and lines stay inside its one row.
    assert "| pages (`bench/run.py`) | failed: wrk is needed \\| apt-get install wrk exit 1 | | | |" in table
    assert "| signing (`bench/signing.py`) | timed out: stopped after its time limit | | | |" in table
    assert "| library (`bench/library.py`) | no result | | | |" in table
    assert "Targets met: 5 of 7. Failed or timed out: pages, signing." in table
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert all(len(re.split(r"(?<!\\)\|", row)) == 7 for row in rows)  # five cells


def test_errors_miss_a_target_whatever_the_figure(suite, tmp_path):
    write(tmp_path, "api_cache.json", api_cache_report(uncached=400, errors=3))
    [api] = suite.summary_build(
        {"api_cache": {"status": "ok"}},
        results_dir=tmp_path,
        quick=False,
        duration=None,
        benchmarks=[b for b in suite.BENCHMARKS if b.name == "api_cache"],
    )["benchmarks"]

    assert api["figures"][0]["value"] == 400
    assert api["figures"][0]["met"] is False


def test_a_result_the_headline_cannot_read_is_a_failure_not_a_crash(suite, tmp_path):
    write(tmp_path, "api_cache.json", {"benchmark": "an older shape"})
    summary = suite.summary_build(
        {},
        results_dir=tmp_path,
        quick=False,
        duration=None,
        benchmarks=[b for b in suite.BENCHMARKS if b.name == "api_cache"],
    )

    [api] = summary["benchmarks"]
    assert api["status"] == "failed"
    assert "could not be read" in api["error"]
    assert summary["failed"] == ["api_cache"]


@pytest.mark.parametrize(("report", "status"), [(api_cache_report(uncached=250), 0), ({"older": 1}, 1)])
def test_the_exit_status_says_whether_a_benchmark_failed_not_whether_targets_were_met(
    suite, tmp_path, monkeypatch, capsys, report, status
):
    monkeypatch.setattr(suite, "RESULTS", tmp_path)
    monkeypatch.setattr(sys, "argv", ["all.py", "--summary-only"])
    write(tmp_path, "api_cache.json", report)

    assert suite.main() == status
    assert (tmp_path / "summary.md").read_text() in capsys.readouterr().out


def test_quick_runs_write_apart_from_full_ones(suite):
    library = next(b for b in suite.BENCHMARKS if b.name == "library")
    signing = next(b for b in suite.BENCHMARKS if b.name == "signing")

    assert library.arguments(quick=True, duration=30) == ["--quick"]
    assert library.result_name(quick=True) == "library-quick.json"
    assert signing.arguments(quick=False, duration=12) == ["--duration", "12"]
    assert signing.arguments(quick=False, duration=None) == []
    # Its limit grows with the duration of its five load runs.
    assert signing.time_limit(quick=False, duration=60) - signing.time_limit(quick=False, duration=30) == 150


# The runner, with small scripts standing in for benchmarks.


def fake(suite, tmp_path: Path, code: str, *, limit: int = 60):
    script = tmp_path / "fake_benchmark.py"
    script.write_text(code)
    return suite.Benchmark("fake", str(script), "a stand-in", "fake.json", setup_seconds=limit)


def run(suite, tmp_path: Path, benchmark) -> dict:
    return suite.run_benchmark(
        benchmark, quick=False, duration=None, results_dir=tmp_path / "results", logs_dir=tmp_path / "logs"
    )


def test_a_benchmark_that_writes_its_result_is_ok(suite, tmp_path):
    benchmark = fake(
        suite,
        tmp_path,
        "import os, pathlib\n"
        "print('measuring')\n"
        "pathlib.Path(os.environ['BENCH_RESULTS_DIR'], 'fake.json').write_text('{}')\n",
    )

    record = run(suite, tmp_path, benchmark)

    assert record["status"] == "ok"
    assert (tmp_path / "results" / "fake.json").exists()
    assert Path(record["log"]).read_text() == "measuring\n"


def test_a_failing_benchmark_is_recorded_with_its_error(suite, tmp_path):
    benchmark = fake(suite, tmp_path, "import sys\nsys.exit('wrk is needed: apt-get install wrk')\n")

    record = run(suite, tmp_path, benchmark)

    assert record["status"] == "failed"
    assert record["error"] == "wrk is needed: apt-get install wrk"


def test_a_benchmark_that_writes_no_result_failed(suite, tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "fake.json").write_text("{}")  # an earlier run's
    time.sleep(0.05)
    benchmark = fake(suite, tmp_path, "print('nothing measured')\n")

    record = run(suite, tmp_path, benchmark)

    assert record["status"] == "failed"
    assert record["error"] == "it wrote no fake.json"


def alive(pid: int) -> bool:
    """Whether the process still runs, a few seconds allowed for a kill to land."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def test_a_benchmark_over_its_time_is_stopped_with_its_children(suite, tmp_path, monkeypatch):
    monkeypatch.setattr(suite, "STOP_GRACE_SECONDS", 1)
    children = tmp_path / "children.txt"
    # It ignores the interrupt (as a hung server might), and so does its child: both are killed.
    benchmark = fake(
        suite,
        tmp_path,
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "child = subprocess.Popen(['sleep', '600'])\n"
        f"open({str(children)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)\n",
        limit=2,
    )
    started = time.monotonic()

    record = run(suite, tmp_path, benchmark)

    assert record["status"] == "timed out"
    assert time.monotonic() - started < 30
    assert not alive(int(children.read_text()))
