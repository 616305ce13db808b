"""The audit log in the Wagtail admin's Reports menu: read-only, filtered by person, action, date
and object type, paginated, downloadable as CSV. Who may read it is the permission policy
registered for AuditEntry (the users app gives it to the Secretariat); everyone else is refused
with a 403. Downloading it is itself recorded."""

from __future__ import annotations

import django_filters
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button
from wagtail.permissions import policy_registry

from .audit import AuditEntry, audit_record

NAMESPACE = "audit_log"
PER_PAGE = 50
# A spreadsheet runs a cell starting with one of these as a formula; user agents and summaries
# come from outside.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FIELDS = {
    "at": _("When"),
    "user_email": _("Who"),
    "action": _("Action"),
    "object_type": _("Object type"),
    "object_id": _("Object id"),
    "summary": _("Summary"),
    "address": _("Address"),
    "user_agent": _("Browser"),
    "detail_text": _("Detail"),
}


def may_read(user) -> bool:
    return bool(
        user.is_authenticated and policy_registry.get_by_type(AuditEntry).user_has_permission(user, "view")
    )


def _distinct(field: str) -> list[tuple[str, str]]:
    values = (
        AuditEntry.objects.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    )
    return [(value, value) for value in values]


class AuditEntryFilterSet(WagtailFilterSet):
    user_email = django_filters.ChoiceFilter(label=_("Person"))
    action = django_filters.ChoiceFilter(label=_("Action"))
    object_type = django_filters.ChoiceFilter(label=_("Object type"))
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are what the log holds, so a filter never offers what cannot match.
        for name in ("user_email", "action", "object_type"):
            self.filters[name].extra["choices"] = _distinct(name)


class AuditLogView(ReportView):
    page_title = _("Audit log")
    header_icon = "history"
    verbose_name_plural = _("audit entries")
    index_url_name = f"{NAMESPACE}:index"
    index_results_url_name = f"{NAMESPACE}:results"
    filterset_class = AuditEntryFilterSet
    paginate_by = PER_PAGE
    model = AuditEntry
    columns = [
        Column("at", label=_("When")),
        Column("user_email", label=_("Who")),
        Column("action", label=_("Action")),
        Column("object", label=_("Object"), accessor="object_label"),
        Column("summary", label=_("Summary")),
        Column("address", label=_("Address")),
    ]
    list_export = list(EXPORT_FIELDS)
    export_headings = EXPORT_FIELDS
    FORMATS = (ReportView.FORMAT_CSV,)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not may_read(request.user):
            # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
            reason = _gettext("Only the Secretariat may read the audit log.")
            return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return AuditEntry.objects.order_by("-at", "-pk")

    def get_filename(self) -> str:
        return f"audit-log-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def header_more_buttons(self):
        return []

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            Button(_("Download CSV"), url=self.csv_export_url, icon_name="download", priority=100),
        ]

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        # Streamed as it is read: the whole log may be asked for.
        queryset = self.get_filtered_queryset()
        filters = {key: value for key, value in request.GET.items() if key != "export" and value}
        audit_record("core.audit_export", summary="Audit log downloaded", detail={"filters": filters})
        return self.as_spreadsheet(queryset.iterator(chunk_size=1000), self.FORMAT_CSV)


urlpatterns = [
    path("", AuditLogView.as_view(), name="index"),
    path("results/", AuditLogView.as_view(results_only=True), name="results"),
]
