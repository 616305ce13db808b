"""The Secretariat's questionnaire screens in the Wagtail admin, mounted at /admin/questionnaires/."""

from django.urls import path

from . import admin_views, admin_xlsform

app_name = "questionnaires_admin"

urlpatterns = [
    path("", admin_views.questionnaire_list, name="list"),
    path("new/", admin_xlsform.questionnaire_import, name="create"),
    path("<int:pk>/", admin_views.questionnaire_detail, name="detail"),
    path("<int:pk>/versions/new/", admin_xlsform.version_import, name="version_import"),
    path("<int:pk>/versions/<int:number>/xlsform/", admin_xlsform.version_export, name="version_export"),
    path("<int:pk>/invitations/", admin_views.invitations, name="invitations"),
    path("<int:pk>/results/", admin_views.results, name="results"),
    path("<int:pk>/export/<str:fmt>/", admin_views.export, name="export"),
    path("<int:pk>/responses/", admin_views.response_list, name="responses"),
    path("<int:pk>/responses/<int:response_id>/", admin_views.response_detail, name="response"),
    path(
        "<int:pk>/responses/<int:response_id>/files/<int:file_id>/",
        admin_views.response_file,
        name="response_file",
    ),
]
