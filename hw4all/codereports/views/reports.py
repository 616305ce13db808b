from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


my_reports = _todo
report_create = _todo
report_detail = _todo
report_pdf = _todo
report_edit = _todo
report_autosave = _todo
report_file = _todo
report_status = _todo
report_cosign = _todo
