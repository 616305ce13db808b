from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from hw4all.core.faults import unavailable_for_current_exception


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if (unavailable := unavailable_for_current_exception(request)) is not None:
        return unavailable
    # The error page must not depend on the database or on anything that may have failed.
    return HttpResponse(render_to_string("500.html"), status=500)
