from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "hw4all.forum"
    label = "forum"
    verbose_name = _("Collaboration space")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register
        from hw4all.core.country_links import country_links_register
        from hw4all.core.personaldata import personal_data_register
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
        from .country_feed import forum_country_feed
        from .country_links import forum_country_links
        from .personaldata import PARTICIPANTS
        from .sitemaps import ForumSitemap

        country_feed_register(forum_country_feed)
        country_links_register(forum_country_links)
        sitemap_register("forum", ForumSitemap)
        personal_data_register(PARTICIPANTS)
