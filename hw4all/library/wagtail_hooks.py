"""The library in the Wagtail admin: resources (members' submissions approved or declined here),
the topics vocabulary."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hw4all.core.pagecache import pagecache_invalidate

from . import admin_views, services
from .models import Resource, Status, Topic

RESOURCES = "wagtailsnippets_library_resource"


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    list_display = ["title", "kind", "year", "status", "submitted_by", "created_at"]
    # The status filter's "Waiting for approval" is the Secretariat's queue of submissions.
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        # The decision views live in this viewset's namespace, behind the admin's login.
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", admin_views.resource_approve, name="approve"),
            path("decline/<int:pk>/", admin_views.resource_decline, name="decline"),
        ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    copy_view_enabled = False


class LibraryViewSetGroup(SnippetViewSetGroup):
    items = (ResourceViewSet, TopicViewSet)
    menu_icon = "doc-full"
    menu_label = _("Library")
    menu_name = "library"


register_snippet(LibraryViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def resource_after_save(request, instance):
    if isinstance(instance, Resource):
        services.resource_changed(instance)
        pagecache_invalidate()


@hooks.register("register_snippet_listing_buttons")
def resource_decision_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Resource) or snippet.status != Status.SUBMITTED:
        return []
    if not user.has_perm(admin_views.DECIDE):
        return []
    return [
        ListingButton(
            _("Approve"), reverse(f"{RESOURCES}:approve", args=[snippet.pk]), priority=10, icon_name="check"
        ),
        ListingButton(
            _("Decline"), reverse(f"{RESOURCES}:decline", args=[snippet.pk]), priority=20, icon_name="cross"
        ),
    ]


class ResourcesWaitingPanel(Component):
    """On the admin's dashboard: the members' resources waiting for the Secretariat."""

    name = "library_resources_waiting"
    template_name = "library/admin/waiting_panel.html"
    order = 150
    shown = 10

    def __init__(self, resources: list[Resource], total: int) -> None:
        self.resources = resources
        self.total = total

    def get_context_data(self, parent_context=None):
        return {
            "resources": self.resources,
            "total": self.total,
            "list_url": f"{reverse(f'{RESOURCES}:list')}?status={Status.SUBMITTED}",
            "namespace": RESOURCES,
        }


@hooks.register("construct_homepage_panels")
def resources_waiting_panel(request, panels):
    if not request.user.has_perm(admin_views.DECIDE):
        return
    waiting = Resource.objects.filter(status=Status.SUBMITTED).select_related("submitted_by")
    total = waiting.count()
    if total:
        resources = list(waiting.order_by("created_at")[: ResourcesWaitingPanel.shown])
        panels.append(ResourcesWaitingPanel(resources, total))


from . import admin_import  # noqa: E402, F401
