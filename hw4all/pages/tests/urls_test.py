"""A URLconf for tests: the site's, plus a view that fails and a page that renders a form."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from hw4all.urls import urlpatterns as site_urlpatterns

FORM = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Form{% endblock %}'
    '{% block content %}<form method="post">{% csrf_token %}<button>Send</button></form>'
    "<p>{{ filler }}</p>{% endblock %}"
)


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A bug")


def form_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FORM.render({"filler": "x" * 500}, request))


urlpatterns = [path("test/boom/", failing_view), path("test/form/", form_view), *site_urlpatterns]

handler404 = "hw4all.core.views.page_not_found"
handler500 = "hw4all.core.views.server_error"
