import functools
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page

from hw4all.core.pagecache import page_generation
from hw4all.core.structured_data import json_ld_script
from hw4all.core.structured_data import og_locale as og_locale_of

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _translated_path(path: str, code: str) -> str:
    """Resolving and reversing a path for nine languages costs more than the rest of the
    language menu; the answer depends only on the path, and paths repeat."""
    return translate_url(path, code)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, str | bool]]:
    """One link per language: the translation of this page where it exists, else that
    language's home page, so a visitor never lands on a 404 by switching."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    current = translation.get_language()
    translations: dict[str, str] = {}
    if page is not None:
        # Only a publish changes which translations are live and where they are.
        key = f"translations:{page_generation()}:{page.pk}"
        translations = cache.get(key)
        if translations is None:
            translations = {
                translated.locale.language_code: translated.url
                for translated in page.get_translations(inclusive=True).live().select_related("locale")
            }
            cache.set(key, translations, 3600)
    links = []
    for code, name in settings.LANGUAGES:
        if page is not None:
            url = translations.get(code) or f"/{code}/"
        else:
            path, mark, query = request.get_full_path().partition("?")
            url = _translated_path(path, code) + mark + query
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "exists": page is None or code in translations,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict[str, str]]:
    """The home page's children in the visitor's language that editors put in menus.

    Every page shows the menu, so it is kept in the cache until the next publish."""
    key = f"menu:{page_generation()}:{translation.get_language()}"
    menu = cache.get(key)
    if menu is None:
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            return []
        home = Page.objects.filter(depth=2, locale=locale).first()
        # Plain Page rows carry all that a menu link needs; deferring fields or fetching the
        # specific pages would cost queries per item.
        children = home.get_children().live().in_menu() if home else []
        menu = [
            {"title": child.title, "url": child.get_url(context.get("request")), "url_path": child.url_path}
            for child in children
        ]
        cache.set(key, menu, 3600)
    return menu


@register.filter
def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


@register.simple_tag(takes_context=True)
def json_ld(context, source: Any) -> str:
    """A schema.org <script> from a dict or from `source.structured_data(request)`."""
    builder = getattr(source, "structured_data", None)
    data = builder(context.get("request")) if callable(builder) else source
    return json_ld_script(data) if data else ""


@register.filter
def og_locale(language_code: str) -> str:
    return og_locale_of(language_code)


class CaptureNode(template.Node):
    # Declared so that blocks inside stay overridable by templates that extend this one.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308 (rendered, so escaped)
        return ""


@register.tag
def capture(parser, token) -> CaptureNode:
    """`{% capture as name %}…{% endcapture %}`: render once, use as often as needed (the
    page's title block in <title> and in its Open Graph title)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
