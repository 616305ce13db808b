"""Being written: every view here answers 404 until it is built."""

from django.http import Http404


def case_index(request, *args, **kwargs):
    raise Http404


def case_detail(request, *args, **kwargs):
    raise Http404


def case_pdf(request, *args, **kwargs):
    raise Http404


def attachment_download(request, *args, **kwargs):
    raise Http404
