"""Invitations: each link shown once (only its hash kept), used by one invitee to answer once."""

import hashlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from hw4all.coalition.factories import user_in
from hw4all.questionnaires.models import Access, Invitation, QuestionnaireStatus, Response
from hw4all.questionnaires.services.invitations import (
    InvitationInvalid,
    InvitationUsed,
    invitation_use,
    invitations_create,
)
from hw4all.questionnaires.tests.fill_data import form_create
from hw4all.questionnaires.tests.test_fill_views import page_data, url
from hw4all.users.roles import SECRETARIAT


@pytest.fixture
def questionnaire(db):
    return form_create(slug="invited", access=Access.INVITATION)


def link(questionnaire, token):
    return reverse("questionnaires:invitation", args=[questionnaire.slug, token])


def test_only_the_hash_of_each_token_is_stored(questionnaire):
    made = invitations_create(
        questionnaire=questionnaire, labels=["Ministry", "Union"], user=user_in(SECRETARIAT)
    )
    assert [invitation.label for invitation, _token in made] == ["Ministry", "Union"]
    for invitation, token in made:
        stored = Invitation.objects.get(pk=invitation.pk)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_the_invitee_resumes_the_same_draft_then_the_link_is_used(questionnaire):
    [(invitation, token)] = invitations_create(questionnaire=questionnaire, labels=["Ministry"], user=None)
    client = Client()
    first = client.get(link(questionnaire, token))
    response = Response.objects.get()
    assert first.status_code == 302 and first["Location"] == url("response", response)
    assert Client().get(link(questionnaire, token))["Location"] == url("response", response)  # another device
    invitation.refresh_from_db()
    assert invitation.response == response and invitation.used_at is not None
    client.post(url("response", response), page_data(response, role="Nurse", migrated="no", submit="1"))
    used = Client().get(link(questionnaire, token))
    assert used.status_code == 410 and "already used" in used.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.permission("questionnaires:invitation", "object")
def test_a_wrong_token_is_refused(questionnaire):
    invitations_create(questionnaire=questionnaire, labels=["Ministry"], user=None)
    reply = Client().get(link(questionnaire, "not-a-token"))
    assert reply.status_code == 404 and "not valid" in reply.content.decode()
    with pytest.raises(InvitationInvalid):
        invitation_use(questionnaire=questionnaire, token="not-a-token")
    assert not Response.objects.exists()


@pytest.mark.permission("questionnaires:invitation", "object")
def test_a_token_of_another_questionnaire_is_refused(questionnaire):
    other = form_create(slug="other", access=Access.INVITATION)
    [(_invitation, token)] = invitations_create(questionnaire=other, labels=[""], user=None)
    assert Client().get(link(questionnaire, token)).status_code == 404


def test_a_closed_questionnaire_refuses_its_invitations(questionnaire):
    [(_invitation, token)] = invitations_create(questionnaire=questionnaire, labels=[""], user=None)
    questionnaire.status = QuestionnaireStatus.CLOSED
    questionnaire.save()
    assert Client().get(link(questionnaire, token)).status_code == 409


def test_the_invitation_link_is_only_for_invitation_questionnaires(db):
    public = form_create(slug="public")
    [(_invitation, token)] = invitations_create(questionnaire=public, labels=[""], user=None)
    assert Client().get(link(public, token)).status_code == 404


def test_after_submission_the_service_says_already_used(questionnaire):
    from hw4all.questionnaires.services.responses import response_submit

    [(_invitation, token)] = invitations_create(questionnaire=questionnaire, labels=[""], user=None)
    response = invitation_use(questionnaire=questionnaire, token=token)
    response_submit(response=response, data=page_data(response, role="Nurse", migrated="no"))
    with pytest.raises(InvitationUsed):
        invitation_use(questionnaire=questionnaire, token=token)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_uses_at_once_make_one_response():
    questionnaire = form_create(slug="invited-at-once", access=Access.INVITATION)
    [(_invitation, token)] = invitations_create(questionnaire=questionnaire, labels=[""], user=None)
    barrier = threading.Barrier(4)
    made, failures = [], []

    def use():
        try:
            barrier.wait()
            made.append(invitation_use(questionnaire=questionnaire, token=token).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(made)) == 1 and Response.objects.filter(questionnaire=questionnaire).count() == 1
