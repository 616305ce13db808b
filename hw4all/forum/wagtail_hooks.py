"""The forum in the Wagtail admin: the Secretariat creates spaces (a national one with its
country), edits their description and whether they are open, and appoints their first moderators.
Other roles see nothing of it. Saving goes through the spaces' services, as the site does."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from hw4all.users.roles import SECRETARIAT

from .models import MembershipStatus, Space, SpaceKind, SpaceMembership
from .services import spaces as services

MANAGE = "forum.manage_spaces"


class SpacePolicy(ModelPermissionPolicy):
    """The Secretariat lists, adds and edits spaces; nobody deletes one here (everything said in
    it would go with it)."""

    ALLOWED = ("view", "add", "change")

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and user.is_active and user.has_perm(MANAGE)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not any(action in self.ALLOWED for action in actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT), is_active=True)
            .distinct()
        )


register_permission_policy(Space, SpacePolicy(Space))


class SpaceForm(WagtailAdminModelForm):
    moderators = forms.ModelMultipleChoiceField(
        label=_("Moderators"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "email"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "They become members and moderators of the space. Once it has moderators, they appoint "
            "others on the space's members page."
        ),
    )

    class Meta:
        model = Space
        fields = ["name", "slug", "kind", "country", "description", "is_open"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["moderators"].initial = list(
                SpaceMembership.objects.filter(
                    space=self.instance, is_moderator=True, status=MembershipStatus.ACTIVE
                ).values_list("user_id", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == SpaceKind.COUNTRY and not cleaned.get("country"):
            self.add_error("country", _("A national space needs its country."))
        return cleaned


def _moderators_appoint(space: Space, form: SpaceForm, by) -> None:
    current = set(
        SpaceMembership.objects.filter(
            space=space, is_moderator=True, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    for user in form.cleaned_data.get("moderators") or []:
        if user.pk not in current:
            services.moderator_appoint(
                space=space, user=user, by=by, reason=str(_("Appointed in the admin."))
            )


class _ThroughServices:
    """Save through the services; what they refuse is shown on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class SpaceCreateView(_ThroughServices, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        space = services.space_create(
            **{field: data[field] for field in services.SPACE_FIELDS}, by=self.request.user
        )
        _moderators_appoint(space, self.form, self.request.user)
        return space


class SpaceEditView(_ThroughServices, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        space = Space.objects.get(pk=self.object.pk)
        services.space_update(
            space=space, by=self.request.user, **{field: data[field] for field in services.SPACE_FIELDS}
        )
        _moderators_appoint(space, self.form, self.request.user)
        return space


class SpaceViewSet(ModelViewSet):
    model = Space
    icon = "group"
    menu_label = _("Spaces")
    form_fields = ["name", "slug", "kind", "country", "description", "is_open"]
    list_display = ["name", "kind", "country", "is_open", "created_at"]
    list_filter = ["kind", "is_open"]
    search_fields = ["name", "description"]
    add_view_class = SpaceCreateView
    edit_view_class = SpaceEditView
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return SpaceForm


class ForumViewSetGroup(ViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "group"
    menu_order = 340
    items = (SpaceViewSet("forum_spaces"),)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ForumViewSetGroup()
