"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def search(request, **kwargs):
    raise Http404


def invitations(request, **kwargs):
    raise Http404


def space(request, **kwargs):
    raise Http404


def space_activity(request, **kwargs):
    raise Http404


def space_search(request, **kwargs):
    raise Http404


def space_join(request, **kwargs):
    raise Http404


def space_leave(request, **kwargs):
    raise Http404


def space_members(request, **kwargs):
    raise Http404


def member_action(request, **kwargs):
    raise Http404
