"""Upload size limits applied while the request body is read, so that an oversized file is never
written to disk or memory: a file that grows past the limit is skipped (the rest of the form is
still read), and a request whose declared length could only hold files over the limit is not read
any further. Each app sets its own limits (library.uploads, practices.uploads).

The storage of uploaded files on the server's disk, which cleans up after a full disk, is here too."""

import contextlib
import functools
import os
import threading

from django.core.files import storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.db import connection, transaction
from django.http import HttpRequest

from hw4all.core.faults import DISK_FULL_ERRORS, StorageFull, storage_full_message


class UploadLimitHandler(FileUploadHandler):
    """Runs before Django's own handlers; it stores nothing, it only stops what is too large.
    `refused` lists the names of the files refused, for the form to say so."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int, request_limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.request_limit = request_limit
        self.request_too_large = False
        self.refused: list[str] = []

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_too_large = content_length > self.request_limit
        return None

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.request_too_large:
            self.refused.append(file_name)
            # Nothing after this point is read: a 2-GB body costs neither disk nor time.
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_limit_install(request: HttpRequest, *, limit: int, request_limit: int) -> UploadLimitHandler:
    """Put the limits (per file, per request body) in front of the request's upload handlers;
    call it before anything reads request.POST or request.FILES (the CSRF check included)."""
    handler = UploadLimitHandler(request, limit=limit, request_limit=request_limit)
    request.upload_handlers.insert(0, handler)
    return handler


# Names of the files this thread stored inside a transaction that has not committed yet: if a
# later file of the same write cannot be stored, the write is rolled back and they are orphans.
_uncommitted = threading.local()


def _uncommitted_names() -> list[str]:
    if not hasattr(_uncommitted, "names"):
        _uncommitted.names = []
    return _uncommitted.names


def _committed(name: str) -> None:
    with contextlib.suppress(ValueError):
        _uncommitted_names().remove(name)


class FileSystemStorage(storage.FileSystemStorage):
    """Django's, except when the disk is full: Django leaves what it had written of the file;
    this removes it, and the files already stored for the same transaction (rolled back by the
    error), and raises StorageFull, which the views turn into "the server could not store the
    file" and the site into a 503."""

    def _save(self, name: str, content) -> str:
        existed = os.path.lexists(self.path(name))
        try:
            name = super()._save(name, content)  # type: ignore[misc]  # Django's, untyped in the stubs
        except OSError as error:
            if error.errno not in DISK_FULL_ERRORS:
                raise
            if not existed:
                self._remove(name)
            names = _uncommitted_names()
            while names:
                self._remove(names.pop())
            raise StorageFull(storage_full_message()) from error
        if connection.in_atomic_block:
            _uncommitted_names().append(name)
            transaction.on_commit(functools.partial(_committed, name))
        return name

    def _remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path(name))
