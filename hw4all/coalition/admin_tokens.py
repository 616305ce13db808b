"""Organisations' API tokens in the Wagtail admin, for the Secretariat only: the list, issuing a
token (its secret is shown once, on the page that follows), changing what it may do and from
where, revoking it, and the log of its uses. Tokens are never deleted."""

from __future__ import annotations

from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from hw4all.core.pagination import paginate
from hw4all.users.models import User
from hw4all.users.permission_policies import SecretariatOnlyPolicy
from hw4all.users.roles import is_secretariat

from . import services
from .models import ApiScope, ApiToken, Organisation
from .queries import api_token_uses

NAMESPACE = "api_tokens"
USES_PER_PAGE = 50


# Nobody deletes a token, so the record of what each organisation sent stays whole.
register_permission_policy(ApiToken, SecretariatOnlyPolicy(ApiToken, allowed=("view", "add", "change")))


class _TokenForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("May"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    origins = forms.CharField(
        label=_("Allowed origins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=ApiToken._meta.get_field("origins").help_text,
    )


class ApiTokenIssueForm(_TokenForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    source = forms.SlugField(
        label=_("Source"),
        required=False,
        max_length=50,
        help_text=_(
            "Recorded on every signature sent with this token; by default the organisation's address "
            "name in the directory."
        ),
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "scopes", "origins", "source"]


class ApiTokenEditForm(_TokenForm):
    class Meta:
        model = ApiToken
        fields = ["name", "scopes", "origins"]


class ApiTokenIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Uses"), reverse(f"{NAMESPACE}:uses", args=[instance.pk]), icon_name="history", priority=40
            )
        )
        if instance.is_active:
            buttons.append(
                ListingButton(
                    _("Revoke"),
                    reverse(f"{NAMESPACE}:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=50,
                )
            )
        return buttons


class ApiTokenIssueView(CreateView):
    """Only a hash of the token is stored: the secret is on the page that answers the form, and
    nowhere else, ever."""

    def save_instance(self):
        data = self.form.cleaned_data
        token, self.plaintext = services.api_token_issue(
            organisation=data["organisation"],
            name=data["name"],
            scopes=data["scopes"],
            origins=data["origins"],
            source=data["source"],
            by=self.request.user,
        )
        log(instance=token, action="wagtail.create", user=self.request.user)
        return token

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "coalition/admin/api_token_issued.html",
            {"token": self.object, "plaintext": self.plaintext, "index_url": reverse(f"{NAMESPACE}:index")},
        )
        add_never_cache_headers(response)
        return response


class ApiTokenEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        token = services.api_token_update(
            token=self.form.instance, name=data["name"], scopes=data["scopes"], origins=data["origins"]
        )
        log(instance=token, action="wagtail.edit", user=self.request.user)
        return token


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _gettext("Only the Secretariat may manage API tokens.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _details(token: ApiToken) -> list[tuple[str, str]]:
    return [
        (_gettext("Organisation"), token.organisation.name),
        (_gettext("Name"), token.name),
        (_gettext("May"), token.scope_labels()),
        (_gettext("Allowed origins"), ", ".join(token.origin_list()) or _gettext("None (server only)")),
        (_gettext("Prefix"), token.prefix),
    ]


@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; the POST (with its CSRF token) revokes."""
    if not is_secretariat(request.user):
        return _forbidden(request)
    token = get_object_or_404(ApiToken.objects.select_related("organisation"), pk=pk)
    index_url = reverse(f"{NAMESPACE}:index")
    if request.method == "POST":
        if token.is_active:
            # is_secretariat admitted only a signed-in account.
            services.api_token_revoke(token=token, by=cast(User, request.user))
            log(instance=token, action="wagtail.edit", user=request.user)
            messages.success(
                request,
                _gettext("The token “%(name)s” is revoked: it is refused from now on.") % {"name": token},
            )
        return redirect(index_url)
    label = _gettext("Revoke the token")
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            "title": label,
            "subject": str(token),
            "message": _gettext(
                "Every request made with this token will be refused. A revoked token cannot be used again: "
                "issue a new one if the organisation still needs one."
            ),
            "details": _details(token),
            "button": label,
            "next": index_url,
        },
    )


@require_http_methods(["GET"])
def api_token_use_list(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_secretariat(request.user):
        return _forbidden(request)
    token = get_object_or_404(ApiToken.objects.select_related("organisation"), pk=pk)
    page = paginate(api_token_uses(token=token), request.GET.get("p"), per_page=USES_PER_PAGE)
    return TemplateResponse(
        request,
        "coalition/admin/api_token_uses.html",
        {"token": token, "details": _details(token), "page": page, "uses": page.object_list},
    )


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    add_to_admin_menu = True
    menu_order = 305
    url_prefix = "api-tokens"
    index_view_class = ApiTokenIndexView
    add_view_class = ApiTokenIssueView
    edit_view_class = ApiTokenEditView
    list_display = [
        Column("organisation", label=_("Organisation"), accessor="organisation.name"),
        "name",
        Column("scopes", label=_("May"), accessor="scope_labels"),
        Column("origins", label=_("Allowed origins"), accessor="origins"),
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name", "prefix"]
    search_backend_name = None
    ordering = ["organisation__name", "name"]

    def get_form_class(self, for_update=False):
        return ApiTokenEditForm if for_update else ApiTokenIssueForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", api_token_revoke, name="revoke"),
            path("uses/<int:pk>/", api_token_use_list, name="uses"),
        ]
