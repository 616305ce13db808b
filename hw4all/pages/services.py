from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from hw4all.core.pagecache import pagecache_invalidate

from .models import HomePage, StandardPage


@transaction.atomic
def home_page_ensure(*, title: str, intro: str, body: str = "") -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's placeholder page.
    Idempotent: an existing HomePage is returned unchanged."""
    existing = HomePage.objects.filter(locale=Locale.get_default()).first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    placeholder = site.root_page if site else None
    if placeholder is not None and (placeholder.specific_class is not Page or placeholder.depth != 2):
        placeholder = None
    if placeholder is not None:
        # Wagtail's first migration creates a "Welcome" page that holds the slug "home".
        Page.objects.filter(pk=placeholder.pk).update(slug=f"placeholder-{placeholder.pk}")
    home = HomePage(title=title, slug="home", intro=intro, body=body, locale=Locale.get_default())
    root.add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Health Workers for All",
        )
    else:
        site.root_page = home
        site.site_name = "Health Workers for All"
        site.save()
    if placeholder is not None:
        Page.objects.get(pk=placeholder.pk).delete()
    return home


def standard_page_create(
    *,
    parent: Page,
    title: str,
    summary: str = "",
    body: list | None = None,
    slug: str | None = None,
    show_in_menus: bool = False,
) -> StandardPage:
    page = StandardPage(title=title, summary=summary, body=body or [], show_in_menus=show_in_menus)
    if slug:
        page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def locales_ensure(*, languages: Iterable[str] | None = None) -> list[Locale]:
    """Create a Locale for each language (default: every one in settings.LANGUAGES) and keep
    it synchronised from the default language, so its tree mirrors the English one with
    aliases until editors translate a page.

    Idempotent, and safe to call again after pages were created outside the admin (the
    admin's own hook aliases new pages, code calling `add_child` does not): the trees are
    synchronised anew each time."""
    codes = [code for code, _name in settings.LANGUAGES] if languages is None else list(languages)
    known = {code for code, _name in settings.LANGUAGES}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValueError(f"Languages not in settings.LANGUAGES: {', '.join(unknown)}")
    source, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    locales = []
    for code in codes:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        locales.append(locale)
        if locale.pk == source.pk:
            continue
        # Saving a new LocaleSynchronization synchronises at once (a wagtail-localize signal);
        # an existing one is synchronised explicitly.
        synchronization, created = LocaleSynchronization.objects.get_or_create(
            locale=locale, defaults={"sync_from": source}
        )
        if not created:
            synchronize_tree(synchronization.sync_from, locale)
    pagecache_invalidate()
    return locales
