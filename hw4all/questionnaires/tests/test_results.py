"""The public results page: only when the Secretariat makes it public, only submitted responses,
counts and charts for everyone, written answers only for anonymous questionnaires with enough
responses to hide anyone in; filters without JavaScript and in place with htmx."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from hw4all.questionnaires.models import Access, ResponseStatus

from .survey_data import ANSWERS, responses_add, survey_create

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def results_url(questionnaire) -> str:
    return reverse("questionnaires:results", kwargs={"slug": questionnaire.slug})


def page(client, questionnaire, **params):
    response = client.get(results_url(questionnaire), params)
    assert response.status_code == 200
    return response.content.decode()


def count_line(html: str) -> str:
    match = re.search(r'<p class="results__count">(.*?)</p>', html, re.S)
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@pytest.fixture
def public_survey():
    """An anonymous survey with public results: the four sample responses, then six more nurses."""
    questionnaire = survey_create(results_public=True)
    responses_add(questionnaire, ANSWERS)
    responses_add(
        questionnaire, [{"profession": "nurse", "role": f"Ward nurse {n}", "years": 4} for n in range(6)]
    )
    return questionnaire


@pytest.mark.permission("questionnaires:results", "public")
def test_results_are_not_found_unless_public(client):
    questionnaire = survey_create()
    responses_add(questionnaire, ANSWERS)
    assert client.get(results_url(questionnaire)).status_code == 404
    assert client.get(reverse("questionnaires:results", kwargs={"slug": "nothing"})).status_code == 404


def test_an_embedded_questionnaire_has_no_public_results_page(client):
    questionnaire = survey_create(results_public=True, access=Access.EMBEDDED)
    assert client.get(results_url(questionnaire)).status_code == 404


def test_public_results_count_submitted_responses_only(client, public_survey):
    responses_add(public_survey, [{"profession": "midwife"}] * 3, status=ResponseStatus.DRAFT)
    html = page(client, public_survey)
    assert count_line(html) == "10 responses"
    assert "Midwife: 0 (0.0%)" in html
    assert "Nurse: 8 (80.0%)" in html


def test_results_follow_new_responses(client, public_survey):
    assert count_line(page(client, public_survey)) == "10 responses"
    assert "Midwife: 0 (0.0%)" in page(client, public_survey)
    responses_add(public_survey, [{"profession": "midwife"}])
    html = page(client, public_survey)
    assert count_line(html) == "11 responses"
    assert "Midwife: 1 (9.1%)" in html


def test_charts_are_accessible_images_with_a_data_table(client, public_survey):
    html = page(client, public_survey)
    svg = re.search(r'<svg class="chart" id="chart-profession"[^>]*>', html).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-profession-title chart-profession-desc"' in svg
    assert '<title id="chart-profession-title">Profession</title>' in html
    assert "<caption>Profession</caption>" in html
    # A histogram for numbers, with the figures beside it.
    assert 'id="chart-years"' in html
    assert "Median" in html


def test_public_page_shows_no_files_no_dates_and_uses_no_script(client, public_survey):
    html = page(client, public_survey)
    assert "cv.pdf" not in html
    assert "Your CV" not in html
    assert "Started on" not in html
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert "<script" not in main


def test_written_answers_are_shown_escaped_with_enough_anonymous_responses(client, public_survey):
    html = page(client, public_survey)
    assert "Ward nurse 3" in html
    assert "Pharmacist" in html
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_small_group_shows_counts_but_no_written_answers(client, public_survey):
    html = page(client, public_survey, **{"f-sectors": "public"})
    assert count_line(html) == "2 responses match the filters."
    assert "Head nurse" not in html
    assert "I left in 2019." not in html
    assert "at least 5 responses match" in html
    assert "Nurse: 2 (100.0%)" in html


def test_too_few_responses_in_all_hide_written_answers(client):
    questionnaire = survey_create(results_public=True)
    responses_add(questionnaire, ANSWERS)
    html = page(client, questionnaire)
    assert "Head nurse" not in html and "Pharmacist" not in html
    assert "at least 5 responses match" in html


def test_identified_questionnaires_never_publish_written_answers(client):
    questionnaire = survey_create(results_public=True, access=Access.IDENTIFIED)
    responses_add(questionnaire, [{"role": "Director of nursing", "profession": "nurse"}] * 6)
    html = page(client, questionnaire)
    assert "Director of nursing" not in html
    assert "responses are not anonymous" in html
    assert "Nurse: 6 (100.0%)" in html


def test_filters_combine_and_are_kept_in_the_form(client, public_survey):
    html = page(client, public_survey, **{"f-profession": "nurse", "f-migrated": "yes"})
    assert count_line(html) == "2 responses match the filters."
    assert '<option value="nurse" selected>' in html
    assert '<option value="yes" selected>' in html
    assert "Clear the filters" in html


def test_a_filter_that_is_no_choice_is_ignored(client, public_survey):
    html = page(client, public_survey, **{"f-profession": "astronaut", "f-role": "x", "f-<b>": "1"})
    assert count_line(html) == "10 responses"


def test_the_filter_form_works_without_javascript_and_with_htmx(client, public_survey):
    html = page(client, public_survey)
    form = re.search(r'<form class="filters results-filters"[^>]*>', html, re.S).group(0)
    assert 'method="get"' in form and f'action="{results_url(public_survey)}"' in form
    assert 'hx-get="' in form and 'hx-target="#results"' in form
    assert '<label for="id_f-profession">Profession</label>' in html
    partial = client.get(results_url(public_survey), {"f-profession": "doctor"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body
    assert count_line(body).startswith("1 response ")
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


def test_results_speak_the_visitors_language(client, public_survey):
    with translation.override("fr"):
        address = results_url(public_survey)
    assert address.startswith("/fr/")
    html = client.get(address).content.decode()
    assert '<html lang="fr"' in html
    assert "Infirmier·ère" in html
    assert "Enquête sur les personnels de santé" in html
