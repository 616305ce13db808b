from django.urls import path

from .views import public, reports

app_name = "codereports"

urlpatterns = [
    # What everyone reads: the rounds, their dashboards, the countries, published reports.
    path("code-reporting/", public.index, name="index"),
    path("code-reporting/rounds/<int:number>/", public.round_dashboard, name="round"),
    path("code-reporting/rounds/<int:number>/export.<str:fmt>", public.round_export, name="round_export"),
    path("code-reporting/countries/<str:code>/", public.country, name="country"),
    # What members do: start, write, review, submit, publish and co-sign reports.
    path("code-reporting/mine/", reports.my_reports, name="mine"),
    path("code-reporting/rounds/<int:number>/new/", reports.report_create, name="report_create"),
    path("code-reporting/reports/<int:pk>/", reports.report_detail, name="report"),
    path("code-reporting/reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("code-reporting/reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("code-reporting/reports/<int:pk>/autosave/", reports.report_autosave, name="report_autosave"),
    path("code-reporting/reports/<int:pk>/files/<int:file_id>/", reports.report_file, name="report_file"),
    path("code-reporting/reports/<int:pk>/status/", reports.report_status, name="report_status"),
    path("code-reporting/reports/<int:pk>/cosign/", reports.report_cosign, name="report_cosign"),
]
