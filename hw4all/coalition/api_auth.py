"""The API's writes authenticate with an organisation's token (`Authorization: Bearer <token>`).

A token names what it may do (its scopes) and, when a browser sends the request, from which
websites (its origins). Every request made with a known token is logged with the status it got,
refused ones included: the refusal is decided here, the status is known once the response is
made (api_token_use_observe, called by core.apihttp after every write)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from hw4all.core.apierrors import ApiProblem
from hw4all.core.ratelimit import client_network

from . import services
from .models import ApiToken
from .queries import api_token_find

# The request attribute that carries the token to the observer, set whether or not it is refused.
USE_ATTRIBUTE = "_api_token_use"


@dataclass
class _PendingUse:
    token: ApiToken
    accepted: bool


class OrganisationTokenAuth(HttpBearer):
    """Accepts a token that is not revoked, has `scope`, and, if the request has an Origin
    header, lists that origin. Unknown or revoked: 401; otherwise refused: 403."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token:
            return None
        found = api_token_find(plaintext=token)
        if found is None:
            return None
        pending = _PendingUse(token=found, accepted=False)
        setattr(request, USE_ATTRIBUTE, pending)
        if not found.is_active:
            raise ApiProblem(
                401, _("This API token has been revoked."), headers={"WWW-Authenticate": "Bearer"}
            )
        if self.scope not in found.scopes:
            raise ApiProblem(403, _("This API token may not do this."))
        origin = request.headers.get("Origin")
        if origin is not None and origin not in found.origin_list():
            raise ApiProblem(
                403,
                _("This API token may not be used from %(origin)s: it is not among its registered origins.")
                % {"origin": origin[:200]},
            )
        pending.accepted = True
        return found


def api_token_use_observe(request: HttpRequest, response: HttpResponseBase) -> None:
    """Log the use of the token the request carried, with the status it got."""
    pending: _PendingUse | None = getattr(request, USE_ATTRIBUTE, None)
    if pending is None:
        return
    services.api_token_use_log(
        token=pending.token,
        method=request.method or "",
        path=request.path,
        status_code=response.status_code,
        origin=request.headers.get("Origin", ""),
        remote_addr=client_network(request),
        accepted=pending.accepted,
    )
