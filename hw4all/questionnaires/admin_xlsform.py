"""The Secretariat's XLSForm screens in the Wagtail admin: a new questionnaire from an XLSForm, a
new version of one, and a version's download as XLSForm.

An upload is checked and previewed before anything is stored: the file waits in a private folder
under a random name that only a signed token names, so what is confirmed is exactly what was
previewed, and the browser never sends the file twice."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages

from . import display, expressions
from .definition import Definition, Question, QuestionType
from .models import Access, Questionnaire, QuestionnaireVersion, VersionSource
from .services import questionnaires as services
from .xlsform import MAX_BYTES, XLSFormError, XLSFormProblem, definition_from_xlsform, definition_to_xlsform

logger = logging.getLogger(__name__)

MANAGE = "questionnaires.manage"
TOKEN_SALT = "hw4all.questionnaires.xlsform"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60
STORED_NAME = re.compile(r"[0-9a-f]{32}")
TYPE_NAMES = {
    QuestionType.TEXT: gettext_lazy("Short text"),
    QuestionType.LONG_TEXT: gettext_lazy("Long text"),
    QuestionType.INTEGER: gettext_lazy("Whole number"),
    QuestionType.DECIMAL: pgettext_lazy("question type", "Number"),
    QuestionType.DATE: gettext_lazy("Date"),
    QuestionType.YES_NO: gettext_lazy("Yes / no / don't know"),
    QuestionType.SELECT_ONE: gettext_lazy("One choice"),
    QuestionType.SELECT_MULTIPLE: gettext_lazy("Several choices"),
    QuestionType.COUNTRY: gettext_lazy("Country"),
    QuestionType.COUNTRIES: gettext_lazy("Countries"),
    QuestionType.MATRIX: gettext_lazy("Matrix"),
    QuestionType.FILE: gettext_lazy("File upload"),
    QuestionType.REPEAT: gettext_lazy("Repeated block"),
    QuestionType.NOTE: gettext_lazy("Note"),
}


# The uploaded file between preview and confirmation


def _stored_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "private" / "questionnaire-imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _stored_clean(folder: Path) -> None:
    """Uploads never confirmed go after a day, when the token naming them has expired."""
    too_old = time.time() - TOKEN_MAX_AGE
    for old in folder.iterdir():
        try:
            if STORED_NAME.fullmatch(old.name) and old.stat().st_mtime < too_old:
                old.unlink()
        except OSError:
            continue


@dataclass
class Upload:
    stored: str
    filename: str
    data: bytes

    def claim(self) -> bool:
        """Take the waiting file for one confirmation: of two confirmations sent at once (a
        double click, two tabs), only the one that removes the file goes on."""
        try:
            (_stored_dir() / self.stored).unlink()
        except FileNotFoundError:
            return False
        return True

    def release(self) -> None:
        """Put the file back when the confirmation could not be completed."""
        with open(_stored_dir() / self.stored, "wb") as output:
            output.write(self.data)
        (_stored_dir() / self.stored).chmod(0o600)


def upload_store(data: bytes, *, filename: str, user_id: int | None, target: int | None) -> str:
    """Keep the file; the signed token names it, its owner and the questionnaire it is for."""
    folder = _stored_dir()
    _stored_clean(folder)
    stored = secrets.token_hex(16)
    with open(folder / stored, "xb") as output:
        output.write(data)
    (folder / stored).chmod(0o600)
    claims = {
        "file": stored,
        "sha256": hashlib.sha256(data).hexdigest(),
        "name": filename,
        "user": user_id,
        "target": target,
    }
    return signing.dumps(claims, salt=TOKEN_SALT, compress=True)


class TokenInvalid(Exception):
    pass


def upload_load(token: str, *, user_id: int | None, target: int | None) -> Upload:
    try:
        claims = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        stored, digest, filename = str(claims["file"]), claims["sha256"], str(claims["name"])
        owner, for_target = claims["user"], claims["target"]
    except (signing.BadSignature, KeyError, TypeError):
        raise TokenInvalid from None
    if owner != user_id or for_target != target or not STORED_NAME.fullmatch(stored):
        raise TokenInvalid
    try:
        data = (_stored_dir() / stored).read_bytes()
    except OSError:
        raise TokenInvalid from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise TokenInvalid
    return Upload(stored=stored, filename=filename, data=data)


# Forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSForm (.xlsx)"),
        help_text=gettext_lazy("The survey, choices and settings sheets, as ODK and KoBoToolbox use them."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; an XLSForm is far smaller."))
        return upload


class QuestionnaireForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        max_length=100,
        help_text=gettext_lazy("The last part of the questionnaire's web address."),
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Who answers"), choices=Access.choices, initial=Access.PUBLIC
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Questionnaire.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another questionnaire has this slug."))
        return slug


class VersionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("A line for the list of versions, e.g. “Corrected the French labels”."),
    )


# Words for the preview


def condition_text(definition: Definition, text: str, language: str) -> str:
    """A skip-logic condition in words, with question labels and choice labels; the expression
    itself when it cannot be put in words."""
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError:
        return text
    if node is None:
        return ""
    try:
        return _words(definition, node, language)
    except _NoWords:
        return text


class _NoWords(Exception):
    pass


def _label(definition: Definition, name: str, language: str) -> str:
    question = definition.question(name)
    if question is None:
        return f"“{name}”"
    return f"“{question.label.get(language, definition.default_language) or name}”"


def _value(definition: Definition, reference: Any, node: Any, language: str) -> str:
    if node[0] in ("str", "num"):
        question = definition.question(reference[1]) if reference and reference[0] == "ref" else None
        raw = str(node[1])
        if question is not None:
            return display.choice_text(question, raw, language, definition.default_language, labels=True)
        return raw
    if node[0] == "ref":
        return _label(definition, node[1], language)
    raise _NoWords


def _words(definition: Definition, node: Any, language: str) -> str:
    kind = node[0]
    if kind in ("and", "or"):
        joiner = _(" and ") if kind == "and" else _(" or ")
        return joiner.join(f"({_words(definition, part, language)})" for part in node[1:])
    if kind == "call" and node[1] == "selected" and node[2][0] == "ref":
        return _("%(question)s includes “%(choice)s”") % {
            "question": _label(definition, node[2][1], language),
            "choice": _value(definition, node[2], node[3], language),
        }
    if kind == "call" and node[1] == "not":
        return _("not %(condition)s") % {"condition": f"({_words(definition, node[2], language)})"}
    if kind in expressions.COMPARISONS and node[1][0] == "ref":
        left = _label(definition, node[1][1], language)
        right = _value(definition, node[1], node[2], language)
        if node[2] == ["str", ""] and kind in ("=", "!="):
            template = _("%(question)s is answered") if kind == "!=" else _("%(question)s is not answered")
            return template % {"question": left}
        words = {
            "=": _("%(question)s is “%(value)s”"),
            "!=": _("%(question)s is not “%(value)s”"),
            "<": _("%(question)s is less than %(value)s"),
            "<=": _("%(question)s is at most %(value)s"),
            ">": _("%(question)s is more than %(value)s"),
            ">=": _("%(question)s is at least %(value)s"),
        }
        return words[kind] % {"question": left, "value": right}
    raise _NoWords


@dataclass
class QuestionRow:
    question: Question
    depth: int
    label: str
    type_name: str
    shown_when: str
    choices: str
    details: str


def question_rows(definition: Definition, language: str) -> list[dict[str, Any]]:
    """Each section with its questions (those of repeats after their repeat, indented), as the
    preview lists them."""
    default = definition.default_language

    def row(question: Question, depth: int) -> QuestionRow:
        if question.type in (QuestionType.COUNTRY, QuestionType.COUNTRIES):
            choices = _("every country")
        elif question.type == QuestionType.YES_NO:
            choices = _("Yes; No; Don't know")
        elif question.type == QuestionType.MATRIX:
            choices = _("Rows: %(rows)s. Scale: %(scale)s") % {
                "rows": "; ".join(item.label.get(language, default) or item.name for item in question.rows),
                "scale": "; ".join(
                    item.label.get(language, default) or item.name for item in question.choices
                ),
            }
        else:
            choices = "; ".join(item.label.get(language, default) or item.name for item in question.choices)
            if question.other:
                choices += _("; Other (specify)")
        shown = condition_text(definition, question.relevant, language) if question.relevant else ""
        if question.choice_filter:
            shown = (shown + " " if shown else "") + _("(choices filtered by %(filter)s)") % {
                "filter": question.choice_filter
            }
        details = question.unit.get(language, default)
        if question.minimum is not None or question.maximum is not None:
            bounds = _("from %(minimum)s to %(maximum)s") % {
                "minimum": "…" if question.minimum is None else question.minimum,
                "maximum": "…" if question.maximum is None else question.maximum,
            }
            details = f"{details}, {bounds}" if details else bounds
        return QuestionRow(
            details=details,
            question=question,
            depth=depth,
            label=question.label.get(language, default),
            type_name=str(TYPE_NAMES.get(question.type, question.type)),
            shown_when=shown,
            choices=choices,
        )

    sections = []
    for section in definition.sections:
        rows = []
        for question in section.questions:
            rows.append(row(question, 0))
            rows.extend(row(inner, 1) for inner in question.questions)
        sections.append(
            {
                "section": section,
                "label": section.label.get(language, default) or section.name,
                "shown_when": condition_text(definition, section.relevant, language),
                "rows": rows,
            }
        )
    return sections


def version_changes(old: Definition, new: Definition) -> dict[str, list[str]]:
    """The questions added, removed and changed from one version to the next, by name."""
    before = {question.name: question.as_json() for question in old.questions()}
    after = {question.name: question.as_json() for question in new.questions()}
    return {
        "added": [name for name in after if name not in before],
        "removed": [name for name in before if name not in after],
        "changed": [name for name in after if name in before and before[name] != after[name]],
    }


# Views


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may import and export questionnaires.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _expired(request: HttpRequest, again: str) -> HttpResponse:
    messages.error(request, _("The uploaded file is no longer available; upload it again."))
    return redirect(again)


def _read(upload: Any) -> tuple[Definition | None, list[XLSFormProblem]]:
    try:
        return definition_from_xlsform(upload), []
    except XLSFormError as error:
        return None, error.problems


def _suggested_slug(definition: Definition) -> str:
    base = (
        slugify(definition.form_id or definition.title.get(definition.default_language))[:90]
        or "questionnaire"
    )
    slug, number = base, 1
    while Questionnaire.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _language(request: HttpRequest, definition: Definition) -> str:
    language = getattr(request, "LANGUAGE_CODE", "") or definition.default_language
    return language if language in definition.languages else definition.default_language


@require_http_methods(["GET", "POST"])
def questionnaire_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm, see what it holds (or every problem in it), then confirm."""
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    here = reverse("questionnaires_admin:create")
    context: dict[str, Any] = {"action": here, "heading": _("New questionnaire from an XLSForm")}
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        try:
            upload = upload_load(token, user_id=request.user.pk, target=None)
        except TokenInvalid:
            return _expired(request, here)
        definition, problems = _read(upload.data)
        if definition is None:
            return _expired(request, here)
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            if not upload.claim():
                return _expired(request, here)
            try:
                questionnaire = services.questionnaire_create(
                    slug=form.cleaned_data["slug"],
                    name=form.cleaned_data["name"],
                    access=form.cleaned_data["access"],
                    definition=definition,
                    source=VersionSource.XLSFORM,
                    source_file=ContentFile(upload.data, name=upload.filename),
                    user=request.user,
                )
            except IntegrityError:
                upload.release()
                form.add_error("slug", _("Another questionnaire has this slug."))
            except Exception:
                upload.release()
                raise
            else:
                messages.success(
                    request,
                    _("The questionnaire “%(name)s” is created, as a draft.") % {"name": questionnaire.name},
                )
                return redirect("questionnaires_admin:detail", pk=questionnaire.pk)
        return _preview(request, context, upload, definition, token, form)
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        uploaded = upload_form.cleaned_data["file"]
        data = uploaded.read()
        definition, problems = _read(data)
        if definition is not None:
            token = upload_store(data, filename=uploaded.name, user_id=request.user.pk, target=None)
            form = QuestionnaireForm(
                initial={
                    "name": definition.title.get(definition.default_language),
                    "slug": _suggested_slug(definition),
                    "access": Access.PUBLIC,
                }
            )
            return _preview(request, context, Upload("", uploaded.name, data), definition, token, form)
        context.update(problems=problems, filename=uploaded.name)
    context["form"] = upload_form
    return TemplateResponse(request, "questionnaires/admin/xlsform_upload.html", context)


def _preview(
    request: HttpRequest,
    context: dict[str, Any],
    upload: Upload,
    definition: Definition,
    token: str,
    form: forms.Form,
) -> HttpResponse:
    language = _language(request, definition)
    context.update(
        definition=definition,
        title=definition.title.get(language, definition.default_language),
        sections=question_rows(definition, language),
        language=language,
        filename=upload.filename,
        token=token,
        form=form,
    )
    return TemplateResponse(request, "questionnaires/admin/xlsform_preview.html", context)


@require_http_methods(["GET", "POST"])
def version_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a corrected XLSForm as the questionnaire's next version, after seeing what changes."""
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("current_version"), pk=pk)
    here = reverse("questionnaires_admin:version_import", kwargs={"pk": pk})
    current = questionnaire.current_version
    context: dict[str, Any] = {
        "action": here,
        "questionnaire": questionnaire,
        "current": current,
        "heading": _("New version of “%(name)s”") % {"name": questionnaire.name},
        "responses": questionnaire.responses.count(),
    }
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        try:
            upload = upload_load(token, user_id=request.user.pk, target=questionnaire.pk)
        except TokenInvalid:
            return _expired(request, here)
        definition, problems = _read(upload.data)
        if definition is None:
            return _expired(request, here)
        form = VersionForm(request.POST)
        if form.is_valid():
            if not upload.claim():
                return _expired(request, here)
            try:
                version = services.version_add(
                    questionnaire=questionnaire,
                    definition=definition,
                    source=VersionSource.XLSFORM,
                    source_file=ContentFile(upload.data, name=upload.filename),
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            except Exception:
                upload.release()
                raise
            messages.success(
                request,
                _("Version %(number)s of “%(name)s” is now the current one.")
                % {"number": version.number, "name": questionnaire.name},
            )
            return redirect("questionnaires_admin:detail", pk=questionnaire.pk)
        return _version_preview(request, context, upload, definition, token, form)
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        uploaded = upload_form.cleaned_data["file"]
        data = uploaded.read()
        definition, problems = _read(data)
        if definition is not None:
            token = upload_store(
                data, filename=uploaded.name, user_id=request.user.pk, target=questionnaire.pk
            )
            return _version_preview(
                request, context, Upload("", uploaded.name, data), definition, token, VersionForm()
            )
        context.update(problems=problems, filename=uploaded.name)
    context["form"] = upload_form
    return TemplateResponse(request, "questionnaires/admin/xlsform_upload.html", context)


def _version_preview(
    request: HttpRequest,
    context: dict[str, Any],
    upload: Upload,
    definition: Definition,
    token: str,
    form: forms.Form,
) -> HttpResponse:
    current = context["current"]
    if current is not None:
        changes = version_changes(current.definition, definition)
        language = _language(request, definition)
        labels = {
            question.name: question.label.get(language, definition.default_language)
            for question in definition.questions()
        }
        labels.update(
            {
                question.name: question.label.get(language, current.definition.default_language)
                for question in current.definition.questions()
                if question.name not in labels
            }
        )
        context["changes"] = {
            kind: [(name, labels.get(name, "")) for name in names] for kind, names in changes.items()
        }
    return _preview(request, context, upload, definition, token, form)


@require_GET
def version_export(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A version as an XLSForm .xlsx, to correct in a spreadsheet and import as the next version."""
    if not request.user.has_perm(MANAGE):
        return _forbidden(request)
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), questionnaire_id=pk, number=number
    )
    data = definition_to_xlsform(version.definition, version=str(version.number))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{version.questionnaire.slug}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
