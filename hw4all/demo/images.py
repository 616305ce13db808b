"""Generated placeholder images: the seeds carry no pictures, and demo content must not borrow any."""

import hashlib
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

PALETTE = ["#005a70", "#a3352b", "#3b5b2a", "#5a3d7a", "#7a4b00", "#1d2430"]


def placeholder_image_create(*, title: str, label: str, size: tuple[int, int] = (320, 160)):
    """A flat tile with the label written on it, coloured by the label so each differs."""
    colour = PALETTE[int(hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest(), 16) % len(PALETTE)]
    image = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(14, size[1] // (3 if len(label) < 8 else 5)))
    box = draw.textbbox((0, 0), label, font=font)
    position = ((size[0] - (box[2] - box[0])) / 2, (size[1] - (box[3] - box[1])) / 2 - box[1])
    draw.text(position, label, fill="#ffffff", font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    slug = hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:10]
    return get_image_model().objects.create(
        title=title, file=ImageFile(BytesIO(buffer.getvalue()), name=f"demo-{slug}.png")
    )
