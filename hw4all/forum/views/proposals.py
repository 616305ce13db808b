"""Placeholder: replaced by the views of this part of the forum."""

from django.http import Http404


def proposal_list(request, **kwargs):
    raise Http404


def proposal_create(request, **kwargs):
    raise Http404


def proposal_detail(request, **kwargs):
    raise Http404


def proposal_edit(request, **kwargs):
    raise Http404


def proposal_authors(request, **kwargs):
    raise Http404


def proposal_status(request, **kwargs):
    raise Http404


def proposal_decide(request, **kwargs):
    raise Http404


def proposal_versions(request, **kwargs):
    raise Http404


def proposal_diff(request, **kwargs):
    raise Http404


def proposal_support(request, **kwargs):
    raise Http404
