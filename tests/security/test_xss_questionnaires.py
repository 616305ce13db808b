"""A survey's written answers (short text, long text, "other" choices) typed with the OWASP
vectors into the survey form, shown back to the person filling it in, and shown in the public
results (the written answers of an anonymous survey with enough responses) and in the API."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.questionnaires.models import Response
from hw4all.questionnaires.rendering import flatten
from hw4all.questionnaires.services.responses import loaded_record, response_start
from hw4all.questionnaires.tests.survey_data import responses_add, survey_create

from .xss import SHORT, TYPEABLE, assert_json_html_inert, assert_pages_inert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def posted(response, **answers) -> dict:
    """The form as the page posts it, with `answers`."""
    data = {
        key: values if len(values) > 1 else values[0]
        for key, values in flatten(response.version.definition, response.answers).items()
    }
    data.update(loaded=json.dumps(loaded_record(response)), revision=str(response.revision), **answers)
    return {key: value for key, value in data.items() if value is not None}


def survey_pages(*, short: str, corpus: str) -> dict[str, str]:
    questionnaire = survey_create(results_public=True)
    response = response_start(questionnaire=questionnaire)
    page = reverse("questionnaires:response", kwargs={"slug": questionnaire.slug, "key": response.key})
    visitor = Client()
    saved = visitor.post(page, posted(response, role=short, story=corpus, profession="nurse"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Response.objects.get(pk=response.pk).answers["story"]
    shown = {"form": visitor.get(page).content.decode()}
    written = {"role": short, "story": corpus, "profession": "nurse", "sectors": ["public"]}
    responses_add(questionnaire, [written] * 9)
    results = reverse("questionnaires:results", kwargs={"slug": questionnaire.slug})
    shown["results"] = Client().get(results).content.decode()
    for url in (
        f"/api/v1/questionnaires/{questionnaire.slug}",
        f"/api/v1/questionnaires/{questionnaire.slug}/results",
    ):
        answer = Client().get(url)
        assert answer.status_code == 200, url
        assert_json_html_inert(answer.json(), url)
    return shown


def test_written_answers_are_shown_inert():
    assert_pages_inert(survey_pages, short=" ".join(SHORT)[:250], corpus="\n\n".join(TYPEABLE))
