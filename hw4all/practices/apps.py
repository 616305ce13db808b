from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "hw4all.practices"
    label = "practices"
    verbose_name = _("Practices")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register
        from hw4all.core.country_links import country_links_register
        from hw4all.core.personaldata import personal_data_register
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py. library_sync
        # connects the signal receivers that keep published cases in the library.
        from . import library_sync, permissions  # noqa: F401
        from .country_feed import practices_country_feed
        from .country_links import practices_country_links
        from .personaldata import CASES
        from .sitemaps import PracticesSitemap

        country_feed_register(practices_country_feed)
        country_links_register(practices_country_links)
        sitemap_register("practices", PracticesSitemap)
        personal_data_register(CASES)
