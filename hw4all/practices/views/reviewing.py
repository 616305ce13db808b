"""Being written: every view here answers 404 until it is built."""

from django.http import Http404


def my_reviews(request, *args, **kwargs):
    raise Http404


def review(request, *args, **kwargs):
    raise Http404


def thread(request, *args, **kwargs):
    raise Http404
