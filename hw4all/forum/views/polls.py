"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def poll_list(request, **kwargs):
    raise Http404


def poll_create(request, **kwargs):
    raise Http404


def poll_detail(request, **kwargs):
    raise Http404


def poll_vote(request, **kwargs):
    raise Http404


def poll_ballots(request, **kwargs):
    raise Http404
