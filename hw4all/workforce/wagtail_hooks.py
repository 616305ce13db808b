"""Workforce data in the Wagtail admin, for the Secretariat only: the import runs and importing
a file (admin_views)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import may_manage


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_manage(request.user)


@hooks.register("register_admin_menu_item")
def workforce_menu_item():
    return SecretariatMenuItem(
        _("Workforce data"),
        reverse("workforce_admin:runs"),
        name="workforce-data",
        icon_name="table",
        order=650,
    )


@hooks.register("register_admin_urls")
def workforce_admin_urls():
    return [path("workforce/", include("hw4all.workforce.admin_views"))]
