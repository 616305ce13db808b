"""Workforce import benchmark (issue 8: importing all of the data folder takes under 10 s on the
embedded default). Builds a fresh site in a temporary folder (embedded SQLite, migrated), then,
in a process of its own, imports every known file of the data folder through the same service
as `workforce load`, timing each file (wall clock and the process's CPU time), and imports the
folder a second time (nothing changes: every row is found unchanged).

Writes bench/results/workforce_import.json.

Usage: python bench/workforce_import.py [--folder PATH]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from common import RESULTS, ROOT, Target, django_setup, django_step, figure, site_create

# Issue 8, "Benchmark": importing all of the data folder takes under 10 s on the embedded default.
TARGETS = {"seconds": Target(8, under=10, unit="s")}


def headline(report: dict) -> list[dict]:
    first, again = report["first"], report["again"]
    lines = sum(data_file["lines"] for data_file in first["files"])
    return [
        figure(
            f"import of the data folder ({len(first['files'])} files, {lines:,} lines)",
            first["seconds"],
            "s",
            target=TARGETS["seconds"],
            detail=f"CPU {first['cpu_seconds']} s",
        ),
        figure(
            "the same again, nothing changed", again["seconds"], "s", detail=f"CPU {again['cpu_seconds']} s"
        ),
    ]


def measure(folder: str) -> None:
    django_setup()
    from pathlib import Path

    from hw4all.workforce.loader import data_files_present, data_folder, data_load

    path = Path(folder) if folder else data_folder()
    rounds = []
    for _round in range(2):
        files = []
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for data_file in data_files_present(path):
            # One file at a time through data_load's own loop: a folder holding only that file.
            single = Path(tempfile.mkdtemp(prefix="hw4all-bench-workforce-file-"))
            (single / data_file.file_name).symlink_to(path / data_file.file_name)
            started, cpu = time.perf_counter(), time.process_time()
            [run] = data_load(single)
            files.append(
                {
                    "file": data_file.file_name,
                    "lines": run.lines,
                    "created": run.created,
                    "unchanged": run.unchanged,
                    "seconds": round(time.perf_counter() - started, 3),
                    "cpu_seconds": round(time.process_time() - cpu, 3),
                }
            )
            shutil.rmtree(single)
        rounds.append(
            {
                "files": files,
                "seconds": round(time.perf_counter() - wall_start, 3),
                "cpu_seconds": round(time.process_time() - cpu_start, 3),
            }
        )
    print(json.dumps({"first": rounds[0], "again": rounds[1]}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", default="")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="hw4all-bench-workforce-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hw4all.settings.dev",
        "DEBUG": "0",
        "HW4ALL_VAR_DIR": var_dir,
        "DATABASE_URL": f"sqlite:///{var_dir}/db.sqlite3",
        "TASKS_BACKEND": "immediate",
    }
    try:
        site_create(env)
        result = django_step(__file__, env, "--step", "measure", args.folder)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "workforce_import.json").write_text(json.dumps(result, indent=2) + "\n")
    for name, run in result.items():
        for data_file in run["files"]:
            print(f"{name:6} {data_file['file']:50} {data_file['seconds']:7.2f} s")
        print(f"{name:6} {'total':50} {run['seconds']:7.2f} s (CPU {run['cpu_seconds']:.2f} s)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        {"measure": measure}[sys.argv[2]](sys.argv[3] if len(sys.argv) > 3 else "")
    else:
        os.chdir(ROOT)
        main()
