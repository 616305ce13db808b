"""The apps' staff actions reach the audit log once each, through the screens staff use, with who
acted, on what, and from which address; the people acted upon are named by id only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import Signature, SignatureStatus
from hw4all.coalition import services as coalition
from hw4all.coalition.factories import MembershipApplicationFactory, OrganisationFactory, user_in
from hw4all.core.audit import AuditEntry
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Comment, SpaceKind, Thread
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Status
from hw4all.questionnaires.tests.survey_data import ANSWERS, responses_add, survey_create
from hw4all.users.roles import SECRETARIAT

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.20"


@pytest.fixture
def secretary():
    return user_in(SECRETARIAT, email="secretary@example.org")


@pytest.fixture
def staff(client, secretary):
    client.force_login(secretary)
    return client


def the_one(action: str) -> AuditEntry:
    [entry] = AuditEntry.objects.filter(action=action)
    return entry


def test_approving_a_library_resource(staff, secretary):
    member = user_in("Member", email="ana@example.org")
    resource = ResourceFactory(title="Nurses on the move", status=Status.SUBMITTED, submitted_by=member)
    before = AuditEntry.objects.count()
    response = staff.post(
        f"/admin/snippets/library/resource/approve/{resource.pk}/", {"note": "Thanks"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 1
    entry = the_one("library.resource_published")
    assert (entry.user, entry.user_email, entry.address) == (secretary, "secretary@example.org", ADDRESS)
    assert (entry.object_type, entry.object_id, entry.summary) == (
        "library.resource",
        str(resource.pk),
        "Nurses on the move",
    )


def test_deciding_a_membership_application(staff, secretary):
    application = MembershipApplicationFactory(organisation_name="Nurses Without Borders", contact_name="Ana")
    response = staff.post(
        f"/admin/snippets/coalition/membershipapplication/accept/{application.pk}/",
        {"note": ""},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    entry = the_one("coalition.application_accepted")
    assert (entry.user, entry.address, entry.summary) == (secretary, ADDRESS, "Nurses Without Borders")
    assert "Ana" not in entry.summary


def test_hiding_a_forum_comment_names_neither_author_nor_content(client):
    space = SpaceFactory(name="Global space", slug="global", kind=SpaceKind.GLOBAL, is_open=True)
    moderator = member_of(space, moderator=True)
    author = member_of(space)
    thread = Thread.objects.create(space=space, title="Rural retention", created_by=moderator)
    comment = Comment.objects.create(
        thread=thread, author=author, body="You are all idiots.", body_html="<p>You are all idiots.</p>"
    )
    client.force_login(moderator)
    response = client.post(
        reverse("forum:moderate", args=["comment", comment.pk, "hide"]),
        {"reason": "Personal attack"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    entry = the_one("forum.hide")
    assert (entry.user, entry.address, entry.object_type) == (moderator, ADDRESS, "forum.moderationaction")
    assert entry.summary == "hide: Global space"
    assert "idiots" not in entry.summary + entry.detail_text
    assert author.get_full_name() not in entry.summary


def test_exporting_a_questionnaires_responses(staff, secretary):
    questionnaire = survey_create()
    responses_add(questionnaire, ANSWERS)
    response = staff.get(
        reverse("questionnaires_admin:export", kwargs={"pk": questionnaire.pk, "fmt": "csv"}),
        {"f-profession": "nurse"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = the_one("questionnaires.export")
    assert (entry.user, entry.address, entry.object_id) == (secretary, ADDRESS, str(questionnaire.pk))
    assert entry.detail == {"format": "csv", "status": "submitted", "filters": {"profession": "nurse"}}


def test_exporting_signatures_keeps_what_was_searched_out_of_the_log(staff, secretary, home_page):
    index = campaigns.campaigns_index_ensure(home=home_page)
    campaign = campaigns.campaign_create(index=index, title="Come together", summary="x", kind="declaration")
    Signature.objects.create(
        campaign=campaign,
        name="Amina Diallo",
        email="amina@example.org",
        email_normalised="amina@example.org",
        country="KE",
        status=SignatureStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    response = staff.get(
        "/admin/campaigns/signatures/",
        {"export": "csv", "q": "amina", "status": "confirmed"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = the_one("campaigns.signatures_export")
    assert (entry.user, entry.address) == (secretary, ADDRESS)
    assert entry.detail == {"format": "csv", "filters": {"status": "confirmed"}, "searched": True}
    assert "amina" not in entry.detail_text.lower()


def test_revoking_an_api_token_is_recorded_once_from_wagtails_log(staff, secretary):
    token, _plaintext = coalition.api_token_issue(
        organisation=OrganisationFactory(name="Nurses' Union"),
        name="Petition form",
        scopes=["signatures"],
        by=None,
    )
    page = staff.get(f"/admin/api-tokens/revoke/{token.pk}/")
    before = AuditEntry.objects.count()
    response = staff.post(
        f"/admin/api-tokens/revoke/{token.pk}/",
        {"csrfmiddlewaretoken": str(page.context["csrf_token"])},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.user, entry.address) == ("wagtail.edit", secretary, ADDRESS)
    assert (entry.object_type, entry.object_id) == ("coalition.apitoken", str(token.pk))
