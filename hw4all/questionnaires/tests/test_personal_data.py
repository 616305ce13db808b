"""What questionnaires give and erase for one address: an organisation's response keeps its
answers but loses the ones holding the address; an invitation labelled with it loses its label;
a longer address that merely contains it is another person's."""

from hw4all.coalition.factories import OrganisationFactory
from hw4all.core.personaldata import personal_data_erase, personal_data_export
from hw4all.questionnaires.models import Access, Invitation, Response
from hw4all.questionnaires.services.responses import response_start
from hw4all.questionnaires.tests.fill_data import form_create

ADDRESS = "zofia@example.org"


def test_an_organisations_answers_lose_only_the_address(db):
    questionnaire = form_create(access=Access.IDENTIFIED)
    response = response_start(questionnaire=questionnaire, organisation=OrganisationFactory())
    answers = {"role": "Nurse", "contact": "Write to Zofia@Example.org.", "other": "ann.zofia@example.org"}
    Response.objects.filter(pk=response.pk).update(answers=answers)
    mine = Invitation.objects.create(questionnaire=questionnaire, token_hash="a" * 64, label=f"For {ADDRESS}")
    theirs = Invitation.objects.create(
        questionnaire=questionnaire, token_hash="b" * 64, label="For xzofia@example.org"
    )

    records = personal_data_export(ADDRESS.upper())["sections"]["questionnaires"]["records"]
    assert [record["type"] for record in records] == ["Questionnaire response", "Questionnaire invitation"]

    personal_data_erase(ADDRESS)

    response.refresh_from_db()
    assert response.answers == {"role": "Nurse", "contact": "", "other": "ann.zofia@example.org"}
    assert Invitation.objects.get(pk=mine.pk).label == ""
    assert Invitation.objects.get(pk=theirs.pk).label == "For xzofia@example.org"
