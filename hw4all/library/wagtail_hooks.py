"""The library in the Wagtail admin: resources, the topics vocabulary."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .models import Resource, Topic


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    list_display = ["title", "kind", "year", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    copy_view_enabled = False


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
