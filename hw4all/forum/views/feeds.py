"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def space_feed(request, **kwargs):
    raise Http404
