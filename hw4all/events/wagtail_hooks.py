"""Registrations in the Wagtail admin: the secretariat lists, filters, searches, exports and
cancels them. Registrations are made and cancelled through the services, so the admin offers no
add or edit form that could bypass the capacity and the waiting list."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import EventRegistration, RegistrationStatus


def _event_count(status: str) -> Subquery:
    per_event = (
        EventRegistration.objects.filter(event=OuterRef("event"), status=status)
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Subquery(per_event, output_field=IntegerField())


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    READ_ONLY_ACTIONS = ("add", "change")

    def user_has_permission(self, user, action):
        return action not in self.READ_ONLY_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.READ_ONLY_ACTIONS])


register_permission_policy(EventRegistration, RegistrationPermissionPolicy(EventRegistration))


class RegistrationIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("event")
            .annotate(
                event_confirmed=_event_count(RegistrationStatus.CONFIRMED),
                event_waiting=_event_count(RegistrationStatus.WAITING),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != RegistrationStatus.CANCELLED and self.request.user.has_perm(admin_views.CANCEL):
            url = reverse("registrations:cancel", args=[instance.pk])
            next_url = urlencode({"next": self.request.get_full_path()})
            buttons.append(MenuItem(_("Cancel the registration"), url=f"{url}?{next_url}", priority=40))
        return buttons


class RegistrationViewSet(ModelViewSet):
    model = EventRegistration
    icon = "group"
    menu_label = _("Registrations")
    add_to_admin_menu = True
    menu_order = 310
    index_view_class = RegistrationIndexView
    inspect_view_enabled = True
    inspect_view_fields = ["event", "name", "email", "organisation", "status", "language", "created_at"]
    list_display = [
        "name",
        "email",
        "organisation",
        Column("event", label=_("Event"), accessor="event.title"),
        "status",
        Column("event_confirmed", label=_("Confirmed for the event"), accessor="event_confirmed"),
        Column("event_waiting", label=_("Waiting for the event"), accessor="event_waiting"),
        "created_at",
    ]
    list_filter = ["event", "status"]
    search_fields = ["name", "email", "organisation"]
    search_backend_name = None
    list_export = [
        "event.title",
        "name",
        "email",
        "organisation",
        "status",
        "language",
        "created_at",
        "event_confirmed",
        "event_waiting",
    ]
    export_headings = {
        "event.title": _("Event"),
        "event_confirmed": _("Confirmed for the event"),
        "event_waiting": _("Waiting for the event"),
    }
    export_filename = "registrations"
    # Required by ModelViewSet; the permission policy above never lets anyone reach the form.
    form_fields = ["status"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<int:pk>/", admin_views.registration_cancel, name="cancel"),
        ]


@hooks.register("register_admin_viewset")
def register_viewset():
    return RegistrationViewSet("registrations")
