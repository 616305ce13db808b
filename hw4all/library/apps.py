from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "hw4all.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register
        from hw4all.core.country_links import country_links_register
        from hw4all.core.personaldata import personal_data_register
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py. search registers
        # the receiver that takes a deleted resource out of the index.
        from . import permissions, search  # noqa: F401
        from .country_feed import library_country_feed
        from .country_links import library_country_links
        from .personaldata import SUBMISSIONS
        from .sitemaps import LibrarySitemap

        country_feed_register(library_country_feed)
        country_links_register(library_country_links)
        sitemap_register("library", LibrarySitemap)
        personal_data_register(SUBMISSIONS)
