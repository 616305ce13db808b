"""Code reporting in the Wagtail admin, for the Secretariat only: the rounds (a snippet), every
report (read-only) and the calls to report (admin_views)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hw4all.users.roles import SECRETARIAT, user_has_role

from .admin_views import may_manage
from .models import Round
from .services.rounds import round_save


class SecretariatPolicy(BasePermissionPolicy):
    """Rounds are the Secretariat's to add and change. They are never deleted: reports and
    calls refer to them, and a finished round is part of the record."""

    actions = ("add", "change", "view")

    def user_has_permission(self, user, action):
        return action in self.actions and user_has_role(user, SECRETARIAT)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT), is_active=True)
            .distinct()
        )


register_permission_policy(Round, SecretariatPolicy(Round), exact_class=True)


class RoundForm(WagtailAdminModelForm):
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # Marking a round current is not a clash with the current one: round_save moves the mark.
        exclusions.add("is_current")
        return exclusions


class RoundSaveMixin:
    """Rounds are saved through the service, so that marking one current takes the place from
    the round that held it."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        round_save(round=instance)
        log(instance=instance, action=self.log_action, user=self.request.user)
        return instance


class RoundCreateView(RoundSaveMixin, snippet_views.CreateView):
    log_action = "wagtail.create"


class RoundEditView(RoundSaveMixin, snippet_views.EditView):
    log_action = "wagtail.edit"


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "date"
    menu_label = _("Rounds")
    menu_order = 0
    list_display = ["number", "instrument", "period", "deadline", "deadline_text", "status", "is_current"]
    list_filter = ["status"]
    copy_view_enabled = False
    add_view_class = RoundCreateView
    edit_view_class = RoundEditView
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "number",
                "instrument",
                "period",
                "deadline",
                "deadline_text",
                "reported_to",
                "status",
                "is_current",
                "questionnaire",
                "notes",
            )
        ],
        base_form_class=RoundForm,
    )


class CodeReportingViewSetGroup(SnippetViewSetGroup):
    items = (RoundViewSet,)
    menu_icon = "doc-full-inverse"
    menu_label = _("Code reporting")
    menu_name = "code-reporting"
    menu_order = 430
    submenu_hook = "register_codereports_menu_item"


register_snippet(CodeReportingViewSetGroup)


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_manage(request.user)


@hooks.register("register_codereports_menu_item")
def reports_menu_item():
    return SecretariatMenuItem(
        _("Reports"),
        reverse("codereports_admin:reports"),
        name="code-reports",
        icon_name="doc-full",
        order=10,
    )


@hooks.register("register_codereports_menu_item")
def calls_menu_item():
    return SecretariatMenuItem(
        _("Calls to report"),
        reverse("codereports_admin:calls"),
        name="code-calls",
        icon_name="mail",
        order=20,
    )


@hooks.register("register_admin_urls")
def codereports_admin_urls():
    return [path("code-reporting/", include("hw4all.codereports.admin_views"))]
