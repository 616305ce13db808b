"""Every members' view × every role: anonymous, a member of the owning organisation, a member of
another member organisation, a member of a non-member organisation, the Secretariat and a
reviewer. A report that is not published is a 404 for whoever may not see it (its existence is
not revealed); the Secretariat sees it but neither writes nor submits it."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.codereports.models import CoSignature, Report, ReportStatus

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "other_member", "outsider", "secretary", "reviewer"]
LOGIN = "login"


def client_for(role: str, request) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def outcome(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


# (view, method, data, expected outcome by role) on a draft report.
ON_A_DRAFT = [
    ("report", "get", None, {"anonymous": 404, "member": 200, "other_member": 404, "outsider": 404, "secretary": 200, "reviewer": 404}),
    ("report_pdf", "get", None, {"anonymous": 404, "member": 200, "other_member": 404, "outsider": 404, "secretary": 200, "reviewer": 404}),
    ("report_edit", "get", None, {"anonymous": LOGIN, "member": 200, "other_member": 404, "outsider": 404, "secretary": 403, "reviewer": 404}),
    ("report_edit", "post", {"org_type": "union", "revision": "0"}, {"anonymous": LOGIN, "member": 302, "other_member": 404, "outsider": 404, "secretary": 403, "reviewer": 404}),
    ("report_autosave", "post", {"org_type": "union", "revision": "0"}, {"anonymous": LOGIN, "member": 200, "other_member": 404, "outsider": 404, "secretary": 403, "reviewer": 404}),
    ("report_status", "post", {"action": "to_review"}, {"anonymous": LOGIN, "member": 302, "other_member": 404, "outsider": 404, "secretary": 403, "reviewer": 404}),
    ("report_cosign", "post", {"action": "sign"}, {"anonymous": LOGIN, "member": 302, "other_member": 404, "outsider": 404, "secretary": 302, "reviewer": 404}),
]  # fmt: skip


@pytest.mark.permission("codereports:report", "object")
@pytest.mark.permission("codereports:report_autosave", "object")
@pytest.mark.permission("codereports:report_cosign", "object")
@pytest.mark.permission("codereports:report_edit", "object")
@pytest.mark.permission("codereports:report_pdf", "object")
@pytest.mark.permission("codereports:report_status", "object")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("view", "method", "data", "expected"), ON_A_DRAFT, ids=lambda value: str(value)[:20]
)
def test_views_on_a_draft(draft, role, view, method, data, expected, request):
    client = client_for(role, request)
    url = reverse(f"codereports:{view}", args=[draft.pk])
    response = client.get(url) if method == "get" else client.post(url, data)
    assert outcome(response) == expected[role]
    draft.refresh_from_db()
    changed = draft.status != ReportStatus.DRAFT or draft.response.answers
    assert bool(changed) == (role == "member" and method == "post" and view != "report_cosign")


# On a published report: everyone reads it; members of other member organisations co-sign it.
ON_A_PUBLISHED = [
    ("report", "get", None, {"anonymous": 200, "member": 200, "other_member": 200, "outsider": 200, "secretary": 200, "reviewer": 200}),
    ("report_pdf", "get", None, {"anonymous": 200, "member": 200, "other_member": 200, "outsider": 200, "secretary": 200, "reviewer": 200}),
    ("report_edit", "get", None, {"anonymous": LOGIN, "member": 302, "other_member": 403, "outsider": 403, "secretary": 403, "reviewer": 403}),
    ("report_autosave", "post", {"org_type": "union", "revision": "9"}, {"anonymous": LOGIN, "member": 403, "other_member": 403, "outsider": 403, "secretary": 403, "reviewer": 403}),
    ("report_status", "post", {"action": "unpublish"}, {"anonymous": LOGIN, "member": 302, "other_member": 403, "outsider": 403, "secretary": 403, "reviewer": 403}),
    ("report_cosign", "post", {"action": "sign"}, {"anonymous": LOGIN, "member": 302, "other_member": 302, "outsider": 403, "secretary": 403, "reviewer": 403}),
]  # fmt: skip


@pytest.mark.permission("codereports:report", "public")
@pytest.mark.permission("codereports:report_autosave", "role")
@pytest.mark.permission("codereports:report_cosign", "role")
@pytest.mark.permission("codereports:report_edit", "role")
@pytest.mark.permission("codereports:report_pdf", "public")
@pytest.mark.permission("codereports:report_status", "role")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("view", "method", "data", "expected"), ON_A_PUBLISHED, ids=lambda value: str(value)[:20]
)
def test_views_on_a_published_report(published, role, view, method, data, expected, request):
    client = client_for(role, request)
    url = reverse(f"codereports:{view}", args=[published.pk])
    response = client.get(url) if method == "get" else client.post(url, data)
    assert outcome(response) == expected[role]
    published.refresh_from_db()
    assert published.response.answers["org_type"] == "ngo"
    if view == "report_status":
        assert published.status == (ReportStatus.SUBMITTED if role == "member" else ReportStatus.PUBLISHED)
    if view == "report_cosign":
        signers = set(CoSignature.objects.filter(report=published).values_list("signed_by__email", flat=True))
        assert signers == ({"kofi@example.org"} if role == "other_member" else set())


@pytest.mark.permission("codereports:report_create", "role")
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("member", 302), ("other_member", 302), ("outsider", 403), ("secretary", 403), ("reviewer", 403)],
)  # fmt: skip
def test_who_starts_a_report(round, role, expected, request):
    client = client_for(role, request)
    response = client.post(reverse("codereports:report_create", args=[round.number]), {"country": "KE"})
    assert outcome(response) == expected
    assert Report.objects.count() == (1 if expected == 302 else 0)


@pytest.mark.permission("codereports:mine", "authenticated")
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("member", 200), ("other_member", 200), ("outsider", 200), ("secretary", 200), ("reviewer", 200)],
)  # fmt: skip
def test_who_opens_the_list(draft, role, expected, request):
    response = client_for(role, request).get(reverse("codereports:mine"))
    assert outcome(response) == expected
    if expected == 200:
        assert ("Kenya" in response.text and "Write" in response.text) == (role == "member")
        assert "no-cache" in response["Cache-Control"]


def test_members_of_non_member_organisations_are_told_how_to_join(outsider, round, client):
    client.force_login(outsider)
    response = client.get(reverse("codereports:mine"))
    assert "Not Yet Members is not a member of the coalition yet" in response.text
    assert reverse("coalition:application_create") in response.text
    assert "Start the report" not in response.text


def test_private_pages_are_never_cached(draft, member, client):
    client.force_login(member)
    for name in ("report", "report_edit", "report_pdf"):
        response = client.get(reverse(f"codereports:{name}", args=[draft.pk]))
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"], name


def test_an_unknown_report_is_a_404(member, client):
    client.force_login(member)
    assert client.get(reverse("codereports:report", args=[999999])).status_code == 404


def test_an_unknown_status_action_is_refused(draft, member, client):
    client.force_login(member)
    response = client.post(reverse("codereports:report_status", args=[draft.pk]), {"action": "delete"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_a_submission_cannot_skip_review(draft, member, client):
    client.force_login(member)
    response = client.post(
        reverse("codereports:report_status", args=[draft.pk]), {"action": "submit"}, follow=True
    )
    assert "Only a report in internal review can be submitted" in response.text
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_posts_need_the_csrf_token(draft, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    for name, data in (
        ("report_status", {"action": "to_review"}),
        ("report_edit", {"org_type": "union", "revision": "0"}),
        ("report_autosave", {"org_type": "union", "revision": "0"}),
        ("report_cosign", {"action": "sign"}),
    ):
        response = client.post(reverse(f"codereports:{name}", args=[draft.pk]), data)
        assert response.status_code == 403, name
    response = client.post(reverse("codereports:report_create", args=[draft.round.number]), {"country": "GH"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.response.answers == {}
    assert Report.objects.count() == 1


@pytest.mark.permission("codereports:report_file", "object")
def test_a_file_of_another_report_is_not_served_through_this_one(draft, other_member, round, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hw4all.codereports.services import reports as services

    theirs = services.report_create(round=round, country="GH", user=other_member)
    services.report_save(
        report=theirs,
        data={"revision": "0"},
        files={
            "evidence": SimpleUploadedFile(
                "proof.pdf", b"%PDF-1.4\n%secret\n", content_type="application/pdf"
            )
        },
        base_revision=0,
        user=other_member,
    )
    file_id = theirs.response.files.get().pk
    client.force_login(other_member)
    own = client.get(reverse("codereports:report_file", kwargs={"pk": theirs.pk, "file_id": file_id}))
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")
    assert own["X-Content-Type-Options"] == "nosniff"
    client.force_login(draft.created_by)
    crossed = client.get(reverse("codereports:report_file", kwargs={"pk": draft.pk, "file_id": file_id}))
    assert crossed.status_code == 404
