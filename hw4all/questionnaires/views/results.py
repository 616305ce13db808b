from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


public_results = _todo
