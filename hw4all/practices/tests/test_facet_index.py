"""The public listing's facet index: its counts and pages against a brute-force count over the
cases, built by the publisher before any visitor asks, rebuilt by a visitor only when the cache
lost it, and never showing a case that is no longer published."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hw4all.core.pagecache import cache_generation_next
from hw4all.practices import facetindex, queries, services
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.models import CaseStatus, CaseStudy

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

INDEX = "/en/practices/"
COUNTRIES = ["KE", "RO", "PH"]
THEMES = ["retention", "recruitment", "diaspora"]
ARTICLES = ["3", "5", "10"]
LEVELS = ["local", "national"]
NOW = timezone.now()


def facet_rows_read(captured) -> bool:
    return any("practices_casefacet" in query["sql"] for query in captured.captured_queries)


# Counts and pages against a brute-force count

cases_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "country": st.sets(st.sampled_from(COUNTRIES), max_size=2),
            "theme": st.sets(st.sampled_from(THEMES), max_size=2),
            "article": st.sets(st.sampled_from(ARTICLES), max_size=2),
            "level": st.sets(st.sampled_from(LEVELS), max_size=2),
            "validated": st.booleans(),
            "published": st.booleans(),
            # Equal dates are frequent, so the order's tie-break (the id) is tested too.
            "age": st.integers(min_value=0, max_value=3),
        }
    ),
    max_size=12,
)
selection_strategy = st.fixed_dictionaries(
    {
        "country": st.sets(st.sampled_from(COUNTRIES), max_size=2),
        "theme": st.sets(st.sampled_from(THEMES), max_size=2),
        "article": st.sets(st.sampled_from(ARTICLES), max_size=2),
        "level": st.sets(st.sampled_from(LEVELS), max_size=1),
    }
)


def brute_force(cases: list[tuple[CaseStudy, dict]], selection: dict, validated: bool):
    """By definition, over the published cases: those that match, newest first; for each facet
    the matches of every other choice counted by value; the matches but for `validated`, validated."""
    published = [(case, spec) for case, spec in cases if spec["published"]]

    def passes(spec, ignoring=None):
        return all(
            not chosen or spec[facet] & chosen for facet, chosen in selection.items() if facet != ignoring
        ) and (not validated or ignoring == "validated" or spec["validated"])

    matches = sorted(((spec["age"], case.pk) for case, spec in published if passes(spec)))
    counts = {}
    for facet in queries.FACETS:
        counts[facet] = {}
        for _case, spec in published:
            if passes(spec, ignoring=facet):
                for value in spec[facet]:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    validated_count = sum(1 for _case, spec in published if passes(spec, "validated") and spec["validated"])
    return [pk for _age, pk in matches], counts, validated_count


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=cases_strategy,
    selection=selection_strategy,
    validated=st.booleans(),
    window=st.tuples(st.integers(0, 14), st.integers(0, 14)),
)
def test_counts_and_pages_match_a_brute_force_count(specs, selection, validated, window):
    CaseStudy.objects.all().delete()
    cache.clear()
    cases = []
    for spec in specs:
        case = CaseStudyFactory(
            published=True,
            countries=sorted(spec["country"]),
            themes=sorted(spec["theme"]),
            code_articles=sorted(int(article) for article in spec["article"]),
            levels=sorted(spec["level"]),
            status=CaseStatus.VALIDATED if spec["validated"] else CaseStatus.IN_REVIEW,
            is_published=spec["published"],
            published_at=NOW - datetime.timedelta(days=spec["age"]) if spec["published"] else None,
        )
        services.facets_rebuild(case)
        cases.append((case, spec))
    filters = queries.case_filters_parse({k: sorted(v) for k, v in selection.items()}, validated=validated)

    listing = queries.cases_listed(filters)

    ids, counts, validated_count = brute_force(cases, selection, validated)
    assert len(listing) == len(ids)
    start, stop = sorted(window)
    assert [case.pk for case in listing[start:stop]] == ids[start:stop]
    assert [case.pk for case in listing[0 : queries.PER_PAGE]] == ids[: queries.PER_PAGE]
    assert [case.pk for case in listing] == ids
    if ids:
        assert listing[len(ids) - 1].pk == ids[-1]
    found = {
        facet: {c.value: c.count for c in rows if c.count} for facet, rows in listing.facet_counts().items()
    }
    assert found == counts
    # A chosen value without a case is still offered, at 0, so that it can be unchosen.
    for facet, chosen in selection.items():
        offered = {c.value: (c.count, c.selected) for c in listing.facet_counts()[facet]}
        assert all(offered[value] == (counts[facet].get(value, 0), True) for value in chosen)
    assert listing.validated_count() == validated_count


@given(
    bits=st.integers(min_value=0, max_value=2**70 - 1), start=st.integers(0, 75), length=st.integers(0, 75)
)
def test_the_cases_of_a_page_are_the_set_bits_in_order(bits, start, length):
    index = facetindex.FacetIndex(
        generation=1, ids=facetindex.array("q", range(100, 170)), values={}, validated=0
    )
    positions = [position for position in range(70) if bits >> position & 1]
    assert index.ids_at(bits, start, start + length) == [100 + p for p in positions[start : start + length]]


# Who builds the index, and when


def published_case(**fields):
    case = CaseStudyFactory(published=True, **fields)
    services.facets_rebuild(case)
    return case


def kenya_count(response) -> int:
    html = response.content.decode()
    return int(re.search(r'value="KE"( checked)?><label[^>]*>Kenya <span[^>]*>\((\d+)\)', html)[2])


@pytest.fixture
def secretary():
    from hw4all.coalition.factories import user_in
    from hw4all.users.roles import SECRETARIAT

    return user_in(SECRETARIAT, country="BE")


def test_a_publication_builds_the_index_before_any_visitor_asks(
    client, secretary, django_capture_on_commit_callbacks
):
    published_case(countries=["KE"])
    assert kenya_count(client.get(INDEX)) == 1
    case = CaseStudyFactory(countries=["KE"], status=CaseStatus.SUBMITTED, revision=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_publish(case=case, by=secretary)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(INDEX, {"country": "KE"})

    assert kenya_count(response) == 2
    assert case.title in response.content.decode()
    assert not facet_rows_read(captured)


def test_an_unpublished_case_leaves_the_listing_and_its_counts_at_once(
    client, secretary, django_capture_on_commit_callbacks
):
    published_case(countries=["KE"])
    leaving = published_case(countries=["KE"], title="Leaving soon")
    assert kenya_count(client.get(INDEX)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.case_unpublish(case=leaving, by=secretary)
    response = client.get(INDEX)
    assert kenya_count(response) == 1
    assert "Leaving soon" not in response.content.decode()


def test_a_visitor_builds_the_index_only_when_the_cache_lost_it(client):
    published_case(countries=["KE"])
    client.get(INDEX)
    with CaptureQueriesContext(connection) as captured:
        client.get(INDEX, {"country": "RO"})
    assert not facet_rows_read(captured)

    cache.clear()
    published_case(countries=["KE"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INDEX)
    assert facet_rows_read(captured)
    assert kenya_count(response) == 2


def test_a_lost_generation_number_never_brings_back_an_older_index(client):
    published_case(countries=["KE"])
    client.get(INDEX)
    old = cache.get(facetindex.GENERATION_KEY)
    # The number is evicted, the old index is not; a case is published in the meantime.
    cache.delete(facetindex.GENERATION_KEY)
    published_case(countries=["KE"])
    response = client.get(INDEX)
    assert cache.get(facetindex.GENERATION_KEY) > old
    assert kenya_count(response) == 2


def test_while_the_publisher_builds_visitors_keep_the_previous_index_for_a_while(client):
    published_case(countries=["KE"])
    assert kenya_count(client.get(INDEX)) == 1
    published_case(countries=["KE"])
    # What facet_index_publish has done before its index is stored: a new number, marked started.
    generation = cache_generation_next(facetindex.GENERATION_KEY)
    cache.set(facetindex._started_key(generation), facetindex.time.time(), facetindex.BUILD_GRACE_SECONDS)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(INDEX, {"level": "local"})
    assert not facet_rows_read(captured)
    assert kenya_count(response) == 1

    # A publisher that started longer ago than that and never finished: the next visitor builds it.
    started = facetindex.time.time() - facetindex.BUILD_GRACE_SECONDS - 1
    cache.set(facetindex._started_key(generation), started, facetindex.BUILD_GRACE_SECONDS)
    assert kenya_count(client.get(INDEX, {"article": "5"})) == 2


def test_a_case_unpublished_after_the_index_was_built_is_never_shown(client):
    published_case(title="Still public")
    hidden = published_case(title="Withdrawn in a hurry")
    client.get(INDEX)
    # Written straight to the database: the index of this generation still lists the case.
    CaseStudy.objects.filter(pk=hidden.pk).update(is_published=False)
    html = client.get(INDEX).content.decode()
    assert "Still public" in html
    assert "Withdrawn in a hurry" not in html
