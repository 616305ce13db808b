from django.urls import path

from . import views

app_name = "coalition"

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/people/", views.people, name="people"),
    path("members/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("projects/", views.project_index, name="project_index"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("join/", views.application_create, name="application_create"),
    path("join/thanks/", views.application_thanks, name="application_thanks"),
]
