"""Being written: every view here answers 404 until it is built."""

from django.http import Http404


def my_cases(request, *args, **kwargs):
    raise Http404


def case_new(request, *args, **kwargs):
    raise Http404


def case_edit(request, *args, **kwargs):
    raise Http404


def case_autosave(request, *args, **kwargs):
    raise Http404


def case_submit(request, *args, **kwargs):
    raise Http404


def case_authors(request, *args, **kwargs):
    raise Http404


def case_files(request, *args, **kwargs):
    raise Http404


def case_history(request, *args, **kwargs):
    raise Http404
