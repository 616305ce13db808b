"""What follows a report's submission: its PDF (made with WeasyPrint from the frozen answers,
reading nothing from the network) stored as the report's record, and the receipts emailed to the
organisation's members, with the PDF's SHA-256 so anyone can check the file they hold; the
Secretariat is told a report came in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from hw4all.core.email import email_enqueue
from hw4all.questionnaires.rendering import answers_context
from hw4all.users.roles import SECRETARIAT

from ..models import Report
from ..queries import cosigners_of, organisation_accounts

User = get_user_model()


def article_label(tag: str) -> str:
    """“art-3.5” → “Art. 3.5”; other tags as they are."""
    return f"Art. {tag.removeprefix('art-')}" if tag.startswith("art-") else tag


def report_document_context(
    report: Report, *, language: str, file_url: Callable[[Any], str] | None = None
) -> dict[str, Any]:
    """What the report's page and its PDF both show: the answers by section (through the
    questionnaire engine's read-only rendering) and the Code articles each section concerns."""
    definition = report.response.version.definition
    sections = []
    for section in definition.sections:
        tags = {tag for question in section.questions for tag in question.tags}
        tags |= {tag for question in section.questions for inner in question.questions for tag in inner.tags}
        sections.append(
            {
                "label": section.label.get(language, definition.default_language) or section.name,
                "articles": [article_label(tag) for tag in sorted(tags, key=_article_order)],
            }
        )
    return {
        "report": report,
        "definition_title": definition.title.get(language, definition.default_language),
        "section_articles": sections,
        "cosigners": cosigners_of(report),
        **answers_context(
            definition=definition, answers=report.response.answers, language=language, file_url=file_url
        ),
    }


def _article_order(tag: str) -> tuple:
    number = tag.removeprefix("art-")
    try:
        return (0, *(int(part) for part in number.split(".")))
    except ValueError:
        return (1, tag)


def _no_network():
    """A WeasyPrint fetcher that reads nothing: the answers are people's text, and the server must
    never fetch an address someone wrote."""
    from weasyprint.urls import URLFetcher

    class NothingFetched(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError("A report's PDF reads nothing from the network.")

    return NothingFetched(timeout=1, allowed_protocols=())


def report_pdf_html(report: Report, *, draft: bool, language: str) -> str:
    with translation.override(language):
        context = report_document_context(report, language=language)
        context.update(
            {"draft": draft, "page_url": settings.SITE_URL + reverse("codereports:report", args=[report.pk])}
        )
        return render_to_string("codereports/report_pdf.html", context)


def report_pdf_bytes(report: Report, *, draft: bool, language: str) -> bytes:
    """The report as a PDF; a draft's is marked “Draft” on every page."""
    from weasyprint import HTML

    html = report_pdf_html(report, draft=draft, language=language)
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_no_network()).write_pdf()


def report_language(report: Report) -> str:
    return report.response.language or settings.LANGUAGE_CODE


def report_pdf_store(report: Report) -> Report:
    """Make the submitted report's PDF and keep it as its record (once: a stored PDF is never
    replaced, so the checksum sent in the receipts stays true)."""
    if report.pdf:
        return report
    pdf = report_pdf_bytes(report, draft=False, language=report_language(report))
    report.pdf.save(f"code-report-{report.pk}.pdf", ContentFile(pdf), save=False)
    # Only the file's name is written: the status may have moved on (published) meanwhile.
    Report.objects.filter(pk=report.pk, pdf="").update(pdf=report.pdf.name)
    report.refresh_from_db(fields=["pdf"])
    return report


def pdf_sha256(report: Report) -> str:
    digest = hashlib.sha256()
    with report.pdf.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def report_receipts_send(report: Report) -> int:
    """Email the receipt to the submitter and the organisation's other members, each in their
    language, and tell the Secretariat. Returns how many receipts were queued."""
    checksum = pdf_sha256(report)
    people = [report.submitted_by] if report.submitted_by else []
    people += list(organisation_accounts(report.organisation))
    sent = _each_in_language(people, "codereports/email/receipt", report, {"sha256": checksum})
    secretariat = User.objects.filter(is_active=True, groups__name=SECRETARIAT).distinct().order_by("pk")
    _each_in_language(secretariat, "codereports/email/submitted", report, {"sha256": checksum})
    return sent


def _each_in_language(users, template: str, report: Report, extra: dict[str, Any]) -> int:
    sent = 0
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.email or not user.is_active:
            continue
        seen.add(user.pk)
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "report": report,
                "round": str(report.round),
                "country": str(countries.name(str(report.country))),
                "organisation": report.organisation.name,
                "submitted_by": _name(report.submitted_by),
                "report_url": settings.SITE_URL + reverse("codereports:report", args=[report.pk]),
                "pdf_url": settings.SITE_URL + reverse("codereports:report_pdf", args=[report.pk]),
                "site_url": settings.SITE_URL,
                **extra,
            }
        email_enqueue(to=[user.email], template=template, context=context, language=language)
        sent += 1
    return sent


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""
