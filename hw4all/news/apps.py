from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "hw4all.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register

        from .country_feed import news_country_feed

        country_feed_register(news_country_feed)
