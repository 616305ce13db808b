"""Campaigns in the Wagtail admin, for the Secretariat only: signatures (filter, search, export,
hide, verify), suspicious patterns, and daily counts and embed snippets per campaign. Partners'
API tokens are the coalition app's.

Signatures are made and changed only through the services (signing, confirming, the moderation
views below), so the admin offers no add or edit form for them."""

from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from hw4all.core.audit import audit_record
from hw4all.users.permission_policies import SecretariatOnlyPolicy

from . import admin_views
from .models import CampaignPage, Signature, SignerKind, SuspicionFlag
from .permissions import MODERATE

register_permission_policy(Signature, SecretariatOnlyPolicy(Signature))
register_permission_policy(SuspicionFlag, SecretariatOnlyPolicy(SuspicionFlag))


class SignatureIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign")

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # What was searched for may be a signer's name: only that there was a search is kept.
        params = self.request.GET
        filters = {key: value for key, value in params.items() if key not in ("export", "q") and value}
        detail = {"format": spreadsheet_format, "filters": filters, "searched": bool(params.get("q"))}
        audit_record("campaigns.signatures_export", summary="Signatures downloaded", detail=detail)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.request.user.has_perm(MODERATE):
            return buttons
        actions = ["unhide" if instance.hidden else "hide"]
        if instance.signer_kind == SignerKind.ORGANISATION:
            actions.append("unverify" if instance.verified else "verify")
        for priority, action in enumerate(actions, start=40):
            url = reverse("campaigns_signatures:moderate", args=[instance.pk, action])
            label = admin_views.SIGNATURE_ACTIONS[action][2]
            buttons.append(
                MenuItem(
                    label, url=f"{url}?{urlencode({'next': self.request.get_full_path()})}", priority=priority
                )
            )
        return buttons


class SignatureViewSet(ModelViewSet):
    model = Signature
    icon = "doc-full"
    menu_label = _("Signatures")
    url_prefix = "campaigns/signatures"
    index_view_class = SignatureIndexView
    inspect_view_enabled = True
    inspect_view_fields = [
        "campaign",
        "signer_kind",
        "name",
        "email",
        "country",
        "organisation_name",
        "organisation_type",
        "organisation",
        "city",
        "consent_contact",
        "public",
        "status",
        "verified",
        "hidden",
        "source",
        "language",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
    ]
    list_display = [
        "name",
        "organisation_name",
        "country",
        Column("campaign", label=_("Campaign"), accessor="campaign.title"),
        "signer_kind",
        "status",
        "verified",
        "hidden",
        "source",
        "created_at",
    ]
    list_filter = ["campaign", "status", "signer_kind", "country", "source", "hidden", "verified"]
    search_fields = ["name", "email", "organisation_name"]
    search_backend_name = None
    list_export = [
        "campaign.title",
        "signer_kind",
        "name",
        "email",
        "country",
        "organisation_name",
        "organisation_type",
        "city",
        "consent_contact",
        "public",
        "status",
        "verified",
        "hidden",
        "source",
        "language",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
    ]
    export_headings = {"campaign.title": _("Campaign")}
    export_filename = "signatures"
    # Required by ModelViewSet; the permission policy never lets anyone reach the form.
    form_fields = ["hidden"]

    def get_urlpatterns(self):
        # The moderation views live in this viewset's namespace, behind the admin's login.
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/<slug:action>/", admin_views.signature_moderate, name="moderate"),
            path("daily/<int:campaign_id>/", admin_views.campaign_daily, name="daily"),
            path("embed/<int:campaign_id>/", admin_views.campaign_embed, name="embed"),
        ]


class FlagIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(MODERATE):
            label = _("Mark as not reviewed") if instance.reviewed else _("Mark as reviewed")
            url = reverse("campaigns_flags:review", args=[instance.pk])
            buttons.append(MenuItem(label, url=url, priority=40))
        return buttons


class SuspicionFlagViewSet(ModelViewSet):
    model = SuspicionFlag
    icon = "warning"
    menu_label = _("Suspicious patterns")
    url_prefix = "campaigns/flags"
    index_view_class = FlagIndexView
    inspect_view_enabled = True
    list_display = [
        "__str__",
        Column("campaign", label=_("Campaign"), accessor="campaign.title"),
        "window_start",
        "window_end",
        "reviewed",
    ]
    list_filter = ["campaign", "reason", "reviewed"]
    form_fields = ["reviewed"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("review/<int:pk>/", admin_views.flag_review, name="review"),
        ]


class CampaignsViewSetGroup(ViewSetGroup):
    menu_label = _("Campaigns")
    menu_icon = "doc-full"
    menu_order = 320
    items = (
        SignatureViewSet("campaigns_signatures"),
        SuspicionFlagViewSet("campaigns_flags"),
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CampaignsViewSetGroup()


def _campaign_buttons(page, user):
    if page.specific_class is not CampaignPage or not user.has_perm(MODERATE):
        return []
    return [
        (_("Signatures"), reverse("campaigns_signatures:index") + f"?campaign={page.pk}", "doc-full"),
        (_("Daily counts"), reverse("campaigns_signatures:daily", args=[page.pk]), "date"),
        (_("Embed the form"), reverse("campaigns_signatures:embed", args=[page.pk]), "code"),
    ]


@hooks.register("register_page_listing_more_buttons")
def campaign_listing_buttons(page, user, next_url=None):
    for priority, (label, url, icon) in enumerate(_campaign_buttons(page, user), start=70):
        yield Button(label, url, icon_name=icon, priority=priority)


@hooks.register("register_page_header_buttons")
def campaign_header_buttons(page, user, view_name, next_url=None):
    for priority, (label, url, icon) in enumerate(_campaign_buttons(page, user), start=80):
        yield Button(label, url, icon_name=icon, priority=priority)
