"""The size limit on authors' attachments, applied while the request body is read (as the library
does for its uploads), so an oversized file is never written to disk or memory."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import HttpRequest

from .services.cases import attachment_limit_bytes

# Room for the title, the CSRF token and the multipart boundaries around the one file.
FORM_MARGIN_BYTES = 64 * 1024


class AttachmentLimitHandler(FileUploadHandler):
    """Runs before Django's own handlers and stores nothing: a file that grows past the limit is
    skipped (the title is still read), a body that can only hold such a file is not read at all.
    `refused` names the files refused, for the page to say so."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = attachment_limit_bytes()
        self.request_too_large = False
        self.refused: list[str] = []

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_too_large = content_length > self.limit + FORM_MARGIN_BYTES
        return None

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.request_too_large:
            self.refused.append(file_name)
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def attachment_limit_install(request: HttpRequest) -> AttachmentLimitHandler:
    """Call before anything reads request.POST or request.FILES, the CSRF check included."""
    handler = AttachmentLimitHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler
