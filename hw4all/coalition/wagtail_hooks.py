"""The coalition in the Wagtail admin: the directory, projects, deciding on applications, and the
organisations' API tokens (admin_tokens)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, queries
from .admin_tokens import ApiTokenViewSet
from .models import ApplicationStatus, MembershipApplication, Organisation, Person, Project


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "acronym", "country", "type", "is_member"]
    list_filter = ["type", "is_member"]
    search_fields = ["name", "acronym"]
    copy_view_enabled = False


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "organisation", "job_title", "coalition_role"]
    list_filter = ["coalition_role"]
    search_fields = ["name"]
    copy_view_enabled = False


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "folder-open-inverse"
    list_display = ["title", "acronym", "start_date", "end_date"]
    copy_view_enabled = False


class MembershipApplicationViewSet(SnippetViewSet):
    model = MembershipApplication
    icon = "mail"
    list_display = ["organisation_name", "country", "contact_name", "status", "created_at"]
    list_filter = ["status", "type"]
    search_fields = ["organisation_name", "contact_name"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return queries.membership_applications_for_review()

    def get_urlpatterns(self):
        # The decision views live in this viewset's namespace, behind the admin's login.
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", admin_views.application_accept, name="accept"),
            path("decline/<int:pk>/", admin_views.application_decline, name="decline"),
        ]


class CoalitionViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Coalition")
    menu_icon = "group"
    menu_order = 300
    items = (MembershipApplicationViewSet, OrganisationViewSet, PersonViewSet, ProjectViewSet)


register_snippet(CoalitionViewSetGroup)


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet("api_tokens")


@hooks.register("register_snippet_listing_buttons")
def membership_application_decision_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, MembershipApplication) or snippet.status != ApplicationStatus.PENDING:
        return []
    if not user.has_perm("coalition.decide_membershipapplication"):
        return []
    namespace = "wagtailsnippets_coalition_membershipapplication"
    return [
        ListingButton(
            _("Accept"), reverse(f"{namespace}:accept", args=[snippet.pk]), priority=10, icon_name="check"
        ),
        ListingButton(
            _("Decline"), reverse(f"{namespace}:decline", args=[snippet.pk]), priority=20, icon_name="cross"
        ),
    ]
