from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "hw4all.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from hw4all.core.country_feed import country_feed_register
        from hw4all.core.personaldata import personal_data_register

        from .country_feed import events_country_feed
        from .personaldata import REGISTRATIONS

        country_feed_register(events_country_feed)
        personal_data_register(REGISTRATIONS)
