from django.http import Http404


def library_index(request):
    raise Http404
