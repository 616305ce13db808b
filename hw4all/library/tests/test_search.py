"""The search engine on a small fixed corpus in several languages: what a visitor's words find,
and in which order; hostile queries; resources that are not published."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hw4all.library import search, services
from hw4all.library.factories import ResourceAuthorFactory, ResourceFactory, ResourceFileFactory
from hw4all.library.models import Status, Topic

pytestmark = pytest.mark.django_db


def indexed(resource_file_texts=(), **fields):
    """A resource with files of the given (language, text), indexed as the task would."""
    resource = ResourceFactory(**fields)
    for language, text in resource_file_texts:
        ResourceFileFactory(resource=resource, language=language, text=text)
    search.resource_index(resource.pk)
    return resource


def found(query, **kwargs):
    return [hit.resource_id for hit in search.search(query=query, **kwargs).hits]


@pytest.fixture
def corpus():
    summary = "A resource of the library."
    return {
        "en": indexed(
            [("en", "Recruitment of nurses and doctors from abroad: what destination countries owe.")],
            title="International recruitment of health workers",
            summary=summary,
        ),
        "fr": indexed(
            [("fr", "Le recrutement international des infirmières et des médecins.")],
            title="Le recrutement éthique des personnels",
            summary="Une ressource de la bibliothèque.",
        ),
        "es": indexed(
            [("es", "La retención del personal sanitario en las zonas rurales.")],
            title="Retención del personal sanitario",
            summary="Un recurso de la biblioteca.",
        ),
        "ro": indexed(
            [("ro", "Recrutarea internațională a personalului medical și asistentelor.")],
            title="Codul global de practici al OMS",
            summary="O resursă a bibliotecii.",
        ),
        "sante": indexed(
            [("fr", "Les migrants et leur accès aux soins.")], title="Santé des migrants", summary=""
        ),
        "text_only": indexed(
            [("en", "A workshop was held in Ouagadougou with ministries of health.")],
            title="Workshop report",
            summary=summary,
        ),
        "title_retention": indexed(
            [("en", "Salaries and housing.")], title="Retention of rural nurses", summary=summary
        ),
        "body_retention": indexed(
            [("en", "Among many subjects, the report touches on retention in one paragraph.")],
            title="Annual report of the coalition",
            summary=summary,
        ),
    }


def test_french_word_finds_the_french_file_first(corpus):
    assert found("recrutement")[0] == corpus["fr"].pk


def test_english_word_finds_the_english_resource_first(corpus):
    assert found("recruitment")[0] == corpus["en"].pk


def test_other_forms_of_a_word_are_found_through_its_stem(corpus):
    assert corpus["en"].pk in found("recruiting")
    assert corpus["fr"].pk in found("recrutements")
    assert corpus["ro"].pk in found("recrutare")


def test_accents_and_case_are_ignored(corpus):
    assert found("sante") == [corpus["sante"].pk]
    assert found("SANTÉ") == [corpus["sante"].pk]
    assert corpus["es"].pk in found("retencion")


def test_a_word_only_in_a_files_text_is_found_and_marked(corpus):
    result = search.search(query="ouagadougou")
    assert [hit.resource_id for hit in result.hits] == [corpus["text_only"].pk]
    assert "<mark>Ouagadougou</mark>" in result.hits[0].snippet


def test_a_title_match_outranks_a_body_match(corpus):
    results = found("retention")
    assert results.index(corpus["title_retention"].pk) < results.index(corpus["body_retention"].pk)


def test_every_word_must_match(corpus):
    assert found("recruitment nurses") == [corpus["en"].pk]
    assert found("recruitment ouagadougou") == []


def test_quoted_phrase_keeps_its_words_together(corpus):
    assert found('"rural nurses"') == [corpus["title_retention"].pk]
    assert found('"nurses rural"') == []


def test_authors_and_topics_are_searched():
    resource = ResourceFactory(title="A report", summary="", topics=[Topic.objects.get(slug="retention")])
    ResourceAuthorFactory(resource=resource, name="Kamau, Wanjiru")
    search.resource_index(resource.pk)
    assert found("kamau") == [resource.pk]
    # The topic's French name ("Fidélisation") is in the index too.
    assert found("fidelisation") == [resource.pk]


HOSTILE = [
    '"',
    '"unclosed phrase',
    "*",
    "recru*",
    "NEAR(a b, 2)",
    "NEAR(",
    "a OR b",
    "OR",
    "AND NOT",
    "-recruitment",
    "title:recruitment",
    "{title}: x",
    "body : health",
    "stems:recruit",
    "rowid = 1",
    "'; DROP TABLE library_search; --",
    "\x00",
    "health\x00workers",
    "\x02\x03",
    "😀🏥",
    "عمال الصحة",
    "健康工作者",
    "नमस्ते",
    "Здоровье",
    "^recruitment",
    "(",
    ")",
    "a" * 300,
    "recruitment " * 2000,
    "x" * 10_240,
    "&<>",
    " ",
    "",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_text_gives_results_or_nothing(corpus, query):
    result = search.search(query=query)
    assert result.total >= 0
    assert len(result.hits) <= search.PER_PAGE


def test_syntax_characters_are_words_not_operators(corpus):
    for query in (
        "-recruitment",
        "recruitment*",
        "(recruitment)",
        "recruitment:",
        "^recruitment",
        '"recruitment',
    ):
        assert found(query)[0] == corpus["en"].pk, query
    # An operator's name is a word like any other, which the resource must hold.
    assert found("recruitment OR") == []


def test_unpublished_resources_are_never_found():
    submitted = indexed([("en", "Zanzibar workshop notes.")], title="Zanzibar", status=Status.SUBMITTED)
    indexed([("en", "Zanzibar, declined.")], title="Zanzibar declined", status=Status.DECLINED)
    assert found("zanzibar") == []
    assert search.search().total == 0
    services.resource_decide(resource=submitted, user=None, accept=True)
    search.resource_index(submitted.pk)
    assert found("zanzibar") == [submitted.pk]


def test_a_decision_reindexes_on_commit(django_capture_on_commit_callbacks):
    resource = ResourceFactory(title="Timbuktu", status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_decide(resource=resource, user=None, accept=True)
    assert found("timbuktu") == [resource.pk]


def test_a_deleted_resource_leaves_the_index(django_capture_on_commit_callbacks):
    resource = indexed(title="Kinshasa")
    assert found("kinshasa") == [resource.pk]
    with django_capture_on_commit_callbacks(execute=True):
        resource.delete()
    assert found("kinshasa") == []
    assert search.search().total == 0


def test_rebuild_indexes_every_published_resource_and_only_those():
    published = [ResourceFactory(title=f"Lusaka {number}") for number in range(3)]
    ResourceFactory(title="Lusaka draft", status=Status.SUBMITTED)
    assert search.index_rebuild() == 3
    assert sorted(found("lusaka")) == sorted(resource.pk for resource in published)


def test_pages_of_twenty_newest_first_without_a_query():
    resources = [indexed(title=f"Report {number}", year=1980 + number) for number in range(45)]
    newest_first = [resource.pk for resource in reversed(resources)]
    first = search.search()
    assert (first.total, first.pages, first.sort) == (45, 3, "date")
    assert [hit.resource_id for hit in first.hits] == newest_first[:20]
    assert [hit.resource_id for hit in search.search(page=3).hits] == newest_first[40:]
    # A page past the end shows the last one.
    assert search.search(page=99).page == 3
    by_relevance = search.search(query="report", page=2)
    assert (by_relevance.total, len(by_relevance.hits), by_relevance.sort) == (45, 20, "relevance")
    by_date = search.search(query="report", sort="date")
    assert [hit.resource_id for hit in by_date.hits] == newest_first[:20]


def test_snippets_escape_everything_but_the_marks():
    resource = indexed(
        [("en", "Before <script>alert(1)</script> the workforce <b>plan</b> after.")],
        title="<script>alert('title')</script>",
        summary="<img src=x onerror=alert(1)> workforce summary",
    )
    for query in ("workforce", "script", "plan", ""):
        for hit in search.search(query=query).hits:
            assert hit.resource_id == resource.pk
            assert "<script" not in hit.snippet
            assert "<img" not in hit.snippet
            assert "<b>" not in hit.snippet
            assert hit.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>workforce</mark>" in search.search(query="workforce").hits[0].snippet


def test_broad_searches_put_title_matches_first_then_the_newest(settings):
    """Past LIBRARY_SEARCH_RANK_LIMIT matches, the order is by tiers rather than by score."""
    settings.LIBRARY_SEARCH_RANK_LIMIT = 0
    old_title = indexed(title="Bamako workshop", year=2001)
    new_body = indexed([("en", "Notes from Bamako.")], title="Notes", year=2020)
    new_title = indexed(title="Bamako plan", year=2010)
    older_body = indexed([("en", "Bamako again.")], title="More notes", year=2005)
    assert found("bamako") == [new_title.pk, old_title.pk, new_body.pk, older_body.pk]
    assert found("bamako", page=2) == found("bamako")
    result = search.search(query="bamako", per_page=3, page=2)
    assert [hit.resource_id for hit in result.hits] == [older_body.pk]


def test_a_word_found_in_resources_newer_than_the_facet_index_counts_only_those_it_holds():
    # Resources 30, 10 and 20, newest first; 15 and 99 were indexed after it was loaded.
    facets = search.FacetIndex(
        generation=1,
        ids=[30, 10, 20],
        positions={30: 0, 10: 1, 20: 2},
        slots=[3] * 10 + [1] + [3] * 9 + [2] + [3] * 9 + [0],
        bitmaps={},
    )
    assert search._bitmap_of(facets, [10, 15, 20, 99]) == 0b110
    assert search._bitmap_of(facets, [10, 20, 30]) == 0b111
    assert search._bitmap_of(facets, []) == 0


def _match_queries(captured):
    """The queries that list a search's matches: SQLite's FTS5 MATCH, PostgreSQL's @@."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if ("MATCH" in query["sql"] or "@@" in query["sql"]) and "snippet(" not in query["sql"]
    ]


def test_a_broad_words_matches_found_by_one_worker_serve_the_others(settings):
    settings.LIBRARY_SEARCH_RANK_LIMIT = 0
    settings.LIBRARY_SEARCH_SHARED_MATCHES = 1
    indexed(title="Bamako workshop", year=2001)
    indexed([("en", "Notes from Bamako.")], title="Notes", year=2020)
    first = found("bamako")
    # Another worker process: nothing of this search in its own memory.
    search._match_cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert found("bamako") == first
    assert _match_queries(captured) == []
    # A word with fewer matches than that is not shared: each worker asks the index.
    settings.LIBRARY_SEARCH_SHARED_MATCHES = 2
    indexed(title="Lusaka plan")
    search._match_cache.clear()
    found("lusaka")
    search._match_cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert len(found("lusaka")) == 1
    assert _match_queries(captured)
