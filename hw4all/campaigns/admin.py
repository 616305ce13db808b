"""Partner API tokens in the Django admin (/django-admin/): the secretariat creates one per
partner website; the clear token is shown once, on creation."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import PartnerToken
from .services import partner_token_create


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "source"]
    fields = ["name", "source", "active"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        partner, token = partner_token_create(name=obj.name, source=obj.source, active=obj.active)
        obj.pk, obj.token_hash, obj.created_at = partner.pk, partner.token_hash, partner.created_at
        messages.warning(
            request,
            _("Give this token to %(partner)s now; it will not be shown again: %(token)s")
            % {"partner": partner.name, "token": token},
        )
