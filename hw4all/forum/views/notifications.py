"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def follow(request, **kwargs):
    raise Http404


def notification_list(request, **kwargs):
    raise Http404


def notifications_read(request, **kwargs):
    raise Http404


def notification_settings(request, **kwargs):
    raise Http404


def unsubscribe(request, **kwargs):
    raise Http404
