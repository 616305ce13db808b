"""Being written: the Secretariat's case screens in the Wagtail admin."""

from django.http import Http404
from django.urls import path

app_name = "practices_cases"


def case(request, pk):
    raise Http404


urlpatterns = [path("<int:pk>/", case, name="case")]
