from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


index = _todo
round_dashboard = _todo
round_export = _todo
country = _todo
