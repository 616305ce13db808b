"""The public listing's facet index: for each facet value, the published case studies that have
it, as the bits of one Python int; built once per publication and shared by every process
through the cache (docs/decisions/0011-practices-facet-index.md).

Bit i stands for the i-th published case in the listing's order (newest first). A filter choice
is then an AND across facets of ORs within each, a count is a popcount, and the listing's page is
the matching bits in order: no query reads the facet rows on a visitor's request.

The index of a publication generation is built after the generation number is taken, and the
number after the publication commits: an index therefore holds every publication up to its own
number. The publisher builds it (`facet_index_publish`) before the page generation changes;
visitors build one only if the cache lost it. While a publisher builds, visitors keep the index
they had, for at most BUILD_GRACE_SECONDS."""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from hw4all.core.pagecache import cache_generation, cache_generation_next

from .models import CaseFacet, CaseStatus, CaseStudy

GENERATION_KEY = "practices:facetindex:generation"
# A publication only makes the previous index stale; this bounds how long unused ones stay.
INDEX_SECONDS = 24 * 3600
BUILD_GRACE_SECONDS = 30
# The positions of the set bits of each byte value, to walk a set in order a byte at a time.
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def _index_key(generation: int) -> str:
    return f"practices:facetindex:{generation}"


def _started_key(generation: int) -> str:
    return f"practices:facetindex:started:{generation}"


@dataclass(frozen=True)
class FacetIndex:
    generation: int
    # Published case ids in the listing's order: bit i of every set below is ids[i].
    ids: array
    # facet -> value -> the set of cases with that value.
    values: dict[str, dict[str, int]]
    validated: int

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def matching(
        self, selected: Mapping[str, Iterable[str]], *, validated: bool, ignore: str | None = None
    ) -> int:
        """The cases with one of the chosen values of every facet (and validated if asked),
        leaving out `ignore`'s choice."""
        found = self.everything
        for facet, values in selected.items():
            if facet == ignore:
                continue
            sets = self.values.get(facet, {})
            either = -1 if not values else 0
            for value in values:
                either |= sets.get(value, 0)
            found &= either
        if validated and ignore != "validated":
            found &= self.validated
        return found

    def counts(self, facet: str, within: int) -> dict[str, int]:
        """How many of `within` have each value of `facet`; values with none are left out."""
        counts = {}
        for value, cases in self.values.get(facet, {}).items():
            count = (cases & within).bit_count()
            if count:
                counts[value] = count
        return counts

    def ids_at(self, cases: int, start: int, stop: int) -> list[int]:
        """The ids of the `start`-th to the `stop`-th (excluded) case of the set, in order."""
        if cases == self.everything:
            return list(self.ids[start:stop])
        positions: list[int] = []
        seen = 0
        for number, byte in enumerate(cases.to_bytes((cases.bit_length() + 7) // 8, "little")):
            if not byte:
                continue
            bits = _BYTE_BITS[byte]
            if seen + len(bits) <= start:
                seen += len(bits)
                continue
            for bit in bits:
                if seen >= stop:
                    return [self.ids[position] for position in positions]
                if seen >= start:
                    positions.append(number * 8 + bit)
                seen += 1
        return [self.ids[position] for position in positions]


def facet_index_build(generation: int) -> FacetIndex:
    """Two queries whatever the number of cases: the published ids in order, and the facet rows."""
    # One transaction: on SQLite both reads see the same database.
    with transaction.atomic():
        published = list(
            CaseStudy.objects.filter(is_published__in=[True])
            .order_by("-published_at", "pk")
            .values_list("pk", "status")
        )
        rows = list(CaseFacet.objects.values_list("facet", "value", "case_id"))
    positions = {pk: position for position, (pk, _status) in enumerate(published)}
    size = (len(published) + 7) // 8
    # A bytearray per value takes one bit at a time cheaply; the int is made once at the end.
    buffers: dict[tuple[str, str], bytearray] = {}
    for facet, value, case_id in rows:
        position = positions.get(case_id)
        if position is None:
            continue
        buffer = buffers.get((facet, value))
        if buffer is None:
            buffer = buffers[facet, value] = bytearray(size)
        buffer[position >> 3] |= 1 << (position & 7)
    validated = bytearray(size)
    for position, (_pk, status) in enumerate(published):
        if status == CaseStatus.VALIDATED:
            validated[position >> 3] |= 1 << (position & 7)
    values: dict[str, dict[str, int]] = {}
    for (facet, value), buffer in buffers.items():
        values.setdefault(facet, {})[value] = int.from_bytes(buffer, "little")
    return FacetIndex(
        generation=generation,
        ids=array("q", (pk for pk, _status in published)),
        values=values,
        validated=int.from_bytes(validated, "little"),
    )


def _generation() -> int:
    return cache_generation(GENERATION_KEY)


def facet_index_publish() -> None:
    """After a change to the published cases commits: a new generation and its index, built
    here so that visitors find it ready."""
    generation = cache_generation_next(GENERATION_KEY)
    cache.set(_started_key(generation), time.time(), BUILD_GRACE_SECONDS)
    cache.set(_index_key(generation), facet_index_build(generation), INDEX_SECONDS)


# This process's last index: most requests then read only the generation number from the cache.
_local: FacetIndex | None = None


def facet_index() -> FacetIndex:
    """The current generation's index: from this process, from the cache, or, while a publisher
    builds it, the one this process had; built here only if the cache lost it."""
    global _local
    generation = _generation()
    local = _local
    if local is not None and local.generation == generation:
        return local
    found = cache.get_many([_index_key(generation), _started_key(generation)])
    index = found.get(_index_key(generation))
    if index is None:
        if time.time() - found.get(_started_key(generation), 0) < BUILD_GRACE_SECONDS:
            previous = local if local is not None else cache.get(_index_key(generation - 1))
            if previous is not None and previous.generation < generation:
                return previous
        index = facet_index_build(generation)
        cache.set(_index_key(generation), index, INDEX_SECONDS)
    _local = index
    return index
