from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


questionnaire_list = _todo
questionnaire_detail = _todo
invitations = _todo
results = _todo
export = _todo
response_list = _todo
response_detail = _todo
response_file = _todo
