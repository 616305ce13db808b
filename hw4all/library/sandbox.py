"""Running a function on an uploaded file in a child process with a time and a memory cap.

A file can make a reader take time or memory without end (a damaged PDF, an archive bomb); in a
child process the cost is capped, and a crash of the reader (pdfium is C code) does not take the
caller with it. The child is a fresh interpreter running this module: unlike multiprocessing's
"spawn", it does not import the caller's main script again, and it shares no threads, locks or
database connections with the caller. The function must be importable by name (defined at a
module's top level); its arguments and what it returns must pickle.
"""

import os
import pickle
import resource
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import Any


class TookTooLong(Exception):
    pass


class NeededTooMuchMemory(Exception):
    pass


class ChildFailed(Exception):
    """The child died or raised without answering; the message holds what it said."""


def run_capped(function: Callable[..., Any], *args: Any, time_limit: float, memory_limit_mb: int) -> Any:
    """``function(*args)`` run in a child process that is killed after ``time_limit`` seconds
    (its start included) and whose address space is capped at ``memory_limit_mb``."""
    request = pickle.dumps((function, args, memory_limit_mb))
    # The child finds this project's modules where the caller found them, whatever its directory.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    try:
        answer, errors = child.communicate(request, timeout=time_limit)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise TookTooLong from None
    if child.returncode or not answer:
        said = errors.decode("utf-8", "replace")[-4000:]
        raise ChildFailed(f"The child ended with code {child.returncode} without an answer. {said}")
    outcome, value = pickle.loads(answer)  # noqa: S301 (written by our own child)
    if outcome == "memory":
        raise NeededTooMuchMemory
    if outcome == "error":
        raise ChildFailed(value)
    return value


def child_run():
    function, args, memory_limit_mb = pickle.load(sys.stdin.buffer)  # noqa: S301 (written by run_capped)
    limit = memory_limit_mb * 1024 * 1024
    _, hard_limit = resource.getrlimit(resource.RLIMIT_AS)
    if hard_limit != resource.RLIM_INFINITY:
        limit = min(limit, hard_limit)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        answer = ("done", function(*args))
    except MemoryError:
        answer = ("memory", None)
    except Exception:
        answer = ("error", traceback.format_exc())
    try:
        data = pickle.dumps(answer)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    child_run()
