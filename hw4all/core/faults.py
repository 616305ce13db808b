"""When a dependency fails for a moment — the database locked past its busy timeout or its
connection cut (a PostgreSQL restart), a search index missing — a visitor gets a page saying
"try again in a moment" with a 503 and Retry-After, and an API client the same as problem+json,
instead of the 500 page of an unexpected error.

A view's error becomes the 503 in ServiceUnavailableMiddleware (logged in one line); one raised
where no view can catch it, as in a middleware's write after the view, in the 500 handler
(core.views.server_error); the API's in its own handlers (core.apierrors). Nothing of a failed
write is kept: the services write inside a transaction, which the error rolls back. The 503 page
needs nothing but its template: the database may be what failed."""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("django.request")

# Long enough for a restart or a burst of writes to pass, short enough that a person retries.
RETRY_AFTER_SECONDS = 30


class ServiceUnavailable(Exception):
    """A part of the site cannot answer for now; `message` tells the visitor which."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


# What a write answers when the disk (or the process's file size limit, or a quota) is full.
DISK_FULL_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})


class StorageFull(ServiceUnavailable):
    """A file could not be stored for lack of space; what was written of it is removed."""


def storage_full_message() -> str:
    return _("The server could not store the file: its disk is full. Please try again later.")


def database_unavailable_message() -> str:
    return _("The site is very busy or being restarted, and could not save or read this just now.")


def _message(exc: Exception) -> str | None:
    """What to tell the visitor, or None if the error is not a passing unavailability."""
    if isinstance(exc, ServiceUnavailable):
        return exc.message or database_unavailable_message()
    # The errors of a database that is locked, restarting or unreachable. A programming error
    # (ProgrammingError, IntegrityError) stays a 500: retrying would not help.
    if isinstance(exc, OperationalError | InterfaceError):
        return database_unavailable_message()
    # An upload written to a temporary file while the request is read: nothing was stored.
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRORS:
        return storage_full_message()
    return None


def unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from hw4all.core.apierrors import problem_response  # it installs this module's handler

        return problem_response(
            503, f"{message} {_('Please try again in a moment.')}", headers=_retry_after()
        )
    response = HttpResponse(
        render_to_string("503.html", {"message": message, "form_sent": request.method == "POST"}), status=503
    )
    for name, value in _retry_after().items():
        response[name] = value
    return response


def _retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def api_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The API's handler for the same errors (ninja catches an operation's exceptions itself)."""
    message = _message(exc) or database_unavailable_message()
    logger.warning("Service unavailable: %s (%s: %s)", request.path, type(exc).__name__, exc)
    return unavailable_response(request, message)


class ServiceUnavailableMiddleware:
    """Turns a view's passing database failure (or a ServiceUnavailable) into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        message = _message(exception)
        if message is None:
            return None
        # Logged without the traceback's locals: the error says enough (locked, terminated).
        logger.warning("Service unavailable: %s (%s: %s)", request.path, type(exception).__name__, exception)
        return unavailable_response(request, message)


def unavailable_for_current_exception(request: HttpRequest) -> HttpResponse | None:
    """For the 500 handler: the same 503 when the error escaped the views, as from a write a
    middleware makes after the view (the API's token-use log, the session), else None."""
    exception = sys.exc_info()[1]
    message = _message(exception) if isinstance(exception, Exception) else None
    return None if message is None else unavailable_response(request, message)


@contextmanager
def savepoint_if_atomic() -> Iterator[None]:
    """Inside a transaction, a failed query would spoil the rest of it on PostgreSQL: run the
    block in a savepoint. Outside one (every request: autocommit), a read needs no transaction,
    and on SQLite an opened one would take the write lock."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        yield
