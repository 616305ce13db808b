"""Group commit: many requests' writes in one transaction.

SQLite (and PostgreSQL with synchronous commit) pays most of a write's cost at COMMIT. When a
petition goes viral, requests arrive faster than commits can be made one by one, so each worker
process runs one writer thread: it takes every write that arrives within a few milliseconds,
performs them in one transaction (each in its own savepoint, so one failure spoils no other)
and only then answers the waiting requests. A request is answered after its write is durable,
never before, so an acknowledged signature survives a crash.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from django.db import close_old_connections, connection, transaction


class GroupCommitter:
    def __init__(self, *, max_wait: float = 0.004, max_batch: int = 256, timeout: float = 30.0) -> None:
        self.max_wait = max_wait
        self.max_batch = max_batch
        self.timeout = timeout
        self._queue: queue.Queue[tuple[Callable[[], Any], Future]] = queue.Queue()
        self._lock = threading.Lock()
        self._owner_pid: int | None = None

    def run(self, write: Callable[[], Any]) -> Any:
        """Run `write` inside the next group transaction and return what it returned (or raise
        what it raised) once that transaction is committed."""
        self._ensure_writer()
        future: Future = Future()
        self._queue.put((write, future))
        return future.result(timeout=self.timeout)

    def _ensure_writer(self) -> None:
        # A forked worker inherits the object but not the thread: start one per process.
        if self._owner_pid == os.getpid():
            return
        with self._lock:
            if self._owner_pid != os.getpid():
                self._queue = queue.Queue()
                threading.Thread(target=self._writer, name="group-commit", daemon=True).start()
                self._owner_pid = os.getpid()

    def _collect(self) -> list[tuple[Callable[[], Any], Future]]:
        batch = [self._queue.get()]
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
            outcomes: list[tuple[Future, Any, BaseException | None]] = []
            try:
                with transaction.atomic():
                    for write, future in batch:
                        try:
                            with transaction.atomic():
                                outcomes.append((future, write(), None))
                        except Exception as error:  # the request that sent it receives the error
                            outcomes.append((future, None, error))
            except Exception as error:  # the commit itself failed: nothing in the batch is stored
                connection.close()
                for _write, future in batch:
                    future.set_exception(error)
                continue
            for future, result, failure in outcomes:
                if failure is None:
                    future.set_result(result)
                else:
                    future.set_exception(failure)
