"""Facet counts checked against a brute-force count over generated resources: AND across facets,
OR within one, and each facet's counts ignoring its own selection."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hw4all.library import search
from hw4all.library.factories import ResourceFactory, ResourceFileFactory
from hw4all.library.models import Resource, Topic

pytestmark = pytest.mark.django_db

KINDS = ["report", "toolkit", "dataset"]
LANGUAGES = ["en", "fr", "ro"]
COUNTRIES = ["KE", "RO", "PH"]
REGIONS = ["AFR", "EUR", "global"]
TOPICS = ["recruitment", "retention", "migration"]
YEARS = [2010, 2015, 2020]

resources_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(KINDS),
            "languages": st.sets(st.sampled_from(LANGUAGES), max_size=2),
            "countries": st.sets(st.sampled_from(COUNTRIES), max_size=2),
            "regions": st.sets(st.sampled_from(REGIONS), max_size=2),
            "topics": st.sets(st.sampled_from(TOPICS), max_size=2),
            "year": st.sampled_from([*YEARS, None]),
            "word": st.booleans(),
        }
    ),
    max_size=10,
)
selection_strategy = st.fixed_dictionaries(
    {
        "kind": st.sets(st.sampled_from(KINDS), max_size=2),
        "language": st.sets(st.sampled_from(LANGUAGES), max_size=2),
        "country": st.sets(st.sampled_from(COUNTRIES), max_size=2),
        "region": st.sets(st.sampled_from(REGIONS), max_size=1),
        "topic": st.sets(st.sampled_from(TOPICS), max_size=2),
        "year": st.sets(st.sampled_from([str(year) for year in YEARS]), max_size=2),
    }
)


def facet_values(spec: dict) -> dict[str, set[str]]:
    return {
        "kind": {spec["kind"]},
        "language": set(spec["languages"]),
        "country": set(spec["countries"]),
        "region": set(spec["regions"]),
        "topic": set(spec["topics"]),
        "year": {str(spec["year"])} if spec["year"] else set(),
    }


def brute_force(specs, selection, query_word: bool):
    """The counts by definition: for each facet, the resources that match the query and every
    other facet's selection, counted by value."""
    candidates = [spec for spec in specs if spec["word"] or not query_word]

    def passes(spec, ignoring=None):
        values = facet_values(spec)
        return all(
            not selected or values[facet] & set(selected)
            for facet, selected in selection.items()
            if facet != ignoring
        )

    counts: dict[str, dict[str, int]] = {}
    for facet in search.FACETS:
        counts[facet] = {}
        for spec in candidates:
            if passes(spec, ignoring=facet):
                for value in facet_values(spec)[facet]:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    total = sum(1 for spec in candidates if passes(spec))
    return total, counts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=resources_strategy, selection=selection_strategy, query_word=st.booleans())
def test_facet_counts_match_a_brute_force_count(specs, selection, query_word):
    Resource.objects.all().delete()
    topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=TOPICS)}
    for spec in specs:
        resource = ResourceFactory(
            title="Bujumbura notes" if spec["word"] else "Other notes",
            kind=spec["kind"],
            year=spec["year"],
            countries=sorted(spec["countries"]),
            regions=sorted(spec["regions"]),
            topics=[topics[slug] for slug in sorted(spec["topics"])],
        )
        for language in sorted(spec["languages"]):
            ResourceFileFactory(resource=resource, language=language, text="")
    search.index_rebuild()

    result = search.search(
        query="bujumbura" if query_word else "", filters={k: sorted(v) for k, v in selection.items()}
    )
    total, counts = brute_force(specs, selection, query_word)
    assert result.total == total
    assert result.facets == counts
    assert len(result.hits) == min(total, search.PER_PAGE)
