from django.urls import path

from .views import fill, results

app_name = "questionnaires"

urlpatterns = [
    path("surveys/", fill.survey_list, name="list"),
    path("surveys/<slug:slug>/", fill.survey_start, name="start"),
    path("surveys/<slug:slug>/invitation/<str:token>/", fill.invitation, name="invitation"),
    path("surveys/<slug:slug>/results/", results.public_results, name="results"),
    path("surveys/<slug:slug>/r/<str:key>/", fill.response_edit, name="response"),
    path("surveys/<slug:slug>/r/<str:key>/autosave/", fill.response_autosave, name="autosave"),
    path("surveys/<slug:slug>/r/<str:key>/thanks/", fill.response_done, name="done"),
    path("surveys/<slug:slug>/r/<str:key>/files/<int:file_id>/", fill.response_file, name="file"),
]
