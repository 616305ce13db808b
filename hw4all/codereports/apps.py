from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodeReportsConfig(AppConfig):
    name = "hw4all.codereports"
    label = "codereports"
    verbose_name = _("WHO Code reporting")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register
        from hw4all.core.country_links import country_links_register
        from hw4all.core.personaldata import personal_data_register
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
        from .country_feed import codereports_country_feed
        from .country_links import codereports_country_links
        from .personaldata import REPORTERS
        from .sitemaps import CodeReportsSitemap

        country_feed_register(codereports_country_feed)
        country_links_register(codereports_country_links)
        sitemap_register("code-reporting", CodeReportsSitemap)
        personal_data_register(REPORTERS)
