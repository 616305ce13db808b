"""Practices in the Wagtail admin: the case studies, eligibility criteria sets and their versions
(Secretariat only)."""

from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, queries
from .models import CriteriaSet, CriteriaSetVersion, VersionStatus


class CriteriaSetViewSet(SnippetViewSet):
    model = CriteriaSet
    icon = "list-ul"
    menu_label = _("Criteria sets")
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    copy_view_enabled = False


class CriteriaSetVersionViewSet(SnippetViewSet):
    model = CriteriaSetVersion
    icon = "list-ol"
    menu_label = _("Criteria versions")
    list_display = ["criteria_set", "number", "status", "published_at"]
    list_filter = ["status", "criteria_set"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return queries.criteria_versions_for_admin()

    def get_urlpatterns(self):
        # The version actions live in this viewset's namespace, behind the admin's login.
        return [
            *super().get_urlpatterns(),
            path("new-version/<int:pk>/", admin_views.version_new, name="new_version"),
            path("publish/<int:pk>/", admin_views.version_publish, name="publish"),
        ]


class PracticesViewSetGroup(SnippetViewSetGroup):
    items = (CriteriaSetViewSet, CriteriaSetVersionViewSet)
    menu_icon = "list-ul"
    menu_label = _("Practices")
    menu_name = "practices"
    submenu_hook = "register_practices_menu_item"


register_snippet(PracticesViewSetGroup)


@hooks.register("register_snippet_listing_buttons")
def criteria_version_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, CriteriaSetVersion) or not user.has_perm(admin_views.MANAGE):
        return []
    if snippet.status == VersionStatus.DRAFT:
        url = reverse(f"{admin_views.VERSIONS}:publish", args=[snippet.pk])
        return [ListingButton(_("Publish"), url, priority=10, icon_name="upload")]
    url = reverse(f"{admin_views.VERSIONS}:new_version", args=[snippet.pk])
    return [ListingButton(_("New version"), url, priority=10, icon_name="copy")]


@hooks.register("before_delete_snippet")
def published_versions_are_kept(request, instances):
    """A published version is the record of how cases were judged: it is never deleted, nor is a
    set that has versions (the database refuses that too)."""
    versions = [instance for instance in instances if isinstance(instance, CriteriaSetVersion)]
    sets = [instance for instance in instances if isinstance(instance, CriteriaSet)]
    if any(version.status == VersionStatus.PUBLISHED for version in versions):
        messages.error(request, _("A published version cannot be deleted: cases judged by it refer to it."))
        return redirect(reverse(f"{admin_views.VERSIONS}:list"))
    if CriteriaSetVersion.objects.filter(criteria_set__in=sets).exists():
        messages.error(request, _("A criteria set that has versions cannot be deleted."))
        return redirect(reverse("wagtailsnippets_practices_criteriaset:list"))
    return None


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("practices.manage_cases")


@hooks.register("register_practices_menu_item")
def case_studies_menu_item():
    # Before the criteria: screening and deciding on cases is the daily work.
    return SecretariatMenuItem(
        _("Case studies"), reverse("practices_cases:list"), name="case-studies", icon_name="doc-full", order=0
    )


@hooks.register("register_admin_urls")
def case_admin_urls():
    return [path("practices/cases/", include("hw4all.practices.admin_cases"))]
