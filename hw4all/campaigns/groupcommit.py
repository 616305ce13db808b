"""Group commit: many requests' writes in one transaction.

SQLite (and PostgreSQL with synchronous commit) pays most of a write's cost at COMMIT. When a
petition goes viral, requests arrive faster than commits can be made one by one, so each worker
process runs one writer thread: it takes every item that arrives within a few milliseconds,
writes the whole batch in one transaction (the batch function answers each item separately, so
one bad item spoils no other) and only then answers the waiting requests. A request is answered
after its write is durable, never before, so an acknowledged signature survives a crash.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import close_old_connections, connection, transaction

# Given the batch's items, returns one outcome per item, in order: a result, or the exception
# that the request which sent the item should raise.
BatchWrite = Callable[[Sequence[Any]], list[Any]]
IDLE_CLOSE_SECONDS = 1


def batch_write_atomic(write_batch: BatchWrite, items: Sequence[Any]) -> list[Any]:
    """Write a batch in one transaction; if the transaction itself fails, every item fails."""
    with transaction.atomic():
        outcomes = write_batch(items)
    if len(outcomes) != len(items):
        raise RuntimeError("a batch write must answer every item")
    return outcomes


@contextlib.contextmanager
def writers_take_turns() -> Iterator[None]:
    """On SQLite, the writer threads of all worker processes queue on a file lock beside the
    database. Without it, a writer that finds the database locked waits in SQLite's busy handler,
    which sleeps in growing steps (up to 100 ms) and so leaves the lock idle while requests
    wait; a file lock wakes the next writer the moment it is released."""
    if connection.vendor != "sqlite":
        yield
        return
    with open(f"{connection.settings_dict['NAME']}.writer-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Pending:
    """One request's item, waiting for its batch. A bare lock, held until the outcome is set, is
    the cheapest way for a thread to sleep until another wakes it (a Future or a Queue pays for
    a condition variable per handoff, which shows under hundreds of requests a second)."""

    __slots__ = ("done", "item", "outcome")

    def __init__(self, item: Any) -> None:
        self.item = item
        self.outcome: Any = None
        self.done = threading.Lock()
        self.done.acquire()

    def settle(self, outcome: Any) -> None:
        self.outcome = outcome
        self.done.release()


class GroupCommitter:
    def __init__(
        self, write_batch: BatchWrite, *, max_wait: float = 0.004, max_batch: int = 256, timeout: float = 30.0
    ) -> None:
        self.write_batch = write_batch
        self.max_wait = max_wait
        self.max_batch = max_batch
        self.timeout = timeout
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._owner_pid: int | None = None

    def run(self, item: Any) -> Any:
        """Write `item` in the next group transaction and return its outcome (or raise its
        error) once that transaction is committed."""
        self._ensure_writer()
        pending = _Pending(item)
        self._queue.put(pending)
        if not pending.done.acquire(timeout=self.timeout):
            raise TimeoutError("the group writer did not answer in time")
        if isinstance(pending.outcome, BaseException):
            raise pending.outcome
        return pending.outcome

    def _ensure_writer(self) -> None:
        # A forked worker inherits the object but not the thread: start one per process.
        if self._owner_pid == os.getpid():
            return
        with self._lock:
            if self._owner_pid != os.getpid():
                self._queue = queue.SimpleQueue()
                threading.Thread(target=self._writer, name="group-commit", daemon=True).start()
                self._owner_pid = os.getpid()

    def _collect(self) -> list[_Pending]:
        try:
            first = self._queue.get(timeout=IDLE_CLOSE_SECONDS)
        except queue.Empty:
            # An idle writer holds no connection, so the database may restart or be dropped
            # (a test database at the end of the run) meanwhile.
            connection.close()
            first = self._queue.get()
        batch = [first]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                batch.append(
                    self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                )
            except queue.Empty:
                break
        return batch

    def _writer(self) -> None:
        while True:
            batch = self._collect()
            close_old_connections()
            try:
                with writers_take_turns():
                    outcomes = batch_write_atomic(self.write_batch, [pending.item for pending in batch])
            except Exception as error:  # the commit itself failed: nothing in the batch is stored
                connection.close()
                outcomes = [error] * len(batch)
            for pending, outcome in zip(batch, outcomes, strict=True):
                pending.settle(outcome)
