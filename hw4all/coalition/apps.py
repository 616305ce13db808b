from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "hw4all.coalition"
    label = "coalition"
    verbose_name = _("Coalition")

    def ready(self) -> None:
        from hw4all.core.apihttp import write_observer_register, write_origins_register
        from hw4all.core.personaldata import personal_data_register
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
        from .api_auth import api_token_use_observe
        from .personaldata import PEOPLE
        from .queries import api_token_origins
        from .sitemaps import CoalitionSitemap

        sitemap_register("members", CoalitionSitemap)
        write_origins_register(api_token_origins)
        write_observer_register(api_token_use_observe)
        personal_data_register(PEOPLE)
