"""Upload size limits applied while the request body is read, so that an oversized file is never
written to disk or memory: a file that grows past the limit is skipped (the rest of the form is
still read), and a request whose declared length could only hold files over the limit is not read
any further. Each app sets its own limits (library.uploads, practices.uploads)."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import HttpRequest


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
