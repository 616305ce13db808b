"""One error format for every failure of the public API: RFC 9457 problem details.

Every error the API answers is `application/problem+json` with `type`, `title`, `status`,
`detail` and, for invalid input, `errors` (field name -> messages, as the site's forms give
them). Operations raise `ApiProblem` for the errors they decide; ninja's own (validation,
authentication, throttling, 404) and unexpected exceptions are turned into the same shape here,
and the OpenAPI schema documents it on every operation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from hw4all.core.faults import ServiceUnavailable, api_unavailable

if TYPE_CHECKING:
    from ninja import NinjaAPI

PROBLEM_CONTENT_TYPE = "application/problem+json"
# "about:blank" says the status code is the whole story (RFC 9457 § 4.2.1); the title is then
# the status's reason phrase.
PROBLEM_TYPE = "about:blank"
# The statuses an operation may answer besides its own, documented on every operation.
COMMON_STATUSES = (400, 401, 403, 404, 409, 422, 429)

logger = logging.getLogger("django.request")
LOCATION_SOURCES = ("query", "body", "path", "header", "cookie", "form", "file")


class Problem(Schema):
    type: str = Field(
        PROBLEM_TYPE, description='A URI naming the kind of problem; "about:blank": see the status'
    )
    title: str = Field(description="The HTTP status's reason phrase")
    status: int
    detail: str = Field(description="What went wrong, for a person to read")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="For invalid input: each field's messages ('__all__' for the whole request)",
    )


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Mapping[str, Iterable[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = {
            field: [str(message) for message in messages] for field, messages in (errors or {}).items()
        }
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": dict(errors or {}),
    }
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location: Iterable[Any]) -> str:
    """ninja's error locations read ("query", "filters", "kind", 0) or ("body", "payload",
    "email"): a partner knows the field by the name of the parameter they sent."""
    parts = [str(part) for part in location if not isinstance(part, int) and part not in LOCATION_SOURCES]
    if len(parts) > 1 and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def validation_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(
            str(error.get("msg", "Invalid value"))
        )
    return fields


def _on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(422, "Some parameters are not valid.", errors=validation_errors(exc.errors))


def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return problem_response(422, "Some fields are not valid.", errors=errors)


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
    return problem_response(429, "Too many requests. Please try again later.", headers=headers)


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(401, "A valid API token is required.", headers={"WWW-Authenticate": "Bearer"})


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc))


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, str(exc) or "Nothing here has this address.")


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(403, str(exc) or "You may not do this.")


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    # What Django does for a view's exception: the signal (error reporting; the test client
    # re-raises it) and the django.request log, then an answer in the API's format.
    got_request_exception.send(sender=None, request=request)
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return problem_response(500, "Something went wrong on our side. It has been logged.")


def problem_handlers_install(api: NinjaAPI) -> None:
    handlers: tuple[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]], ...] = (
        (Exception, _on_exception),
        (ApiProblem, _on_api_problem),
        (ValidationError, _on_validation_error),
        (DjangoValidationError, _on_django_validation_error),
        (Throttled, _on_throttled),
        (AuthenticationError, _on_authentication_error),
        (HttpError, _on_http_error),
        (Http404, _on_not_found),
        (PermissionDenied, _on_permission_denied),
        # A database locked or restarting, a search index missing: 503, try again (core.faults).
        (OperationalError, api_unavailable),
        (InterfaceError, api_unavailable),
        (ServiceUnavailable, api_unavailable),
    )
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Addresses under /api/v1/ that no operation serves."""
    return problem_response(404, "No API operation has this address. See /api/v1/docs.")


def problems_document(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the problem format to the OpenAPI schema and to every operation's responses."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in (*COMMON_STATUSES, 500, 503):
                declared = responses.setdefault(str(status), {"description": HTTPStatus(status).phrase})
                declared["content"] = {PROBLEM_CONTENT_TYPE: {"schema": reference}}
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again",
                        "schema": {"type": "integer"},
                    }
                }
    return schema
