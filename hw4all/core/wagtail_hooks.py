"""Core's screen in the Wagtail admin: the audit log, in the Reports menu (audit_views)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import audit_views


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return audit_views.may_read(request.user)


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    return [path("audit-log/", include((audit_views.urlpatterns, audit_views.NAMESPACE)))]


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("Audit log"),
        reverse(f"{audit_views.NAMESPACE}:index"),
        name="audit-log",
        icon_name="history",
        order=1100,
    )
