"""What every benchmark does: a fresh demo site in a temporary folder, production settings,
the production server (granian) on a free loopback port, and a wait until it answers; and how each
states its headline figures against the issues' targets for the suite (bench/all.py)."""

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The suite's quick runs write elsewhere, so that they never replace the figures of a full run.
RESULTS = Path(os.environ.get("BENCH_RESULTS_DIR") or ROOT / "bench" / "results")


@dataclass(frozen=True)
class Target:
    """What an issue asks of a figure: at least (a rate), at most or under (a time) a limit, or a
    condition that holds (`holds`, the figure's value then True or False). `issue` None: the
    benchmark's own goal, which no issue sets."""

    issue: int | None
    at_least: float | None = None
    at_most: float | None = None
    under: float | None = None
    unit: str = ""
    holds: str = ""

    def met(self, value: float | bool) -> bool:
        if self.at_least is not None:
            return value >= self.at_least
        if self.at_most is not None:
            return value <= self.at_most
        if self.under is not None:
            return value < self.under
        return value is True

    def __str__(self) -> str:
        if self.at_least is not None:
            text = f"≥ {numeral(self.at_least)} {self.unit}"
        elif self.at_most is not None:
            text = f"≤ {numeral(self.at_most)} {self.unit}"
        elif self.under is not None:
            text = f"< {numeral(self.under)} {self.unit}"
        else:
            text = self.holds
        return f"{text.strip()} ({f'issue {self.issue}' if self.issue else 'own goal; no issue sets one'})"


def numeral(value: float) -> str:
    """1,709 / 25.4 / 0.68: as many digits as a benchmark's figure means on a shared machine."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def figure(
    what: str,
    value: float | bool | None,
    unit: str = "",
    *,
    target: Target | None = None,
    detail: str = "",
    ok: bool = True,
) -> dict:
    """One headline figure for the suite's summary. `met` is None without a target (reported
    only) or without a value; `ok` false (errors, lost rows) misses the target whatever the value."""
    if isinstance(value, bool):
        shown = detail or ("yes" if value else "no")
    elif value is None:
        shown = "not measured"
    else:
        shown = f"{numeral(value)} {unit}".strip() + (f" ({detail})" if detail else "")
    return {
        "what": what,
        "value": value,
        "unit": unit,
        "shown": shown,
        "target": str(target) if target else "",
        "issue": target.issue if target else None,
        "met": None if target is None or value is None else bool(target.met(value) and ok),
    }


def latency_detail(result: dict) -> str:
    """p50 / p99 of a wrk run (wrk_report.lua's keys) or of a timing_summary."""
    if "latency_p50_ms" in result:
        return f"p50 {numeral(result['latency_p50_ms'])}, p99 {numeral(result['latency_p99_ms'])} ms"
    return f"p50 {numeral(result['p50_ms'])}, p99 {numeral(result['p99_ms'])} ms"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(base_env: dict[str, str], *, var_dir: str, port: int, **extra: str) -> dict[str, str]:
    return {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "hw4all.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "HW4ALL_VAR_DIR": var_dir,
        "SITE_URL": f"http://127.0.0.1:{port}",
        **extra,
    }


CPU_STATES = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def cpu_times() -> list[int]:
    """The machine's CPU time counters from /proc/stat, in the order of CPU_STATES."""
    with open("/proc/stat") as stat:
        return [int(value) for value in stat.readline().split()[1 : 1 + len(CPU_STATES)]]


def cpu_shares(before: list[int], after: list[int]) -> dict[str, float]:
    """How the machine's CPU time was spent between two readings. On a virtual machine "steal"
    is the time the hypervisor gave to others: a loaded neighbour lowers every figure."""
    deltas = [end - start for start, end in zip(before, after, strict=True)]
    total = sum(deltas) or 1
    return {state: round(delta / total, 3) for state, delta in zip(CPU_STATES, deltas, strict=True)}


def server_command(port: int, *, workers: int, threads: int) -> list[str]:
    """The production server as docs/deployment.md runs it, on loopback."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "hw4all.wsgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--backlog",
        "4096",
        "--log-level",
        "warning",
    ]


def django_setup() -> None:
    """For a benchmark's steps that run inside Django, in a process of their own."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def django_step_output(script: str, env: dict[str, str], *args: str) -> str:
    """Run one of `script`'s steps in a process with the site's settings; what it printed."""
    return subprocess.run(
        [sys.executable, script, *args], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout


def django_step(script: str, env: dict[str, str], *args: str) -> dict:
    """The JSON a step printed on its last line."""
    return json.loads(django_step_output(script, env, *args).strip().splitlines()[-1])


def timing_summary(timings_ms: list[float]) -> dict[str, float]:
    """Mean, median, 95th and 99th percentiles and maximum of request times, in ms."""
    ordered = sorted(timings_ms)

    def percentile(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {
        "mean_ms": round(statistics.fmean(ordered), 1),
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": round(ordered[-1], 1),
    }


def site_create(env: dict[str, str]) -> None:
    """A site without content: migrate and collect static files."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def demo_site_create(env: dict[str, str]) -> None:
    """The same steps as `make run`: migrate, collect static files, load the demo."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    """Until `url` answers and every worker has started: the first worker up answers while the
    others still load the application (several seconds each), which a load started then would
    measure."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        raise RuntimeError("the server did not start in time")
    used = _cpu_ticks(server.pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = _cpu_ticks(server.pid)
        # Under a tenth of a core over the last second: nothing is loading any more.
        if now - used < os.sysconf("SC_CLK_TCK") / 10:
            return
        used = now
    raise RuntimeError("the server's workers did not finish starting in time")


def process_tree(pid: int) -> list[int]:
    """A process and its descendants still running."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            pids += process_tree(int(child))
    return pids


def _cpu_ticks(pid: int) -> int:
    """CPU time used by a process and its descendants still running, in clock ticks."""
    ticks = 0
    for member in process_tree(pid):
        try:
            # The command name, in parentheses, may hold spaces: the fields after it are fixed.
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # ended since it was listed
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks
