"""Code reporting's public pages: the rounds, a round's dashboard (map, table, the answers to one
question side by side), a country's reports across rounds. Only published reports ever show."""

import copy
import re

import pytest

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import ReportStatus, Round, RoundStatus
from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.services.questionnaires import version_add
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

from .published import DEFINITION, SECRETS, published_and_hidden, report_in, round_with_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def round5(db):
    return round_with_questionnaire(5)


@pytest.fixture
def reports(round5):
    return published_and_hidden(round5)


@pytest.fixture
def kenya_org(reports):
    return reports["kenya"].organisation


def text(response) -> str:
    return response.content.decode()


def cells(html: str, table_class: str) -> list[list[str]]:
    """The text of each body row's cells in the table of `table_class`."""
    table = re.search(rf'<table class="{table_class}">(.*?)</table>', html, re.S)
    assert table, table_class
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


# The rounds


def test_the_index_explains_the_code_and_lists_the_rounds_with_published_counts(client, reports, round5):
    round_with_questionnaire(
        2,
        instrument="NRI 2015",
        deadline=None,
        deadline_text="March 2016",
        reported_to="WHA69",
        status=RoundStatus.CLOSED,
        is_current=False,
    )
    response = client.get("/en/code-reporting/")
    assert response.status_code == 200
    html = text(response)
    assert "21 May 2010" in html and "WHA63.16" in html and "Article 9.4" in html
    rows = cells(html, "codereports-rounds")
    assert rows[0][:2] == ["Round 5 current", "NRI 2024"]
    # Two published reports on two countries: the four others are not counted.
    assert rows[0][-2:] == ["2", "2"]
    assert rows[0][2] == "Aug. 31, 2024"
    assert rows[1][:5] == ["Round 2", "NRI 2015", "March 2016", "WHA69", "Closed"]
    assert rows[1][-2:] == ["0", "0"]
    assert 'href="/en/code-reporting/mine/"' in html
    assert 'href="/en/code-reporting/rounds/5/"' in html


def test_the_index_calls_members_to_report_only_while_the_current_round_is_open(client, round5):
    round5.status = RoundStatus.CLOSED
    round5.save()
    html = text(client.get("/en/code-reporting/"))
    assert "Now: Round 5 (NRI 2024)" in html
    assert "/en/code-reporting/mine/" not in html


def test_the_index_without_rounds(client, db):
    assert "No round of reporting is listed yet." in text(client.get("/en/code-reporting/"))


def test_the_index_in_french(client, reports):
    response = client.get("/fr/code-reporting/")
    assert response.status_code == 200
    assert '<html lang="fr"' in text(response)


def test_the_header_links_to_code_reporting(client, db):
    html = text(client.get("/en/code-reporting/"))
    assert '<a href="/en/code-reporting/" aria-current="page">Code reporting</a>' in html


# The round's dashboard


def test_the_dashboard_maps_and_lists_the_countries_with_published_reports(client, reports):
    response = client.get("/en/code-reporting/rounds/5/")
    assert response.status_code == 200
    html = text(response)
    shaded = {
        name: int(level) for level, name in re.findall(r'class="map-shade-(\d)"><title>([^<:]+):', html)
    }
    assert shaded["Kenya"] > 0 and shaded["Romania"] > 0
    # Countries whose reports are not published stay grey, like those without any.
    assert shaded["Ghana"] == shaded["Peru"] == shaded["Zambia"] == shaded["France"] == 0
    assert "Kenya: 1 published report" in html
    assert 'href="/en/code-reporting/countries/KE/"' in html
    rows = cells(html, "codereports-country-table")
    assert rows == [["Kenya", "Kenya Health Action"], ["Romania", "Medici pentru toți"]]
    kenya = reports["kenya"]
    assert f'href="/en/code-reporting/reports/{kenya.pk}/"' in html
    for secret in SECRETS:
        assert secret not in html


def test_the_dashboard_of_a_round_without_published_reports(client, round5):
    html = text(client.get("/en/code-reporting/rounds/5/"))
    assert "No civil-society report of this round is published yet." in html
    assert "export.csv" not in html


def test_an_unknown_round_is_404(client, reports):
    assert client.get("/en/code-reporting/rounds/9/").status_code == 404
    assert client.get("/en/code-reporting/rounds/9/export.csv").status_code == 404


def test_the_question_chooser_is_grouped_by_section_and_leaves_out_notes(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/"))
    chooser = re.search(
        r'<select id="codereports-question" name="question">(.*?)</select>', html, re.S
    ).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">', chooser)
    assert groups == ["The reporting organisation", "Recruitment practices"]
    values = re.findall(r'<option value="([^"]*)"', chooser)
    assert values == [
        "",
        "org_type",
        "consulted",
        "measures",
        "ratings",
        "agreements",
        "partner",
        "year",
        "comments",
    ]
    assert "Bilateral agreements: Partner country" in chooser
    assert "Choose a question to read every published report" in html


def test_a_choice_question_side_by_side_with_its_counts(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=org_type"))
    rows = cells(html, "codereports-answers")
    assert rows == [
        ["Kenya", "Kenya Health Action", "NGO", "Medici pentru toți"],
        ["Romania", "Medici pentru toți", "Other: Diaspora network", "—"],
    ]
    assert cells(html, "codereports-counts") == [
        ["NGO", "1", "50.0"],
        ["Trade union", "0", "0.0"],
        ["Academic", "0", "0.0"],
        ["Other", "1", "50.0"],
    ]
    assert '<svg class="chart" id="codereports-chart" role="img"' in html
    assert 'value="org_type" selected' in html


def test_a_multiple_choice_counts_each_choice(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=measures"))
    assert cells(html, "codereports-counts") == [
        ["Fair recruitment", "2", "100.0"],
        ["No fees", "1", "50.0"],
        ["Equal treatment", "0", "0.0"],
    ]
    assert cells(html, "codereports-answers")[0][2] == "Fair recruitment; No fees"


def test_a_matrix_question_has_a_column_per_row(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=ratings"))
    header = re.search(r'<table class="codereports-answers">.*?<thead>(.*?)</thead>', html, re.S).group(1)
    assert re.findall(r'<th scope="col">([^<]+)</th>', header) == [
        "Country",
        "Organisation",
        "Article 3",
        "Article 5",
        "Co-signed by",
    ]
    assert [row[2:4] for row in cells(html, "codereports-answers")] == [["Good", "Poor"], ["Poor", "—"]]
    assert cells(html, "codereports-counts") == [["Article 3", "1", "1"], ["Article 5", "0", "1"]]


def test_a_number_inside_a_repeated_group_has_its_spread(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=year"))
    assert [row[2] for row in cells(html, "codereports-answers")] == ["2019 2021", "2015"]
    stats = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", re.search(r'<dl class="codereports-stats">(.*?)</dl>', html, re.S).group(1)),
    )
    assert stats.split() == ["Lowest", "2015", "Median", "2019", "Highest", "2021"]


def test_a_repeated_group_shows_each_block(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=agreements"))
    rows = cells(html, "codereports-answers")
    assert (
        rows[0][2]
        == "Partner country: Germany; Year signed: 2019 Partner country: United Kingdom; Year signed: 2021"
    )
    assert rows[1][2] == "Partner country: Germany; Year signed: 2015"
    assert html.count('<ol class="codereports-blocks">') == 2


def test_a_question_inside_a_repeated_group_is_answered_per_block_and_counted(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=partner"))
    assert [row[2] for row in cells(html, "codereports-answers")] == ["Germany United Kingdom", "Germany"]
    assert cells(html, "codereports-counts") == [["Germany", "2", "66.7"], ["United Kingdom", "1", "33.3"]]


def test_an_unanswered_question(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=comments"))
    assert [row[2] for row in cells(html, "codereports-answers")] == [
        "Nurses leave for the Gulf.",
        "No answer",
    ]
    assert "codereports-counts" not in html
    for secret in SECRETS:
        assert secret not in html


def test_the_comparison_filtered_by_country(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/?question=consulted&country=ro"))
    assert cells(html, "codereports-answers") == [["Romania", "Medici pentru toți", "No", "—"]]
    assert 'value="RO" selected' in html
    # A country without published reports is no filter: every report shows.
    html = text(client.get("/en/code-reporting/rounds/5/?question=consulted&country=GH"))
    assert len(cells(html, "codereports-answers")) == 2


def test_an_unknown_question_shows_the_chooser_with_a_message(client, reports):
    for name in ("nope", "intro", "<script>alert(1)</script>", "x" * 5000):
        response = client.get("/en/code-reporting/rounds/5/", {"question": name})
        assert response.status_code == 404
        html = text(response)
        assert "Choose one from the list." in html
        assert '<select id="codereports-question"' in html
        assert "<script>alert(1)</script>" not in html


def test_the_comparison_in_french(client, reports):
    html = text(client.get("/fr/code-reporting/rounds/5/?question=org_type"))
    assert "Type d&#x27;organisation" in html
    assert cells(html, "codereports-answers")[0][:3] == ["Kenya", "Kenya Health Action", "ONG"]
    assert "Roumanie" in html
    assert "Pratiques de recrutement" in html


def test_htmx_gets_only_the_comparison(client, reports):
    response = client.get(
        "/en/code-reporting/rounds/5/?question=consulted",
        headers={"HX-Request": "true", "HX-Target": "codereports-comparison"},
    )
    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert cells(html, "codereports-answers")[0][2] == "Yes"
    assert "HX-Target" in response["Vary"]


def test_the_chooser_form_works_without_javascript_and_enhances_with_htmx(client, reports):
    html = text(client.get("/en/code-reporting/rounds/5/"))
    form = re.search(r'<form class="codereports-chooser"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/en/code-reporting/rounds/5/"' in form
    assert 'hx-target="#codereports-comparison"' in form
    assert '<button type="submit">Compare</button>' in html
    assert '<label for="codereports-question">Question</label>' in html


def test_answers_and_names_are_escaped(client, round5):
    hostile = '<script>alert("x")</script>'
    report_in(
        round5,
        country="KE",
        organisation=OrganisationFactory(name=f"Org {hostile}"),
        cosigners=[OrganisationFactory(name=f"Cosigner {hostile}")],
        answers={"comments": f"Answer {hostile}", "org_type": "other", "org_type_other": hostile},
    )
    for question in ("comments", "org_type"):
        html = text(client.get(f"/en/code-reporting/rounds/5/?question={question}"))
        assert hostile not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    html = text(client.get("/en/code-reporting/countries/KE/"))
    assert hostile not in html and "Org &lt;script&gt;" in html


@pytest.mark.permission("codereports:country", "public")
@pytest.mark.permission("codereports:index", "public")
@pytest.mark.permission("codereports:round", "public")
def test_every_role_sees_the_same_published_reports(client, reports, kenya_org):
    """The owner of an unpublished report, another member, the Secretariat, a reviewer and the
    Steering Committee read the public pages as a visitor does."""
    people = [
        user_in(MEMBER, organisation=reports["hidden"][0].organisation),
        user_in(MEMBER, organisation=kenya_org),
        user_in(MEMBER),
        user_in(SECRETARIAT),
        user_in(REVIEWER),
        user_in(STEERING_COMMITTEE),
    ]
    paths = (
        "/en/code-reporting/",
        "/en/code-reporting/rounds/5/?question=comments",
        "/en/code-reporting/countries/KE/",
        "/en/code-reporting/countries/GH/",
    )
    for person in [None, *people]:
        if person:
            client.force_login(person)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200
            for secret in SECRETS:
                assert secret not in text(response), (person, path)


@pytest.mark.permission("codereports:country", "public")
@pytest.mark.permission("codereports:round", "public")
def test_a_report_withdrawn_from_publication_leaves_the_pages(client, reports):
    kenya = reports["kenya"]
    kenya.status = ReportStatus.SUBMITTED
    kenya.save()
    html = text(client.get("/en/code-reporting/rounds/5/?question=comments"))
    assert "Nurses leave for the Gulf." not in html
    assert cells(html, "codereports-country-table") == [["Romania", "Medici pentru toți"]]
    assert "Kenya Health Action" not in text(client.get("/en/code-reporting/countries/KE/"))


def test_the_dashboard_reads_the_reports_in_a_fixed_number_of_queries(
    client, round5, django_assert_max_num_queries
):
    def queries_for(count: int) -> int:
        for index in range(count):
            report_in(
                round5,
                country=["KE", "RO", "PH", "BR", "FR"][index % 5],
                answers={"org_type": "ngo", "agreements": [{"partner": "DE"}]},
                cosigners=[OrganisationFactory()],
            )
        client.get("/en/code-reporting/rounds/5/")  # the site and locale lookups are cached after one request
        with django_assert_max_num_queries(10) as captured:
            assert client.get("/en/code-reporting/rounds/5/?question=partner").status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(20)


# Exports are tested with the exports' own module (test_public_exports.py).


# The country page


def test_the_country_page_lists_published_reports_across_rounds(client, reports, kenya_org):
    old = round_with_questionnaire(4, instrument="NRI 2021", is_current=False, status=RoundStatus.CLOSED)
    report_in(old, country="KE", organisation=kenya_org, answers={"comments": "Earlier round."})
    for path in ("/en/code-reporting/countries/KE/", "/en/code-reporting/countries/ke/"):
        response = client.get(path)
        assert response.status_code == 200
        html = text(response)
        assert re.findall(r"<h2[^>]*><a [^>]+>([^<]+)</a></h2>", html) == [
            "Round 5 (NRI 2024)",
            "Round 4 (NRI 2021)",
        ]
        assert html.count("Report by Kenya Health Action") == 2
        assert "Co-signed by Medici pentru toți" in html
        assert f'href="/en/code-reporting/reports/{reports["kenya"].pk}/"' in html
        assert "Hidden Kenya Org" not in html


def test_a_country_without_published_reports(client, reports):
    response = client.get("/en/code-reporting/countries/GH/")
    assert response.status_code == 200
    html = text(response)
    assert "No civil-society report on Ghana is published yet." in html
    assert "Hidden Ghana Org" not in html and "SECRET" not in html


@pytest.mark.parametrize("code", ["XX", "ZZ", "KEN", "1", "k%C3%A9"])
def test_an_unknown_country_is_404(client, db, code):
    assert client.get(f"/en/code-reporting/countries/{code}/").status_code == 404


def test_the_country_page_in_french(client, reports):
    html = text(client.get("/fr/code-reporting/countries/RO/"))
    assert "Roumanie" in html


def test_the_pages_refuse_writes(client, reports):
    for path in ("/en/code-reporting/", "/en/code-reporting/rounds/5/", "/en/code-reporting/countries/KE/"):
        assert client.post(path).status_code == 405


def test_a_report_published_through_the_workflow_shows_on_the_pages(client, published, organisation):
    html = text(client.get("/en/code-reporting/rounds/5/?question=recruitment"))
    assert cells(html, "codereports-answers") == [
        ["Kenya", "Nurses for Kenya", "Agencies recruit nurses from listed countries.", "—"]
    ]
    assert "Nurses for Kenya" in text(client.get("/en/code-reporting/countries/KE/"))
    assert cells(text(client.get("/en/code-reporting/")), "codereports-rounds")[0][-2:] == ["1", "1"]


def test_a_report_short_of_publication_stays_off_the_pages(client, submitted):
    assert "Nurses for Kenya" not in text(client.get("/en/code-reporting/rounds/5/?question=recruitment"))
    assert "Nurses for Kenya" not in text(client.get("/en/code-reporting/countries/KE/"))


def test_a_question_added_in_a_later_version(client, reports, round5):
    """Reports keep the version they answered: one added since reads "not asked" for them; the
    labels an editor wrote are text, never markup."""
    data = copy.deepcopy(DEFINITION)
    data["sections"][1]["questions"].append(
        {
            "name": "covid",
            "type": "select_one",
            "label": {"en": "Measures during COVID-19 <script>alert('label')</script>"},
            "choices": [{"name": "paused", "label": {"en": "<b>Paused</b> recruitment"}}],
        }
    )
    version_add(questionnaire=round5.questionnaire, definition=Definition.from_json(data), source="loader")
    report_in(round5, country="BR", answers={"covid": "paused"})
    html = text(client.get("/en/code-reporting/rounds/5/?question=covid"))
    rows = cells(html, "codereports-answers")
    assert [row[2] for row in rows] == [
        "&lt;b&gt;Paused&lt;/b&gt; recruitment",
        "Not asked in the version this report answered",
        "Not asked in the version this report answered",
    ]
    assert "<script>alert('label')</script>" not in html and "<b>Paused</b>" not in html
    assert "Measures during COVID-19 &lt;script&gt;" in html


def test_a_round_without_questionnaire_shows_its_facts_only(client, db):
    Round.objects.create(
        number=1, instrument="NRI 2012", period="2012", deadline_text="2012", status=RoundStatus.CLOSED
    )
    response = client.get("/en/code-reporting/rounds/1/")
    assert response.status_code == 200
    html = text(response)
    assert "Round 1 (NRI 2012)" in html
    assert "No civil-society report of this round is published yet." in html
    assert "codereports-question" not in html and "export.csv" not in html
    assert client.get("/en/code-reporting/rounds/1/?question=org_type").status_code == 404
