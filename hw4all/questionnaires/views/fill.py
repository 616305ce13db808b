"""The public pages of answering a questionnaire: the list, a questionnaire's landing page, the
invitation link, the form of a response (saved, autosaved, submitted), the thank-you page and the
files given as answers.

A response's key in its URL is the secret of an anonymous response; an identified response is
also only for its organisation's signed-in members (and the Secretariat). Questionnaires embedded
in another part of the platform are never answered here. No page is cached or indexed."""

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import SkipFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hw4all.coalition.queries import organisation_of
from hw4all.core import uploads
from hw4all.core.ratelimit import client_network, rate_limit_exceeded, rate_limited
from hw4all.users.roles import SECRETARIAT, user_has_role

from .. import answers, queries, rendering
from ..definition import Definition
from ..models import Access, Questionnaire, QuestionnaireStatus, Response, ResponseFile
from ..services.invitations import InvitationInvalid, InvitationUsed, invitation_use
from ..services.responses import (
    ResponseClosed,
    ResponseFrozen,
    response_save,
    response_start,
    response_submit,
)

# Starting responses: enough for an office sharing one address, not for filling the database.
STARTS_PER_HOUR = 30
# Room for the other fields around the files of one form.
FORM_MARGIN_BYTES = 512 * 1024
FILES_PER_REQUEST = 5


def _private(view: Callable) -> Callable:
    """Never cached, never indexed."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def _questionnaire_or_404(slug: str) -> Questionnaire:
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("current_version"), slug=slug, current_version__isnull=False
    )
    if questionnaire.access == Access.EMBEDDED or questionnaire.status == QuestionnaireStatus.DRAFT:
        raise Http404
    return questionnaire


def _definition(questionnaire: Questionnaire) -> Definition:
    version = questionnaire.current_version
    if version is None:  # the list and the landing page only take questionnaires with a version
        raise Http404
    return version.definition


def _title(questionnaire: Questionnaire) -> str:
    definition = _definition(questionnaire)
    return definition.title.get(get_language() or "", definition.default_language) or questionnaire.name


def _may_see(user, response: Response) -> bool:
    if response.questionnaire.access != Access.IDENTIFIED:
        return True
    if user_has_role(user, SECRETARIAT):
        return True
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == response.organisation_id


def _response_view(view: Callable) -> Callable:
    """Finds the response by its questionnaire and key and checks who may see it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, key: str, *args, **kwargs):
        response = get_object_or_404(
            Response.objects.select_related("questionnaire", "version"), key=key, questionnaire__slug=slug
        )
        if response.questionnaire.access == Access.EMBEDDED:
            raise Http404
        if response.questionnaire.access == Access.IDENTIFIED:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _may_see(request.user, response):
                raise PermissionDenied
        return view(request, response, *args, **kwargs)

    return wrapper


def _urls(response: Response) -> dict[str, str]:
    arguments = {"slug": response.questionnaire.slug, "key": response.key}
    return {
        "edit": reverse("questionnaires:response", kwargs=arguments),
        "autosave": reverse("questionnaires:autosave", kwargs=arguments),
        "done": reverse("questionnaires:done", kwargs=arguments),
    }


def _file_url(response: Response) -> Callable:
    def url(item) -> str:
        return reverse(
            "questionnaires:file",
            kwargs={"slug": response.questionnaire.slug, "key": response.key, "file_id": item.pk},
        )

    return url


# -- The list and the landing page --------------------------------------------------------------


@_private
@require_safe
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = []
    for questionnaire in queries.listed_surveys():
        surveys.append(
            {
                "questionnaire": questionnaire,
                "title": _title(questionnaire),
                "accepting": questionnaire.is_accepting(),
                "by_invitation": questionnaire.access == Access.INVITATION,
                "identified": questionnaire.access == Access.IDENTIFIED,
            }
        )
    return render(request, "questionnaires/survey_list.html", {"surveys": surveys})


@_private
@require_http_methods(["GET", "HEAD", "POST"])
def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire_or_404(slug)
    definition = _definition(questionnaire)
    language = get_language() or ""
    context = {
        "questionnaire": questionnaire,
        "title": _title(questionnaire),
        "description": definition.description.get(language, definition.default_language),
        "questions": rendering.question_count(definition),
        "minutes": rendering.estimated_minutes(definition),
        "accepting": questionnaire.is_accepting(),
        "by_invitation": questionnaire.access == Access.INVITATION,
        "identified": questionnaire.access == Access.IDENTIFIED,
        "anonymous": questionnaire.access in (Access.PUBLIC, Access.INVITATION),
    }
    organisation = None
    if context["identified"] and request.user.is_authenticated:
        organisation = organisation_of(request.user)
        context["organisation"] = organisation
        context["may_answer"] = organisation is not None and organisation.is_member
        context["existing"] = (
            Response.objects.filter(questionnaire=questionnaire, organisation=organisation).first()
            if organisation is not None
            else None
        )
    if request.method != "POST":
        return render(request, "questionnaires/survey_start.html", context)

    if context["by_invitation"]:
        raise PermissionDenied
    if context["identified"]:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not context.get("may_answer"):
            raise PermissionDenied
    if rate_limit_exceeded(
        scope="questionnaires:start",
        key=client_network(request),
        limit=STARTS_PER_HOUR,
        window_seconds=3600,
    ):
        context["problem"] = _("Too many responses were started from your network. Try again in an hour.")
        return render(request, "questionnaires/survey_start.html", context, status=429)
    try:
        response = response_start(
            questionnaire=questionnaire,
            user=request.user if context["identified"] else None,
            organisation=organisation,
            language=language,
        )
    except ResponseClosed as closed:
        context["problem"] = str(closed)
        return render(request, "questionnaires/survey_start.html", context, status=409)
    urls = _urls(response)
    return redirect(urls["done"] if response.is_frozen else urls["edit"])


@_private
@require_safe
def invitation(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    questionnaire = _questionnaire_or_404(slug)
    if questionnaire.access != Access.INVITATION:
        raise Http404
    try:
        response = invitation_use(questionnaire=questionnaire, token=token, language=get_language() or "")
    except InvitationUsed as used:
        return _message(request, questionnaire, str(used), status=410)
    except InvitationInvalid as invalid:
        return _message(request, questionnaire, str(invalid), status=404)
    except ResponseClosed as closed:
        return _message(request, questionnaire, str(closed), status=409)
    return redirect(_urls(response)["edit"])


def _message(
    request: HttpRequest, questionnaire: Questionnaire, message: str, *, status: int
) -> HttpResponse:
    return render(
        request,
        "questionnaires/survey_message.html",
        {"questionnaire": questionnaire, "title": _title(questionnaire), "message": message},
        status=status,
    )


# -- The form ------------------------------------------------------------------------------------


class _FieldUploadLimit(uploads.UploadLimitHandler):
    """core.uploads' limit, also remembering which questions' files it refused."""

    def __init__(self, request: HttpRequest, **limits: int) -> None:
        super().__init__(request, **limits)
        self.refused_fields: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        try:
            return super().receive_data_chunk(raw_data, start)
        except SkipFile:
            self.refused_fields.append(self.field_name)
            raise


def _limit_install(request: HttpRequest) -> _FieldUploadLimit:
    handler = _FieldUploadLimit(
        request,
        limit=answers.FILE_MAX_BYTES,
        request_limit=answers.FILE_MAX_BYTES * FILES_PER_REQUEST + FORM_MARGIN_BYTES,
    )
    request.upload_handlers.insert(0, handler)
    return handler


def _base_revision(request: HttpRequest) -> int:
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _refused_errors(limit: _FieldUploadLimit) -> dict[str, list[str]]:
    message = _("The file is larger than %(mb)s MB.") % {"mb": answers.FILE_MAX_BYTES // (1024 * 1024)}
    return {field: [message] for field in limit.refused_fields}


@csrf_exempt
@_private
@require_http_methods(["GET", "HEAD", "POST"])
@_response_view
def response_edit(request: HttpRequest, response: Response) -> HttpResponse:
    """The upload limit is installed before the CSRF check reads the body (see _response_post)."""
    if response.is_frozen:
        return redirect(_urls(response)["done"])
    if request.method == "POST":
        return _response_post(request, response, _limit_install(request))
    return _form_page(request, response)


@csrf_protect
@rate_limited("survey-answer")
def _response_post(request: HttpRequest, response: Response, limit: _FieldUploadLimit) -> HttpResponse:
    urls = _urls(response)
    submitting = "submit" in request.POST
    try:
        if submitting:
            result = response_submit(
                response=response,
                data=request.POST,
                files=request.FILES,
                base_revision=_base_revision(request),
            )
        else:
            result = response_save(
                response=response,
                data=request.POST,
                files=request.FILES,
                base_revision=_base_revision(request),
            )
    except ResponseFrozen:
        messages.info(request, _("This response was already submitted: here is what it says."))
        return redirect(urls["done"])
    except ResponseClosed as closed:
        return _message(request, response.questionnaire, str(closed), status=409)
    errors = {**result.errors, **_refused_errors(limit)}
    if errors or result.conflicts:
        return _form_page(
            request,
            response,
            errors=errors,
            conflicts=result.conflicts,
            posted=request.POST,
            status=409 if result.conflicts and not errors else 422,
        )
    if submitting:
        return redirect(urls["done"])
    block = request.POST.get("add_block") or request.POST.get("remove_block", "").split(".", 1)[0]
    if block:
        return redirect(f"{urls['edit']}#{rendering.field_id(block)}")
    messages.success(request, _("Your draft is saved. Come back to this page's address to go on."))
    return redirect(urls["edit"])


def _form_page(
    request: HttpRequest,
    response: Response,
    *,
    errors=None,
    conflicts=None,
    posted=None,
    status: int = 200,
) -> HttpResponse:
    urls = _urls(response)
    context = rendering.form_context(
        response=response,
        language=get_language() or "",
        action_url=urls["edit"],
        autosave_url=urls["autosave"],
        file_url=_file_url(response),
        errors=errors,
        conflicts=conflicts,
        posted=posted,
    )
    context.update(
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "title": context["qform"]["title"] or response.questionnaire.name,
            "page_url": request.build_absolute_uri(urls["edit"]),
            "anonymous": response.questionnaire.access in (Access.PUBLIC, Access.INVITATION),
        }
    )
    return render(request, "questionnaires/survey_form.html", context, status=status)


@csrf_exempt
@_private
@require_POST
@_response_view
def response_autosave(request: HttpRequest, response: Response) -> HttpResponse:
    if response.is_frozen:
        return JsonResponse({"error": str(ResponseFrozen())}, status=403)
    return _autosave(request, response, _limit_install(request))


@csrf_protect
@rate_limited("autosave")
def _autosave(request: HttpRequest, response: Response, limit: _FieldUploadLimit) -> HttpResponse:
    try:
        result = response_save(
            response=response, data=request.POST, files=request.FILES, base_revision=_base_revision(request)
        )
    except ResponseFrozen as frozen:
        return JsonResponse({"error": str(frozen)}, status=403)
    except ResponseClosed as closed:
        return JsonResponse({"error": str(closed)}, status=403)
    payload = rendering.autosave_payload(result)
    payload["errors"] = {**payload["errors"], **_refused_errors(limit)}
    return JsonResponse(payload, status=409 if result.conflicts else 200)


@_private
@require_safe
@_response_view
def response_done(request: HttpRequest, response: Response) -> HttpResponse:
    if not response.is_frozen:
        return redirect(_urls(response)["edit"])
    context = rendering.answers_context(
        definition=response.version.definition,
        answers=response.answers,
        language=get_language() or "",
        file_url=_file_url(response),
    )
    context.update(
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "title": context["qanswers"]["title"] or response.questionnaire.name,
        }
    )
    return render(request, "questionnaires/survey_done.html", context)


@_private
@require_safe
@_response_view
def response_file(request: HttpRequest, response: Response, file_id: int) -> HttpResponseBase:
    item = get_object_or_404(ResponseFile, pk=file_id, response=response)
    return rendering.file_download(item)
