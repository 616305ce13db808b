"""Exporting and erasing everything about one email address, across every app: one person has done
everything (signed, endorsed, registered, answered, written in the forum, submitted a resource and
a case study, holds an account with a second factor and a session, has an email waiting in the
queue) beside other people who have too. The export lists all of it; after the erasure no column
of any table holds the address or the name, the others' data is whole and the counts are what
docs/decisions/0013-personal-data.md says they are."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import Signature, SignatureStatus, SignerKind
from hw4all.campaigns.queries import campaign_counts_compute
from hw4all.campaigns.services import SignatureInput
from hw4all.coalition.factories import (
    MembershipApplicationFactory,
    OrganisationFactory,
    PersonFactory,
    user_in,
)
from hw4all.coalition.models import MembershipApplication, Person
from hw4all.core.email import email_send_task
from hw4all.core.personaldata import personal_data_erase, personal_data_export
from hw4all.events.factories import EventPageFactory, EventRegistrationFactory
from hw4all.events.models import EventRegistration, RegistrationStatus
from hw4all.forum.factories import SpaceFactory
from hw4all.forum.models import (
    Ballot,
    Comment,
    MembershipStatus,
    ModerationAction,
    Poll,
    Proposal,
    SpaceMembership,
    Thread,
)
from hw4all.forum.services import discussions, follows, moderation, polls, proposals, spaces
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Resource
from hw4all.library.services import resource_submit
from hw4all.practices import services as practices
from hw4all.practices.models import CaseStudy
from hw4all.questionnaires.models import Access, Response
from hw4all.questionnaires.services.responses import response_start
from hw4all.questionnaires.tests.fill_data import form_create
from hw4all.users.models import User
from hw4all.users.roles import MEMBER
from hw4all.users.services import user_create

ADDRESS = "zofia.quellbrandt@example.org"
FIRST, LAST = "Zofia", "Quellbrandt"
NAME = f"{FIRST} {LAST}"
PROPOSAL = {
    "title": "Bilateral agreements that train two nurses for each one recruited",
    "problem": "Kenya trains nurses who leave within two years.",
    "proposed": "Ask ministries to sign agreements.",
    "addressees": ["government"],
    "addressee_detail": "",
    "level": "global",
    "countries": ["KE"],
    "code_articles": [5],
    "case_studies": [],
    "resources": [],
}
CASE_FIELDS = {
    "summary": "Housing and career paths kept nurses in rural districts.",
    "countries": ["KE"],
    "levels": ["local"],
    "themes": ["retention"],
    "code_articles": [5],
    "context": "<p>Rural districts lost a third of their nurses.</p>",
    "practice": "<p>Staff housing and a rural allowance.</p>",
    "results": "<p>Vacancies fell from 30% to 12%.</p>",
}


@dataclass
class World:
    subject: User
    other: User
    moderator: User
    petition: object
    declaration: object
    other_proposal: Proposal
    subject_comment: Comment
    other_comment: Comment
    thread: Thread
    poll: Poll


def _sign(campaign, email, name, *, confirm=True, **fields):
    campaigns.signature_submit(
        campaign=campaign, data=SignatureInput(name=name, email=email, country="KE", public=True, **fields)
    )
    signature = Signature.objects.get(campaign=campaign, email_normalised=email.strip().lower())
    return campaigns.signature_confirm(signature=signature) if confirm else signature


@pytest.fixture
def world(home_page, events_index, settings, client) -> World:
    organisation = OrganisationFactory(name="Nurses of Kenya", country="KE", is_member=True)
    # The person, as others know them: an account with a second factor and a session.
    subject = user_create(email=ADDRESS, first_name=FIRST, last_name=LAST, roles=(MEMBER,))
    PersonFactory(user=subject, name=NAME, organisation=organisation, job_title="Nurse")
    Authenticator.objects.create(
        user=subject, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(subject)
    other = user_in(MEMBER, country="KE", email="amara.okafor@example.org")
    moderator = user_in(MEMBER, country="BE", email="moderator@example.org")

    # Campaigns: a confirmed signature typed in another case, a pending one, an endorsement.
    index = campaigns.campaigns_index_ensure(home=home_page)
    petition = campaigns.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")
    second = campaigns.campaign_create(index=index, title="Protect nurses", summary="Now.")
    declaration = campaigns.campaign_create(
        index=index, title="A declaration", summary="Organisations endorse.", kind="declaration"
    )
    _sign(petition, " Zofia.Quellbrandt@EXAMPLE.org ", NAME)
    _sign(petition, "amara.okafor@example.org", "Amara Okafor")
    _sign(petition, "kwame@example.org", "Kwame Mensah")
    _sign(second, ADDRESS, NAME, confirm=False)
    endorsement = _sign(
        declaration,
        ADDRESS,
        NAME,
        signer_kind=SignerKind.ORGANISATION,
        organisation_name="Nurses of Kenya",
        organisation_type="ngo",
    )
    campaigns.signature_set_verified(signature=endorsement, verified=True)

    # Events.
    event = EventPageFactory(parent=events_index)
    EventRegistrationFactory(event=event, name=NAME, email="ZOFIA.quellbrandt@example.org")
    EventRegistrationFactory(event=event, name="Amara Okafor", email="amara.okafor@example.org")

    # Questionnaires: an anonymous answer giving the address, and an organisation's response.
    survey = form_create()
    anonymous = response_start(questionnaire=survey)
    Response.objects.filter(pk=anonymous.pk).update(answers={"role": "Nurse", "contact": ADDRESS})
    identified = form_create(slug="members", access=Access.IDENTIFIED)
    response_start(questionnaire=identified, user=subject, organisation=organisation)
    response_start(questionnaire=survey)

    # The forum.
    space = SpaceFactory()
    for member in (subject, other):
        SpaceMembership.objects.create(
            space=space, user=member, status=MembershipStatus.ACTIVE, joined_at=timezone.now()
        )
    SpaceMembership.objects.create(
        space=space,
        user=moderator,
        status=MembershipStatus.ACTIVE,
        is_moderator=True,
        joined_at=timezone.now(),
    )
    thread = discussions.thread_create(
        space=space, author=subject, title="Rural allowances", body="Who pays them?"
    )
    follows.follow_set(user=subject, target=thread, following=True)
    other_comment = discussions.comment_create(author=other, body="The districts do.", thread=thread)
    subject_comment = discussions.comment_create(author=subject, body="Not in Kenya.", thread=thread)
    discussions.comment_edit(comment=subject_comment, user=subject, body="Not in Kenya, says the ministry.")
    own = proposals.proposal_create(space=space, user=subject, fields=PROPOSAL)
    proposals.proposal_open(proposal=own, user=subject)
    other_proposal = proposals.proposal_create(
        space=space, user=other, fields=PROPOSAL | {"title": "Fair pay"}
    )
    proposals.proposal_open(proposal=other_proposal, user=other)
    proposals.proposal_support(proposal=other_proposal, user=subject)
    poll = polls.poll_create(
        space=space,
        by=moderator,
        question="Meet in May?",
        is_secret=False,
        closes_at=timezone.now() + datetime.timedelta(days=3),
        options=["Yes", "No"],
    )
    polls.poll_vote(poll=poll, user=subject, choices=[poll.options.first().pk])
    moderation.report_create(reporter=subject, target=other_comment, reason="Off topic.")
    spaces.member_suspend(
        space=space,
        user=subject,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Cooling off.",
        by=moderator,
    )

    # A resource and a case study submitted.
    resource_submit(resource=ResourceFactory(title="Rural retention in Kenya"), user=subject)
    case = practices.case_create(user=subject, title="Staff housing in Turkana", **CASE_FIELDS)
    practices.case_submit(case=case, user=subject)

    # Coalition: an application the person was the contact for, still pending; another's.
    MembershipApplicationFactory(contact_name=NAME, contact_email="Zofia.Quellbrandt@example.org")
    MembershipApplicationFactory(contact_name="Amara Okafor", contact_email="amara.okafor@example.org")

    # Emails waiting in the database queue: one to the person, one to someone else.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email_send_task.enqueue(to=[ADDRESS], subject="Your signature", body="Please confirm.")
    email_send_task.enqueue(to=["kwame@example.org"], subject="Your signature", body="Please confirm.")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    return World(
        subject=subject,
        other=other,
        moderator=moderator,
        petition=petition,
        declaration=declaration,
        other_proposal=other_proposal,
        subject_comment=subject_comment,
        other_comment=other_comment,
        thread=thread,
        poll=poll,
    )


def _types(document: dict, key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in document["sections"][key]["records"]:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    return counts


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _tables() -> list[type[models.Model]]:
    """A model per table of the database: every app's, Django's and the libraries'."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _holding(needle: str) -> list[str]:
    """Every table and column whose text holds `needle`, case ignored."""
    found = []
    for model in _tables():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, TEXT_FIELDS)
                and model._base_manager.filter(**{f"{field.attname}__icontains": needle}).exists()
            ):
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_the_export_lists_everything_about_the_address(world):
    document = personal_data_export("  ZOFIA.Quellbrandt@Example.org ")

    assert document["address"] == ADDRESS
    assert _types(document, "campaigns") == {"Signature": 2, "Endorsement": 1}
    assert {record["status"] for record in document["sections"]["campaigns"]["records"]} == {
        SignatureStatus.CONFIRMED,
        SignatureStatus.PENDING,
    }
    assert _types(document, "events") == {"Event registration": 1}
    assert document["sections"]["events"]["records"][0]["name"] == NAME
    assert _types(document, "questionnaires") == {"Questionnaire response": 2}
    assert {"role": "Nurse", "contact": ADDRESS} in [
        record["answers"] for record in document["sections"]["questionnaires"]["records"]
    ]
    forum = _types(document, "forum")
    assert forum["Forum profile"] == 1
    assert forum["Space membership"] == 1
    assert forum["Discussion started"] == 1
    # The discussion's opening text is its first comment.
    assert forum["Comment"] == 2
    assert forum["Proposal (as an author)"] == 1
    assert forum["Support of a proposal"] == 1
    assert forum["Vote"] == 1
    assert forum["Open ballot"] == 1
    assert forum["Report to the moderators"] == 1
    assert forum["Following"] >= 1
    assert [r["text"] for r in document["sections"]["forum"]["records"] if r["type"] == "Comment"] == [
        "Who pays them?",
        "Not in Kenya, says the ministry.",
    ]
    assert _types(document, "library") == {"Library submission": 1}
    assert _types(document, "practices") == {"Case study": 1, "Case study revision": 1}
    assert _types(document, "coalition") == {
        "Entry in the directory of people": 1,
        "Membership application contact": 1,
    }
    assert _types(document, "users") == {
        "Account": 1,
        "Email address of the account": 1,
        "Second factor": 1,
        "Signed-in session": 1,
    }
    account = document["sections"]["users"]["records"][0]
    assert (account["first_name"], account["last_name"], account["roles"]) == (FIRST, LAST, [MEMBER])
    # The second factor's secret is never exported.
    assert "JBSWY3DPEHPK3PXP" not in json.dumps(document)
    assert _types(document, "tasks") == {"Queued task": 1}
    # Nothing about the others.
    assert "amara" not in json.dumps(document).lower()


def test_after_erasure_nothing_holds_the_address_or_the_name(world):
    assert _holding(ADDRESS) and _holding(LAST)  # the scan finds them while they are there
    petition_before = campaign_counts_compute(campaign_id=world.petition.pk).total
    declaration_before = campaign_counts_compute(campaign_id=world.declaration.pk).total

    erased = {key: count for key, _label, count in personal_data_erase(ADDRESS.upper())}

    assert all(erased[key] for key in ("campaigns", "events", "questionnaires", "forum", "users", "tasks"))
    assert _holding(ADDRESS) == []
    assert _holding("zofia.quellbrandt") == []
    assert _holding(LAST) == []
    assert not User.objects.filter(email__iexact=ADDRESS).exists()
    assert not Authenticator.objects.exists()

    # A petition's count is history: the confirmed signature still counts, anonymously.
    assert campaign_counts_compute(campaign_id=world.petition.pk).total == petition_before == 3
    # The organisation's endorsement stays on the declaration, without its contact.
    assert campaign_counts_compute(campaign_id=world.declaration.pk).total == declaration_before == 1
    assert Signature.objects.get(campaign=world.declaration).organisation_name == "Nurses of Kenya"
    # The others' signatures, registration, application and directory entry are whole.
    assert set(Signature.objects.filter(campaign=world.petition).values_list("name", flat=True)) == {
        "Amara Okafor",
        "Kwame Mensah",
    }
    assert EventRegistration.objects.get().email == "amara.okafor@example.org"
    assert MembershipApplication.objects.get().contact_name == "Amara Okafor"
    assert Person.objects.filter(user=world.other).exists()
    # The conversation stays readable: the person's comment is a former member's.
    world.subject_comment.refresh_from_db()
    assert world.subject_comment.author_id is None
    assert world.subject_comment.body == "Not in Kenya, says the ministry."
    assert Comment.objects.get(pk=world.other_comment.pk).author_id == world.other.pk
    assert Thread.objects.get(pk=world.thread.pk).created_by_id is None
    # Support is the person's and goes with its count; the open ballot stays counted, unnamed.
    assert Proposal.objects.get(pk=world.other_proposal.pk).support_count == 0
    assert Poll.objects.get(pk=world.poll.pk).ballot_count == 1
    assert Ballot.objects.get(poll=world.poll).voter_id is None
    assert ModerationAction.objects.filter(target_user=None, target_summary="Former member").exists()
    # Submissions stay, without their submitter.
    assert Resource.objects.get(title="Rural retention in Kenya").submitted_by_id is None
    assert CaseStudy.objects.get(title="Staff housing in Turkana").contact_email == ""
    # Only the other person's queued email remains; the organisation's response stays, unlinked.
    assert [row.args_kwargs["kwargs"]["to"] for row in DBTaskResult.objects.all()] == [["kwame@example.org"]]
    assert Response.objects.filter(organisation__isnull=False, user=None).count() == 1
    assert Response.objects.filter(organisation=None).count() == 1


def test_the_person_is_signed_out_everywhere(world, client):
    page = reverse("account_email")
    assert client.get(page).status_code == 200

    personal_data_erase(ADDRESS)

    assert client.get(page).status_code == 302


def test_erasing_twice_or_an_unknown_address_erases_nothing(world):
    personal_data_erase(ADDRESS)
    before = {model: model._base_manager.count() for model in _tables()}

    assert all(count == 0 for _key, _label, count in personal_data_erase(ADDRESS))
    assert all(count == 0 for _key, _label, count in personal_data_erase("nobody@example.org"))
    assert {model: model._base_manager.count() for model in _tables()} == before


def test_an_address_that_only_resembles_is_left_alone(world):
    """Case is ignored, but another mailbox is another person: a prefix, a plus-suffix or another
    domain is not the address."""
    for lookalike in ("ofia.quellbrandt@example.org", "zofia.quellbrandt+news@example.org"):
        assert all(count == 0 for _key, _label, count in personal_data_erase(lookalike)), lookalike
    assert User.objects.filter(email=ADDRESS).exists()


def test_the_command_exports_to_a_file_and_erases_only_when_confirmed(world, tmp_path, capsys):
    output = tmp_path / "export.json"
    call_command("personal_data", "export", " Zofia.Quellbrandt@Example.org", "--output", str(output))
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["sections"]["events"]["records"][0]["email"] == "ZOFIA.quellbrandt@example.org"

    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", ADDRESS)
    assert User.objects.filter(email=ADDRESS).exists()

    call_command("personal_data", "erase", ADDRESS, "--yes")
    assert "users: " in capsys.readouterr().out
    assert not User.objects.filter(email=ADDRESS).exists()

    call_command("personal_data", "erase", ADDRESS, "--yes")
    assert "nothing was erased" in capsys.readouterr().out


def test_the_command_refuses_what_is_not_an_address(db):
    with pytest.raises(CommandError, match="Not an email address"):
        call_command("personal_data", "erase", "robert'); DROP TABLE users_user;--", "--yes")


@pytest.mark.django_db
def test_a_reviewers_account_can_be_erased(home_page):
    """A reviewer's account is protected while it has assignments: erasing takes those first."""
    from hw4all.practices.models import ReviewAssignment

    reviewer = user_in("Reviewer", email="reviewer@example.org")
    author = user_in(MEMBER, country="KE")
    case = practices.case_create(user=author, title="A case", **CASE_FIELDS)
    ReviewAssignment.objects.create(case=case, reviewer=reviewer, round=1, deadline=timezone.localdate())

    personal_data_erase("Reviewer@Example.org")

    assert not User.objects.filter(pk=reviewer.pk).exists()
    assert CaseStudy.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_waiting_person_gets_the_place_an_erased_registration_held(events_index):
    event = EventPageFactory(parent=events_index, capacity=1, registration_open=True)
    EventRegistrationFactory(event=event, email=ADDRESS, status=RegistrationStatus.CONFIRMED)
    waiting = EventRegistrationFactory(
        event=event, email="waiting@example.org", status=RegistrationStatus.WAITING
    )

    personal_data_erase(ADDRESS)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_an_uncounted_signature_leaves_no_count(world):
    """A pending signature never counted; erasing it adds nothing to any campaign."""
    second = Signature.objects.get(status=SignatureStatus.PENDING).campaign_id
    personal_data_erase(ADDRESS)
    assert campaign_counts_compute(campaign_id=second).total == 0


@pytest.mark.django_db
def test_an_organisations_support_stays_the_organisations():
    """Support given for an organisation is recorded under a colleague's account after the
    erasure, so the organisation cannot support a second time and the count stays."""
    organisation = OrganisationFactory(is_member=True)
    subject = user_in(MEMBER, organisation=organisation, email=ADDRESS)
    colleague = user_in(MEMBER, organisation=organisation)
    author = user_in(MEMBER)
    space = SpaceFactory()
    for member in (subject, colleague, author):
        SpaceMembership.objects.create(
            space=space, user=member, status=MembershipStatus.ACTIVE, joined_at=timezone.now()
        )
    proposal = proposals.proposal_create(space=space, user=author, fields=PROPOSAL)
    proposals.proposal_open(proposal=proposal, user=author)
    assert proposals.proposal_support(proposal=proposal, user=subject, on_behalf_of_organisation=True)

    personal_data_erase(ADDRESS)

    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    assert not proposals.proposal_support(proposal=proposal, user=colleague, on_behalf_of_organisation=True)
