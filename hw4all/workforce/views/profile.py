from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404


countries = country = briefing_pdf = _todo
