"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def thread_list(request, **kwargs):
    raise Http404


def thread_create(request, **kwargs):
    raise Http404


def thread_detail(request, **kwargs):
    raise Http404


def thread_comment(request, **kwargs):
    raise Http404


def proposal_comment(request, **kwargs):
    raise Http404


def comment_edit(request, **kwargs):
    raise Http404


def comment_delete(request, **kwargs):
    raise Http404


def comment_history(request, **kwargs):
    raise Http404


def comments_block(request, *, proposal=None, thread=None) -> str:
    """The comment tree with its reply forms, for a thread's or a proposal's page."""
    return ""
