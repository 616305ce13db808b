"""A picture of a PDF's first page, shown on the resource's page.

Rendered with pdfium in a child process under the same caps as text extraction; any file that
is not a PDF, or that cannot be rendered within the caps, has no preview.
"""

import io
import logging
from pathlib import Path

import pypdfium2
from django.conf import settings

from .sandbox import ChildFailed, NeededTooMuchMemory, TookTooLong, run_capped

logger = logging.getLogger(__name__)

# A page far taller than wide (a poster, a strip) is scaled to this height, not to the width.
MAX_HEIGHT_RATIO = 3
WEBP_QUALITY = 80


def first_page_preview(
    path: str | Path, *, width: int = 600, time_limit: float = 60, memory_limit_mb: int = 512
) -> bytes | None:
    """The first page as a WebP image ``width`` pixels wide, or None."""
    path = Path(path)
    max_bytes = getattr(settings, "LIBRARY_MAX_UPLOAD_MB", 50) * 1024 * 1024
    if not 0 < path.stat().st_size <= max_bytes:
        return None
    try:
        return run_capped(
            page_render, str(path), width, time_limit=time_limit, memory_limit_mb=memory_limit_mb
        )
    except (TookTooLong, NeededTooMuchMemory, ChildFailed):
        logger.warning("No preview of %s", path, exc_info=True)
        return None


def page_render(path: str, width: int) -> bytes | None:
    """Run in the child process."""
    with open(path, "rb") as file:
        if b"%PDF-" not in file.read(1024):
            return None
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return None
    try:
        if not len(document):
            return None
        page = document[0]
        page_width, page_height = page.get_size()
        scale = min(width / page_width, MAX_HEIGHT_RATIO * width / page_height)
        image = page.render(scale=scale).to_pil()
        output = io.BytesIO()
        image.save(output, format="WEBP", quality=WEBP_QUALITY)
        return output.getvalue()
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()
