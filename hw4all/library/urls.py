from django.urls import path

from .views import resources, search

app_name = "library"

urlpatterns = [
    path("library/", search.library_index, name="index"),
    path("library/submit/", resources.resource_submit, name="resource_submit"),
    path("library/<int:pk>-<str:slug>/", resources.resource_detail, name="resource_detail"),
    path("library/<int:pk>/", resources.resource_detail, name="resource_detail_short"),
    path("library/<int:pk>-<str:slug>/cite.<str:format>", resources.resource_cite, name="resource_cite"),
    path("library/<int:pk>-<str:slug>/files/<int:file_id>/", resources.file_download, name="file_download"),
]
