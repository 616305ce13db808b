"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def space_moderation(request, **kwargs):
    raise Http404


def report(request, **kwargs):
    raise Http404


def moderate(request, **kwargs):
    raise Http404
