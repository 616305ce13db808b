from django.http import Http404


def resource_detail(request, pk, slug=""):
    raise Http404


def resource_submit(request):
    raise Http404


def resource_cite(request, pk, slug, format):
    raise Http404


def file_download(request, pk, slug, file_id):
    raise Http404
