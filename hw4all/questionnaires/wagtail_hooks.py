"""Questionnaires in the Wagtail admin, for the Secretariat only."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

MANAGE = "questionnaires.manage"


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(MANAGE)


@hooks.register("register_admin_menu_item")
def questionnaires_menu_item():
    return SecretariatMenuItem(
        _("Questionnaires"),
        reverse("questionnaires_admin:list"),
        name="questionnaires",
        icon_name="form",
        order=420,
    )


@hooks.register("register_admin_urls")
def questionnaires_admin_urls():
    return [path("questionnaires/", include("hw4all.questionnaires.admin_urls"))]
