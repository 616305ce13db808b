from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


survey_list = _todo
survey_start = _todo
invitation = _todo
response_edit = _todo
response_autosave = _todo
response_done = _todo
response_file = _todo
