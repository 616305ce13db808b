from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "hw4all.coalition"
    label = "coalition"
    verbose_name = _("Coalition")

    def ready(self) -> None:
        from hw4all.core.sitemaps import sitemap_register

        # rules autodiscovers modules named rules.py only; ours is permissions.py.
        from . import permissions  # noqa: F401
        from .sitemaps import CoalitionSitemap

        sitemap_register("members", CoalitionSitemap)
