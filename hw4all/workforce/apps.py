from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "hw4all.workforce"
    label = "workforce"
    verbose_name = _("Health-workforce data")

    def ready(self) -> None:
        from hw4all.core.sitemaps import sitemap_register

        from .sitemaps import WorkforceSitemap

        sitemap_register("workforce", WorkforceSitemap)
