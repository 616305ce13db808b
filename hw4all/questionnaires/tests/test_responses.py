"""Starting, saving and submitting responses: merging two editors answer by answer, freezing on
submit, closed questionnaires, one response per organisation."""

import json
import threading

import pytest
from django.db import connection
from django.http import QueryDict

from hw4all.coalition.factories import OrganisationFactory
from hw4all.questionnaires.models import Access, QuestionnaireStatus, Response, ResponseStatus
from hw4all.questionnaires.rendering import flatten
from hw4all.questionnaires.services.responses import (
    ResponseClosed,
    ResponseFrozen,
    loaded_record,
    response_check,
    response_save,
    response_start,
    response_submit,
)
from hw4all.questionnaires.tests.fill_data import form_create


def form_post(response: Response, **changes) -> QueryDict:
    """What the page shows for `response` (as loaded now), with `changes` typed in."""
    data = QueryDict(mutable=True)
    for key, values in flatten(response.version.definition, response.answers).items():
        data.setlist(key, values)
    data["loaded"] = json.dumps(loaded_record(response))
    data["revision"] = str(response.revision)
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def save(response, data, base=None):
    return response_save(
        response=response, data=data, files={}, base_revision=int(data["revision"]) if base is None else base
    )


@pytest.fixture
def questionnaire(db):
    return form_create()


@pytest.fixture
def response(questionnaire):
    return response_start(questionnaire=questionnaire)


def test_a_draft_saves_what_is_typed_and_counts_revisions(response):
    result = save(response, form_post(response, role="Nurse", migrated="no"))
    assert result.ok
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers == {"role": "Nurse", "migrated": "no"}
    assert stored.revision == 1
    assert stored.answer_revisions == {"role": 1, "migrated": 1}
    # Saving the same again changes nothing.
    assert save(stored, form_post(stored)).ok
    assert Response.objects.get(pk=response.pk).revision == 1


def test_two_editors_changing_different_answers_both_keep_theirs(response):
    save(response, form_post(response, role="Nurse", migrated="no"))
    base = Response.objects.get(pk=response.pk)
    alice_page = form_post(base, role="Head nurse")
    bob_page = form_post(base, story="Moved to Leeds", migrated="yes", destination="GB")
    assert save(base, alice_page).ok
    result = save(Response.objects.get(pk=response.pk), bob_page)
    assert result.ok
    assert Response.objects.get(pk=response.pk).answers == {
        "role": "Head nurse",
        "story": "Moved to Leeds",
        "migrated": "yes",
        "destination": "GB",
    }


def test_two_editors_changing_the_same_answer_get_a_conflict_with_both_values(response):
    save(response, form_post(response, role="Nurse"))
    base = Response.objects.get(pk=response.pk)
    alice_page = form_post(base, role="Head nurse")
    bob_page = form_post(base, role="Midwife", story="Bob's story")
    save(base, alice_page)
    result = save(Response.objects.get(pk=response.pk), bob_page)
    assert [(c.path, c.label, c.theirs, c.yours) for c in result.conflicts] == [
        ("role", "Your role", "Head nurse", "Midwife")
    ]
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["role"] == "Head nurse"  # theirs kept
    assert stored.answers["story"] == "Bob's story"  # the rest of Bob's save went through


def test_an_answer_someone_else_emptied_is_not_brought_back(response):
    save(response, form_post(response, role="Nurse", story="Old story"))
    base = Response.objects.get(pk=response.pk)
    alice_page = form_post(base, story=None)
    bob_page = form_post(base, role="Midwife")
    save(base, alice_page)
    save(Response.objects.get(pk=response.pk), bob_page)
    assert Response.objects.get(pk=response.pk).answers == {"role": "Midwife"}


def test_autosave_record_lets_the_same_page_save_again_without_conflicting_with_itself(response):
    page = form_post(response, role="Nurse")
    first = save(response, page)
    # The page merges what the save stored into its record, as questionnaires.js does.
    loaded = json.loads(page["loaded"])
    loaded.update(first.applied)
    page["loaded"], page["revision"] = json.dumps(loaded), str(first.response.revision)
    page["role"] = "Head nurse"
    second = save(Response.objects.get(pk=response.pk), page)
    assert second.ok and Response.objects.get(pk=response.pk).answers["role"] == "Head nurse"


def test_hidden_answers_do_not_linger_after_a_save(response):
    save(response, form_post(response, migrated="yes", destination="GB"))
    stored = Response.objects.get(pk=response.pk)
    save(stored, form_post(stored, migrated="no"))
    assert "destination" not in Response.objects.get(pk=response.pk).answers


def test_malformed_answers_are_errors_and_leave_the_stored_answer(response):
    save(response, form_post(response, years="12"))
    stored = Response.objects.get(pk=response.pk)
    result = save(stored, form_post(stored, years="lots", role="Nurse"))
    assert result.errors == {"years": ["Enter a number"]}
    assert Response.objects.get(pk=response.pk).answers == {"years": 12, "role": "Nurse"}


def test_a_choice_outside_the_filter_is_refused_on_a_draft(response):
    result = save(response, form_post(response, region="eur", city="nairobi"))
    assert "city" in result.errors
    assert "city" not in Response.objects.get(pk=response.pk).answers


def test_adding_and_removing_blocks(response):
    save(response, form_post(response, add_block="agreements"))
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["agreements"] == [{}]
    save(stored, form_post(stored, **{"agreements.0.partner": "KE", "add_block": "agreements"}))
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["agreements"] == [{"partner": "KE"}, {}]
    save(stored, form_post(stored, **{"agreements.1.partner": "GB", "remove_block": "agreements.0"}))
    assert Response.objects.get(pk=response.pk).answers["agreements"] == [{"partner": "GB"}]


def test_submit_lists_every_error_and_does_not_freeze(response):
    result = response_submit(response=response, data=form_post(response, migrated="yes", years="x"))
    assert set(result.errors) == {"role", "destination", "years"}
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT
    assert response_check(Response.objects.get(pk=response.pk)) == {
        "role": ["Answer this question."],
        "destination": ["Choose an option."],
    }


def test_a_submitted_response_is_frozen(response):
    result = response_submit(response=response, data=form_post(response, role="Nurse", migrated="no"))
    assert result.ok
    stored = Response.objects.get(pk=response.pk)
    assert stored.status == ResponseStatus.SUBMITTED and stored.submitted_at is not None
    with pytest.raises(ResponseFrozen):
        save(stored, form_post(stored, role="Changed"))
    with pytest.raises(ResponseFrozen):
        response_submit(response=stored)
    assert Response.objects.get(pk=response.pk).answers["role"] == "Nurse"


def test_a_closed_questionnaire_refuses_new_responses_and_anonymous_saves(questionnaire, response):
    questionnaire.status = QuestionnaireStatus.CLOSED
    questionnaire.save()
    with pytest.raises(ResponseClosed):
        response_start(questionnaire=questionnaire)
    with pytest.raises(ResponseClosed):
        save(response, form_post(response, role="Nurse"))


def test_embedded_questionnaires_are_governed_by_the_using_app(db):
    questionnaire = form_create(slug="embedded", access=Access.EMBEDDED, status=QuestionnaireStatus.CLOSED)
    organisation = OrganisationFactory()
    response = response_start(questionnaire=questionnaire, organisation=organisation)
    assert save(response, form_post(response, role="Nurse")).ok
    assert response.organisation == organisation


def test_anonymous_responses_keep_no_user_and_no_organisation(questionnaire):
    from hw4all.coalition.factories import user_in
    from hw4all.users.roles import MEMBER

    user = user_in(MEMBER)
    response = response_start(questionnaire=questionnaire, user=user, organisation=OrganisationFactory())
    data = form_post(response, role="Nurse")
    assert response_save(
        response=response, data=data, files={}, base_revision=int(data["revision"]), user=user
    ).ok
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["role"] == "Nurse"
    assert stored.user_id is None and stored.organisation_id is None and stored.updated_by_id is None


def test_identified_questionnaires_keep_one_response_per_organisation(db):
    questionnaire = form_create(slug="members", access=Access.IDENTIFIED)
    organisation = OrganisationFactory(is_member=True)
    first = response_start(questionnaire=questionnaire, organisation=organisation)
    again = response_start(questionnaire=questionnaire, organisation=organisation)
    other = response_start(questionnaire=questionnaire, organisation=OrganisationFactory(is_member=True))
    assert first.pk == again.pk != other.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_starts_at_once_make_one_response_per_organisation():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.fail("this test needs a database file shared by threads")
    questionnaire = form_create(slug="members-at-once", access=Access.IDENTIFIED)
    organisation = OrganisationFactory(is_member=True)
    barrier = threading.Barrier(4)
    made, failures = [], []

    def start():
        try:
            barrier.wait()
            made.append(response_start(questionnaire=questionnaire, organisation=organisation).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(made)) == 1
    assert Response.objects.filter(questionnaire=questionnaire).count() == 1
