"""The library's upload size limit (core.uploads applies it while the body is read)."""

from django.conf import settings
from django.http import HttpRequest

from hw4all.core import uploads

# Room for the form's other fields and the multipart boundaries around the files.
FORM_MARGIN_BYTES = 1024 * 1024


def upload_limit_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def upload_limit_install(request: HttpRequest, *, files_max: int) -> uploads.UploadLimitHandler:
    """Put the limit in front of the request's upload handlers; call it before anything reads
    request.POST or request.FILES (the CSRF check included)."""
    limit = upload_limit_bytes()
    return uploads.upload_limit_install(
        request, limit=limit, request_limit=limit * files_max + FORM_MARGIN_BYTES
    )
