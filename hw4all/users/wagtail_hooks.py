"""The users app's part of the Wagtail admin: who may read core's audit log, and the Secretariat's
"Personal data" screen (admin_personal_data)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from hw4all.core.audit import AuditEntry

from .admin_personal_data import NAMESPACE
from .admin_personal_data import urlpatterns as personal_data_urls
from .permission_policies import SecretariatOnlyPolicy
from .roles import is_secretariat

# Reading only: the log has no add, edit or delete screen for anyone.
register_permission_policy(AuditEntry, SecretariatOnlyPolicy(AuditEntry))


class _SecretariatMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_secretariat(request.user)


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [path("personal-data/", include((personal_data_urls, NAMESPACE), namespace=NAMESPACE))]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return _SecretariatMenuItem(
        _("Personal data"), reverse("personal_data:index"), icon_name="user", order=900
    )
