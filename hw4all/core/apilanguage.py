"""`?lang=` on the public API: which language's content a list holds, and the language of the
labels (kinds, themes, country names) in the answer."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from .apierrors import ApiProblem

LANG_DESCRIPTION = "Language code (en, fr, es, pt, ...): content in that language and labels translated; all languages when empty"


def api_language(lang: str | None) -> str | None:
    """The language asked for, active for the rest of the request; 400 for one the site lacks."""
    if not lang:
        return None
    codes = [code for code, _name in settings.LANGUAGES]
    if lang not in codes:
        message = f"Unknown language {lang!r}. The site speaks: {', '.join(codes)}."
        raise ApiProblem(400, message, errors={"lang": [message]})
    translation.activate(lang)
    return lang
