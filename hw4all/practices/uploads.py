"""The size limit on authors' attachments (core.uploads applies it while the body is read)."""

from django.http import HttpRequest

from hw4all.core import uploads

from .services.cases import attachment_limit_bytes

# Room for the title, the CSRF token and the multipart boundaries around the one file.
FORM_MARGIN_BYTES = 64 * 1024


def attachment_limit_install(request: HttpRequest) -> uploads.UploadLimitHandler:
    """Call before anything reads request.POST or request.FILES, the CSRF check included."""
    limit = attachment_limit_bytes()
    return uploads.upload_limit_install(request, limit=limit, request_limit=limit + FORM_MARGIN_BYTES)
