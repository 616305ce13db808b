from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class BodyBlock(blocks.StreamBlock):
    """The body of every editorial page: text first, so it reads well on a slow phone."""

    heading = blocks.CharBlock(form_classname="title", icon="title", template="core/blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"]
    )
    quote = blocks.BlockQuoteBlock()
    image = ImageBlock()
    embed = blocks.URLBlock(help_text=_("A link to a video or recording"), template="core/blocks/link.html")
