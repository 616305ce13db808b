from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage, StandardPage


@transaction.atomic
def home_page_ensure(*, title: str, intro: str, body: str = "") -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's placeholder page.
    Idempotent: an existing HomePage is returned unchanged."""
    existing = HomePage.objects.filter(locale=Locale.get_default()).first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    home = HomePage(title=title, slug="home", intro=intro, body=body, locale=Locale.get_default())
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    placeholder = site.root_page if site else None
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Health Workers for All")
    else:
        site.root_page = home
        site.site_name = "Health Workers for All"
        site.save()
    if placeholder is not None and placeholder.specific_class is Page and placeholder.depth == 2:
        placeholder.delete()
    return home


def standard_page_create(*, parent: Page, title: str, summary: str = "", body: list | None = None,
                         slug: str | None = None, show_in_menus: bool = False) -> StandardPage:
    page = StandardPage(title=title, summary=summary, body=body or [], show_in_menus=show_in_menus)
    if slug:
        page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
