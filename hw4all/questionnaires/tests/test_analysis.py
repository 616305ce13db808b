"""The per-question summaries (exact counts for every type) and the filtering of responses by
their choices, in the database."""

import pytest
from django.utils import translation

from hw4all.questionnaires.analysis import (
    TEXT_LISTED,
    filter_fields,
    filter_responses,
    question_summaries,
)
from hw4all.questionnaires.models import Response

from .survey_data import ANSWERS, responses_add, survey_create, survey_definition


def _summaries(answers=ANSWERS, language="en"):
    with translation.override(language):
        summaries = question_summaries(survey_definition(), answers, language=language)
    return {summary.name: summary for summary in summaries}


def _counts(summary):
    return {count.name: (count.count, count.percent, count.percent_of_all) for count in summary.counts}


def test_every_question_but_notes_is_summarised_in_reading_order():
    summaries = question_summaries(survey_definition(), ANSWERS, language="en")
    assert [s.name for s in summaries] == [
        "role",
        "story",
        "profession",
        "sectors",
        "migrated",
        "country",
        "countries",
        "years",
        "salary",
        "started",
        "satisfaction",
        "cv",
        "agreements",
    ]
    assert all(s.total == 4 for s in summaries)


def test_single_choice_counts_percentages_and_other_texts():
    profession = _summaries()["profession"]
    assert profession.answered == 4
    assert _counts(profession) == {
        "nurse": (2, 50.0, 50.0),
        "doctor": (1, 25.0, 25.0),
        "midwife": (0, 0.0, 0.0),
        "other": (1, 25.0, 25.0),
    }
    assert [c.label for c in profession.counts] == ["Nurse", "Doctor", "Midwife", "Other"]
    assert profession.others == ["Pharmacist"]


def test_labels_follow_the_language():
    profession = _summaries(language="fr")["profession"]
    assert [c.label for c in profession.counts][:3] == ["Infirmier·ère", "Médecin", "Sage-femme"]


def test_multiple_choice_percentages_are_of_those_who_answered_and_of_all():
    sectors = _summaries()["sectors"]
    assert sectors.answered == 3
    assert _counts(sectors) == {
        "public": (2, 66.7, 50.0),
        "private": (1, 33.3, 25.0),
        "ngo": (1, 33.3, 25.0),
        "other": (1, 33.3, 25.0),
    }
    assert sectors.others == ["Faith-based"]


def test_yes_no_counts_the_three_answers():
    migrated = _summaries()["migrated"]
    assert _counts(migrated) == {
        "yes": (2, 50.0, 50.0),
        "no": (1, 25.0, 25.0),
        "dont_know": (1, 25.0, 25.0),
    }
    assert [c.label for c in migrated.counts] == ["Yes", "No", "Don't know"]


def test_countries_are_counted_by_code_with_their_names_most_frequent_first():
    summaries = _summaries()
    assert _counts(summaries["country"]) == {"KE": (2, 66.7, 50.0), "GB": (1, 33.3, 25.0)}
    assert [c.label for c in summaries["country"].counts] == ["Kenya", "United Kingdom"]
    assert _counts(summaries["countries"]) == {"GB": (2, 100.0, 50.0), "KE": (1, 50.0, 25.0)}


def test_matrix_counts_each_row():
    satisfaction = _summaries()["satisfaction"]
    assert satisfaction.answered == 3
    pay, hours = satisfaction.rows
    assert (pay.label, pay.answered) == ("Pay", 3)
    assert _counts(pay) == {"low": (2, 66.7, 50.0), "high": (1, 33.3, 25.0)}
    assert (hours.label, hours.answered) == ("Hours", 2)
    assert _counts(hours) == {"low": (1, 50.0, 25.0), "high": (1, 50.0, 25.0)}


def test_numbers_have_their_distribution():
    summaries = _summaries()
    years = summaries["years"]
    assert years.answered == 3
    assert years.unit == "years"
    stats = years.stats
    assert (stats.count, stats.minimum, stats.maximum, stats.median) == (3, 3, 12, 7)
    assert stats.mean == pytest.approx(22 / 3)
    assert (stats.q1, stats.q3) == (5, 9.5)
    assert sum(b.count for b in years.histogram) == 3
    assert years.histogram[0].low == 3
    salary = summaries["salary"]
    assert (salary.stats.minimum, salary.stats.maximum, salary.stats.mean) == (850.5, 2400, 1625.25)
    assert [b.count for b in salary.histogram] == [1, 1]


def test_a_histogram_of_whole_numbers_has_whole_bounds_and_holds_every_answer():
    answers = [{"years": n} for n in [0, 1, 1, 2, 5, 9, 10, 10, 40]]
    years = _summaries(answers)["years"]
    assert all(float(b.low).is_integer() and float(b.high).is_integer() for b in years.histogram)
    assert sum(b.count for b in years.histogram) == 9
    assert years.histogram[0].low == 0 and years.histogram[-1].high >= 40


def test_one_number_alone_makes_one_bin():
    years = _summaries([{"years": 4}])["years"]
    assert (years.stats.q1, years.stats.median, years.stats.q3) == (4, 4, 4)
    assert [(b.low, b.high, b.count) for b in years.histogram] == [(4, 4, 1)]


def test_dates_give_their_range_and_years():
    started = _summaries()["started"]
    assert (started.first_date, started.last_date) == ("2012-03-01", "2021-09-15")
    assert started.years == [(2012, 1), (2021, 2)]


def test_text_answers_are_listed_up_to_a_limit_with_their_total():
    summaries = _summaries()
    assert summaries["role"].texts == ["Head nurse", '=HYPERLINK("http://evil")', "<script>alert(1)</script>"]
    assert summaries["story"].answered == 1
    many = _summaries([{"role": f"role {n}"} for n in range(TEXT_LISTED + 5)])["role"]
    assert (len(many.texts), many.answered) == (TEXT_LISTED, TEXT_LISTED + 5)


def test_files_are_counted():
    assert _summaries()["cv"].answered == 1


def test_a_repeat_counts_its_blocks_and_summarises_its_questions_across_them():
    agreements = _summaries()["agreements"]
    assert (agreements.answered, agreements.blocks) == (2, 3)
    inner = {s.name: s for s in agreements.inner}
    assert inner["partner"].total == 3
    assert _counts(inner["partner"]) == {"GB": (2, 66.7, 66.7), "DE": (1, 33.3, 33.3)}
    assert (inner["signed"].stats.minimum, inner["signed"].stats.maximum) == (2015, 2020)
    assert inner["agreement_note"].texts == ["Nurses"]


def test_answers_that_no_longer_fit_are_counted_apart_or_left_out():
    answers = [
        {
            "profession": "pharmacist",
            "years": "many",
            "started": "soon",
            "satisfaction": "bad",
            "sectors": "public",
        },
        {"profession": "nurse", "years": 2},
    ]
    summaries = _summaries(answers)
    assert _counts(summaries["profession"])["pharmacist"] == (1, 50.0, 50.0)
    assert summaries["years"].answered == 1
    assert summaries["started"].answered == 0
    assert summaries["satisfaction"].answered == 0
    assert _counts(summaries["sectors"])["public"] == (1, 100.0, 50.0)


def test_no_responses_summarise_to_zeroes():
    summaries = _summaries([])
    assert summaries["profession"].total == 0
    assert all(c.percent == 0 for c in summaries["profession"].counts)
    assert summaries["years"].stats is None
    assert summaries["years"].histogram == []


# Filters in the database.


@pytest.fixture
def responses(db):
    questionnaire = survey_create()
    responses_add(questionnaire, ANSWERS)
    return questionnaire


def _filtered(questionnaire, filters):
    definition = questionnaire.current_version.definition
    rows = filter_responses(Response.objects.filter(questionnaire=questionnaire), definition, filters)
    return sorted(r.answers.get("role", "") for r in rows)


def test_filter_by_a_single_choice(responses):
    assert _filtered(responses, {"profession": "nurse"}) == ["<script>alert(1)</script>", "Head nurse"]
    assert _filtered(responses, {"profession": "midwife"}) == []
    assert _filtered(responses, {"migrated": "dont_know"}) == [""]


def test_filter_by_a_multiple_choice_finds_lists_holding_it(responses):
    assert _filtered(responses, {"sectors": "public"}) == ["<script>alert(1)</script>", "Head nurse"]
    assert _filtered(responses, {"sectors": "other"}) == ['=HYPERLINK("http://evil")']
    assert _filtered(responses, {"countries": "GB"}) == ['=HYPERLINK("http://evil")', "Head nurse"]
    # A code that is only part of another code is no match.
    assert _filtered(responses, {"sectors": "pub"}) == []


def test_filters_combine_with_and(responses):
    assert _filtered(responses, {"profession": "nurse", "sectors": "ngo"}) == ["Head nurse"]
    assert _filtered(responses, {"country": "KE", "migrated": "yes", "sectors": "public"}) == [
        "<script>alert(1)</script>",
        "Head nurse",
    ]
    assert _filtered(responses, {"profession": "nurse", "migrated": "no"}) == []


def test_filter_by_a_matrix_row(responses):
    assert _filtered(responses, {"satisfaction/pay": "low"}) == ["<script>alert(1)</script>", "Head nurse"]
    assert _filtered(responses, {"satisfaction/hours": "high"}) == ["Head nurse"]


def test_unknown_or_empty_filters_are_ignored(responses):
    everyone = _filtered(responses, {})
    assert len(everyone) == 4
    assert (
        _filtered(responses, {"nothing": "x", "profession": "", "role": "Head nurse", "partner": "GB"})
        == everyone
    )


def test_hostile_filter_values_are_only_values(responses):
    assert _filtered(responses, {"sectors": "') OR 1=1 --", "profession": "nurse' OR '1'='1"}) == []


def test_filter_fields_offer_every_choice_question_and_matrix_row():
    with translation.override("en"):
        fields = {f.key: f for f in filter_fields(survey_definition(), language="en")}
    assert list(fields) == [
        "profession",
        "sectors",
        "migrated",
        "country",
        "countries",
        "satisfaction/pay",
        "satisfaction/hours",
    ]
    assert fields["profession"].choices[-1] == ("other", "Other")
    assert ("KE", "Kenya") in fields["country"].choices
