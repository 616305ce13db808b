from django.urls import path

from .views import authoring, public, reviewing

app_name = "practices"

urlpatterns = [
    # Visitors: validated practices and published case studies.
    path("practices/", public.case_index, name="index"),
    path("practices/<int:pk>-<str:slug>/", public.case_detail, name="case_detail"),
    path("practices/<int:pk>/", public.case_detail, name="case_detail_short"),
    path("practices/<int:pk>-<str:slug>/case.pdf", public.case_pdf, name="case_pdf"),
    path("practices/<int:pk>/files/<int:file_id>/", public.attachment_download, name="attachment"),
    # Authors: members writing case studies with their co-authors.
    path("practices/mine/", authoring.my_cases, name="mine"),
    path("practices/new/", authoring.case_new, name="case_new"),
    path("practices/<int:pk>/edit/", authoring.case_edit, name="case_edit"),
    path("practices/<int:pk>/autosave/", authoring.case_autosave, name="case_autosave"),
    path("practices/<int:pk>/submit/", authoring.case_submit, name="case_submit"),
    path("practices/<int:pk>/authors/", authoring.case_authors, name="case_authors"),
    path("practices/<int:pk>/attachments/", authoring.case_files, name="case_files"),
    path("practices/<int:pk>/history/", authoring.case_history, name="case_history"),
    # Reviewers: their assignments, the scoring form, and the private discussion.
    path("practices/reviews/", reviewing.my_reviews, name="reviews"),
    path("practices/reviews/<int:pk>/", reviewing.review, name="review"),
    path("practices/<int:pk>/discussion/", reviewing.thread, name="thread"),
]
