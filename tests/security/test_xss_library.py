"""A member's library submission (title, summary, authors, publisher, file label) written with the
OWASP vectors through the submission form, read by the Secretariat on the approval screen,
approved, then shown on the resource page, in the search results with their highlighted
snippets, in the member's list of submissions and in the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hw4all.library.factories import user_with_role
from hw4all.library.models import Resource
from hw4all.users.roles import MEMBER, SECRETARIAT

from .xss import SHORT, TYPEABLE, assert_json_html_inert, assert_pages_inert, packed

pytestmark = pytest.mark.django_db

SUBMIT = "/en/library/submit/"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def submission(*, title: str, summary: str, authors: str, short: str, number: int) -> dict:
    return {
        "title": title,
        "kind": "report",
        "summary": summary,
        "authors": authors,
        "publisher": short[:255],
        "year": "2014",
        "month": "",
        "day": "",
        "countries": ["RO"],
        "licence": "CC-BY-4.0",
        "doi": "",
        "isbn": "",
        "url": f"https://example.org/report-{number}",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-0-language": "en",
        "files-0-file": SimpleUploadedFile(
            f"report-{number}.txt", f"Report {number}: recruitment.\n".encode(), "application/octet-stream"
        ),
        "files-0-label": short[:100],
    }


def library_pages(capture, *, titles: list[str], summaries: list[str], authors: str, short: str, query: str):
    member = Client()
    member.force_login(user_with_role(MEMBER, email="member@example.org"))
    secretariat = Client()
    secretariat.force_login(user_with_role(SECRETARIAT, email="secretariat@example.org"))
    for number, (title, summary) in enumerate(zip(titles, summaries, strict=True)):
        response = member.post(
            SUBMIT, submission(title=title, summary=summary, authors=authors, short=short, number=number)
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    shown = {"submissions": member.get(SUBMIT).content.decode()}
    for number, resource in enumerate(Resource.objects.order_by("pk")):
        approve = f"/admin/snippets/library/resource/approve/{resource.pk}/"
        shown[f"approval {number}"] = secretariat.get(approve).content.decode()
        with capture(execute=True):
            assert secretariat.post(approve, {"note": short}).status_code == 302
    visitor = Client()
    for number, resource in enumerate(Resource.objects.order_by("pk")):
        shown[f"resource {number}"] = visitor.get(resource.get_absolute_url()).content.decode()
        response = visitor.get(f"/api/v1/library/resources/{resource.pk}")
        assert response.status_code == 200
        assert_json_html_inert(response.json(), "library API")
    shown["search"] = visitor.get("/en/library/", {"q": query.split()[0]}).content.decode()
    return shown


def test_submissions_are_shown_inert(django_capture_on_commit_callbacks):
    summaries = packed(TYPEABLE, 10_000)
    pages = assert_pages_inert(
        lambda **values: library_pages(django_capture_on_commit_callbacks, **values),
        titles=(packed(SHORT, 500, " ") * 2)[: len(summaries)],
        summaries=summaries,
        authors="\n".join(vector.replace(",", " ") for vector in SHORT),
        short=" ".join(SHORT),
        query="alert",
    )
    assert "<mark>" in pages["search"]
