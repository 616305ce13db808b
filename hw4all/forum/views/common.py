"""What every part of the forum's views asks first: the space, or 404 for whoever may not see it
(a closed space's existence is not revealed by a 403)."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Space
from ..services import access


def space_or_404(request: HttpRequest, slug: str) -> Space:
    space = get_object_or_404(Space, slug=slug)
    if not access.may_view_space(request.user, space):
        raise Http404
    return space
