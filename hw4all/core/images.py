"""Pictures people upload are decoded and written again before they are kept.

What is kept is then only pixels in a format the site serves: no camera metadata (a photo's EXIF
can hold where and when it was taken, which an advocate may not mean to publish), no trailing
bytes, no file that merely claims to be a picture by its name."""

from __future__ import annotations

import io
from typing import IO, Any

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name: the extension the stored file gets, and how it is written.
FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "PNG": (".png", {"optimize": True}),
    "JPEG": (".jpg", {"quality": 90}),
    "WEBP": (".webp", {"quality": 90}),
}
# Decompression bombs: Pillow refuses images past this many pixels.
MAX_PIXELS = 60_000_000


class NotAPicture(ValueError):
    pass


def image_reencode(file: IO[bytes]) -> tuple[bytes, str]:
    """The picture in `file` written again in its own format, and the extension that format has.
    Raises NotAPicture for anything that is not a PNG, JPEG or WebP picture by its content."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(file) as image:
            spec = FORMATS.get(image.format or "")
            if spec is None:
                raise NotAPicture(image.format or "unknown")
            image.load()
            # The orientation lives in the metadata about to be dropped: turn the pixels instead.
            upright = ImageOps.exif_transpose(image)
            if image.format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            extension, options = spec
            output = io.BytesIO()
            upright.save(output, format=image.format, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, NotAPicture):
            raise
        raise NotAPicture(str(error)) from error
    finally:
        file.seek(0)
    return output.getvalue(), extension
