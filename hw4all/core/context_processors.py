from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .pagecache import page_generation


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "INTERFACE_LANGUAGES": settings.INTERFACE_LANGUAGES,
        # For {% cache %} keys of fragments that only a publish changes; read once, when a
        # template first uses it.
        "PAGE_GENERATION": SimpleLazyObject(page_generation),
    }
