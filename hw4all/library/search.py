"""The library's search engine: one index entry per published resource, full-text matching with
stems for each content language, and facet counts from bitmaps kept in each process's memory.

SQLite (the default): an FTS5 table (`library_search_fts`, rowid = the resource's id) ranked by
bm25 with column weights and `snippet()` for the extract. PostgreSQL: a `tsvector` column with a
GIN index, ranked by `ts_rank_cd`. Both keep the facet values in `library_search`, which every
process reads into bitmaps (one Python integer per facet value, a bit per resource) whenever the
generation number in `library_search_state` has moved; a search then counts each facet value
with an AND and a `bit_count()`. See docs/decisions/0006-library-search.md."""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import re
import secrets
import threading
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import snowballstemmer
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from hw4all.core.faults import ServiceUnavailable, savepoint_if_atomic
from hw4all.core.pagecache import pagecache_invalidate

from .models import Resource, ResourceAuthor, ResourceFile

logger = logging.getLogger(__name__)

FACETS = ("kind", "language", "country", "region", "topic", "year")
PER_PAGE = 20
MAX_TERMS = 12
MAX_TERM_LENGTH = 64
MAX_QUERY_LENGTH = 1000
# The text of a resource's files kept in the index: a 100-page report is about 300,000
# characters; PostgreSQL's tsvector refuses more than 1 MB of lexemes.
MAX_BODY_CHARS = 600_000
# bm25 weights of the FTS5 columns, in their order: a word in the title counts most, the
# stems (which match other forms of a word, in any content language) least.
FTS_COLUMNS = ("title", "people", "summary", "topics", "body", "stems")
FTS_WEIGHTS = (10.0, 4.0, 4.0, 4.0, 1.0, 0.4)
SNIPPET_WORDS = 28
# Up to this many matches are ranked one by one (bm25, ts_rank_cd); beyond, title matches come
# first, newest first (see _tiered_ids).
RANK_LIMIT = 5000
# Bitmaps (12 KB each for 100,000 resources) and rankings of recent searches kept in each process.
MATCH_CACHE_SIZE = 512
# From this many matches a word's bitmap is also kept in the shared cache, for the other worker
# processes: listing a broad word's matches costs 50-100 ms, reading its bitmap well under 1 ms.
SHARED_MATCHES = 5000
SHARED_MATCHES_SECONDS = 3600
MARK_START, MARK_END = "\x02", "\x03"
AUTHORS_SEPARATOR = "\n"

# ISO 639-1 codes of the languages with a Snowball stemmer.
STEMMER_NAMES = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}

WORD = re.compile(r"[^\W_]+")
LATIN_DIACRITICS = re.compile("[\u0300-\u036f]")
# Control characters would break the snippet markers and PostgreSQL refuses NUL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHRASE = re.compile(r'"([^"]*)"')


# Words and stems.


def fold(text: str) -> str:
    """Lower case without Latin diacritics, as FTS5's `unicode61 remove_diacritics 2` sees it."""
    return LATIN_DIACRITICS.sub("", unicodedata.normalize("NFKD", text)).casefold()


def language_base(code: str) -> str:
    return (code or "").split("-")[0].lower()


@functools.cache
def _stemmer(language: str):
    name = STEMMER_NAMES.get(language)
    return snowballstemmer.stemmer(name) if name in snowballstemmer.algorithms() else None


@functools.lru_cache(maxsize=500_000)
def stem(language: str, word: str) -> str:
    """The folded Snowball stem of a word, or "" without a stemmer for that language."""
    stemmer = _stemmer(language)
    if stemmer is None:
        return ""
    return fold(stemmer.stemWord(word.lower()))


def stems_text(text: str, language: str) -> set[str]:
    language = language_base(language)
    if _stemmer(language) is None:
        return set()
    return {stem(language, word) for word in set(WORD.findall(text))} - {""}


def content_languages(facets: FacetIndex | None = None) -> list[str]:
    """Languages a query is stemmed in: the site's and those of the files in the index."""
    languages = {language_base(code) for code, _name in settings.LANGUAGES}
    languages |= {language_base(code) for code in (facets or _facets()).bitmaps["language"]}
    return sorted(language for language in languages if _stemmer(language) is not None)


def _query_chunks(text: str) -> list[str]:
    """Runs of letters, digits and marks: the database's tokenizer splits them further if it
    must, inside a quoted string, so no character of the query is ever read as syntax."""
    chunks: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            chunks.append("".join(current))
            current = []
    if current:
        chunks.append("".join(current))
    return [chunk[:MAX_TERM_LENGTH] for chunk in chunks]


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def query_terms(query: str) -> list[Term]:
    """The terms of what a visitor typed: words, and "quoted phrases"; nothing else is syntax."""
    query = CONTROL.sub(" ", query or "")[:MAX_QUERY_LENGTH]
    terms: list[Term] = []
    position = 0
    for match in PHRASE.finditer(query):
        terms += [Term((chunk,)) for chunk in _query_chunks(query[position : match.start()])]
        words = tuple(_query_chunks(match.group(1)))
        if words:
            terms.append(Term(words))
        position = match.end()
    terms += [Term((chunk,)) for chunk in _query_chunks(query[position:])]
    unique: list[Term] = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return unique[:MAX_TERMS]


def term_stems(term: Term, languages: Iterable[str]) -> list[str]:
    if term.is_phrase:
        return []
    stems = {stem(language, term.words[0]) for language in languages} - {""}
    return sorted(stems)


# The index entry of a resource.


@dataclass
class Entry:
    resource_id: int
    kind: str
    year: int | None
    sort_key: int
    languages: list[str]
    countries: list[str]
    regions: list[str]
    topics: list[str]
    title: str
    slug: str
    authors: list[str]
    people: str
    summary: str
    topics_text: str
    body: str
    stems: str = ""

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "kind": [self.kind],
            "language": self.languages,
            "country": self.countries,
            "region": self.regions,
            "topic": self.topics,
            "year": [str(self.year)] if self.year else [],
        }


def _clean(text: str) -> str:
    return CONTROL.sub(" ", text or "")


def entry_for(resource: Resource) -> Entry:
    """What the index holds of a resource (its authors, topics with their names, and files
    prefetched)."""
    files = list(resource.files.all())
    topics = list(resource.topics.all())
    languages = sorted({language_base(file.language) for file in files if file.language})
    people = [author.display_name() for author in resource.authors.all()]
    topic_names: list[str] = []
    for topic in topics:
        topic_names += [topic.name, *(name.name for name in topic.names.all())]
    title, summary = _clean(resource.title), _clean(resource.summary)
    people_text = _clean("; ".join([*people, resource.publisher]))
    topics_text = _clean("; ".join(dict.fromkeys(topic_names)))
    body = _clean("\n\n".join(file.text for file in files if file.text))[:MAX_BODY_CHARS]
    metadata = " ".join((title, summary, topics_text))
    stems: set[str] = set()
    for language in languages or ["en"]:
        stems |= stems_text(metadata, language)
    for file in files:
        if file.text:
            stems |= stems_text(file.text[:MAX_BODY_CHARS], file.language)
    return Entry(
        resource_id=resource.pk,
        kind=resource.kind,
        year=resource.year,
        sort_key=(resource.year or 0) * 10_000 + (resource.month or 0) * 100 + (resource.day or 0),
        languages=languages,
        # A multiple CountryField gives Country objects; str() of one is its code.
        countries=sorted(str(country) for country in resource.countries),
        regions=sorted(set(resource.regions or [])),
        topics=sorted(topic.slug for topic in topics),
        title=title,
        slug=resource.slug,
        authors=people,
        people=people_text,
        summary=summary,
        topics_text=topics_text,
        body=body,
        stems=" ".join(sorted(stems)),
    )


def resources_for_index():
    from hw4all.library.models import TopicName  # noqa: F401 (prefetched through the topics)

    return Resource.objects.published().prefetch_related(
        Prefetch("authors", queryset=ResourceAuthor.objects.select_related("person", "organisation")),
        Prefetch(
            "files", queryset=ResourceFile.objects.only("id", "resource_id", "language", "text", "sort_order")
        ),
        "topics__names",
    )


# Writing the index.


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _entries_write(cursor, entries: Sequence[Entry]) -> None:
    facet_rows = [
        (
            entry.resource_id,
            entry.kind,
            entry.year,
            entry.sort_key,
            " ".join(entry.languages),
            " ".join(entry.countries),
            " ".join(entry.regions),
            " ".join(entry.topics),
            entry.title,
            entry.slug,
            AUTHORS_SEPARATOR.join(entry.authors),
        )
        for entry in entries
    ]
    if _is_postgres():
        cursor.executemany(
            "INSERT INTO library_search (resource_id, kind, year, sort_key, languages, countries, regions,"
            " topics, title, slug, authors, people, summary, topics_text, body, document) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D'))",
            [
                (
                    *row,
                    entry.people,
                    entry.summary,
                    entry.topics_text,
                    entry.body,
                    fold(entry.title),
                    fold(" ".join((entry.people, entry.summary, entry.topics_text))),
                    fold(entry.body),
                    entry.stems,
                )
                for row, entry in zip(facet_rows, entries, strict=True)
            ],
        )
        return
    cursor.executemany(
        "INSERT INTO library_search (resource_id, kind, year, sort_key, languages, countries, regions, topics,"
        " title, slug, authors) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        facet_rows,
    )
    cursor.executemany(
        "INSERT INTO library_search_fts (rowid, title, people, summary, topics, body, stems)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [
            (
                entry.resource_id,
                entry.title,
                entry.people,
                entry.summary,
                entry.topics_text,
                entry.body,
                entry.stems,
            )
            for entry in entries
        ],
    )


def _entries_delete(cursor, resource_ids: Sequence[int]) -> None:
    for resource_id in resource_ids:
        cursor.execute("DELETE FROM library_search WHERE resource_id = %s", [resource_id])
        if not _is_postgres():
            cursor.execute("DELETE FROM library_search_fts WHERE rowid = %s", [resource_id])


def _generation_bump(cursor) -> None:
    # A new random number rather than the next one: a process that read the number inside a
    # transaction later rolled back must not take a later change for the one it has loaded.
    cursor.execute("UPDATE library_search_state SET generation = %s WHERE id = 1", [secrets.randbits(62)])


def resource_index(resource_id: int) -> None:
    """Bring one resource's entry up to date: written when it is published, removed otherwise."""
    resource = resources_for_index().filter(pk=resource_id).first()
    entry = entry_for(resource) if resource is not None else None
    with transaction.atomic(), connection.cursor() as cursor:
        _entries_delete(cursor, [resource_id])
        if entry is not None:
            _entries_write(cursor, [entry])
        _generation_bump(cursor)
    pagecache_invalidate()


def resource_index_enqueue(resource_id: int) -> None:
    """Index the resource once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: resource_index(resource_id))


def index_rebuild(*, batch_size: int = 500) -> int:
    """Rebuild the whole index from the published resources; returns how many it holds."""
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_search")
        if not _is_postgres():
            cursor.execute("DELETE FROM library_search_fts")
        ids = list(Resource.objects.published().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            batch = resources_for_index().filter(pk__in=ids[start : start + batch_size])
            entries = [entry_for(resource) for resource in batch]
            _entries_write(cursor, entries)
            count += len(entries)
        if not _is_postgres():
            cursor.execute("INSERT INTO library_search_fts (library_search_fts) VALUES ('optimize')")
        _generation_bump(cursor)
    pagecache_invalidate()
    return count


@receiver(post_delete, sender=Resource)
def resource_deleted(sender, instance: Resource, **kwargs) -> None:
    resource_index_enqueue(instance.pk)


# Facet bitmaps, one set per process, rebuilt when the index's generation moves.


@dataclass
class FacetIndex:
    generation: int
    # Resource ids newest first: a resource's bit is its position here, so the lowest set bits
    # of a bitmap are the newest resources.
    ids: list[int]
    positions: dict[int, int]
    # A resource's position by its id, len(ids) for an id the index does not hold.
    slots: list[int]
    bitmaps: dict[str, dict[str, int]]
    everything: int = 0


_facet_index: FacetIndex | None = None
_facet_lock = threading.Lock()
_match_cache: OrderedDict[tuple[str, int, str], Any] = OrderedDict()
_match_lock = threading.Lock()


def _generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generation FROM library_search_state WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _facets() -> FacetIndex:
    global _facet_index
    generation = _generation()
    current = _facet_index
    if current is not None and current.generation == generation:
        return current
    with _facet_lock:
        current = _facet_index
        if current is None or current.generation != generation:
            current = _facets_load(generation)
            _facet_index = current
    return current


def _facets_load(generation: int) -> FacetIndex:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT resource_id, kind, year, languages, countries, regions, topics FROM library_search"
            " ORDER BY sort_key DESC, resource_id DESC"
        )
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    size = (len(ids) + 7) // 8
    buffers: dict[str, dict[str, bytearray]] = {facet: {} for facet in FACETS}

    def add(facet: str, value: str, position: int) -> None:
        buffer = buffers[facet].get(value)
        if buffer is None:
            buffer = buffers[facet][value] = bytearray(size)
        buffer[position >> 3] |= 1 << (position & 7)

    for position, (_id, kind, year, languages, countries, regions, topics) in enumerate(rows):
        add("kind", kind, position)
        if year:
            add("year", str(year), position)
        for facet, values in (
            ("language", languages),
            ("country", countries),
            ("region", regions),
            ("topic", topics),
        ):
            for value in (values or "").split():
                add(facet, value, position)
    bitmaps = {
        facet: {value: int.from_bytes(buffer, "little") for value, buffer in values.items()}
        for facet, values in buffers.items()
    }
    positions = {resource_id: position for position, resource_id in enumerate(ids)}
    slots = [len(ids)] * (max(ids, default=-1) + 1)
    for resource_id, position in positions.items():
        slots[resource_id] = position
    return FacetIndex(
        generation=generation,
        ids=ids,
        positions=positions,
        slots=slots,
        bitmaps=bitmaps,
        everything=(1 << len(ids)) - 1,
    )


# Byte 0 as the digit "0", byte 1 as "1".
_BINARY_DIGITS = b"01" + bytes(254)


def _bitmap_of(facets: FacetIndex, ids: list[int]) -> int:
    """The bitmap of the resources `ids`, leaving out those the index does not hold.

    A broad word matches nearly every resource, and a Python loop over its 100,000 ids took
    45 ms. Here the loops run in C: map() sets one byte per resource (the byte after the last
    takes the ids not in the index), and the bytes are read back as a binary numeral."""
    count = len(facets.ids)
    if not count:
        return 0
    slots = facets.slots
    if ids and max(ids) >= len(slots):  # indexed after this index was loaded
        ids = [resource_id for resource_id in ids if resource_id < len(slots)]
    flags = bytearray(count + 1)
    deque(map(flags.__setitem__, map(slots.__getitem__, ids), repeat(1)), maxlen=0)
    return int(flags[count - 1 :: -1].translate(_BINARY_DIGITS), 2)


def _lowest_bits(bitmap: int, skip: int, take: int) -> list[int]:
    """Positions of the set bits number skip to skip + take - 1, counted from the lowest."""
    positions: list[int] = []
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    seen = 0
    for index, byte in enumerate(data):
        if not byte:
            continue
        count = byte.bit_count()
        if seen + count <= skip:
            seen += count
            continue
        for bit in range(8):
            if byte >> bit & 1:
                if seen >= skip:
                    positions.append(index * 8 + bit)
                    if len(positions) == take:
                        return positions
                seen += 1
    return positions


# Searching.


@dataclass(frozen=True)
class Hit:
    """A result as the index holds it: enough to show it without reading the resource."""

    resource_id: int
    snippet: str  # HTML: the matches in <mark>, everything else escaped
    title: str = ""
    slug: str = ""
    kind: str = ""
    year: int | None = None
    authors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    sort: str
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _fts_string(words: Sequence[str]) -> str:
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


def fts_expression(terms: Sequence[Term], languages: Sequence[str]) -> str:
    """An FTS5 query in which every word is a quoted string: a term matches its words in any
    column but the stems, or one of its stems (in every content language) in the stems column."""
    parts = []
    for term in terms:
        exact = "{title people summary topics body} : " + _fts_string(term.words)
        stems = term_stems(term, languages)
        if stems:
            parts.append(f"({exact} OR stems : ({' OR '.join(_fts_string([s]) for s in stems)}))")
        else:
            parts.append(f"({exact})")
    return " AND ".join(parts)


def _tsquery_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(terms: Sequence[Term], languages: Sequence[str]) -> str:
    """The same query for PostgreSQL's to_tsquery: exact words in weights A to C, stems in D."""
    parts = []
    for term in terms:
        words = [fold(word) for word in term.words]
        exact = " <-> ".join(f"{_tsquery_lexeme(word)}:ABC" for word in words)
        alternatives = [f"({exact})"] + [f"{_tsquery_lexeme(s)}:D" for s in term_stems(term, languages)]
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def _marked_html(text: str) -> str:
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _summary_start(text: str) -> str:
    words = text.split()
    extract = " ".join(words[:SNIPPET_WORDS])
    return html.escape(extract + ("…" if len(words) > SNIPPET_WORDS else ""))


def _selection(facets: FacetIndex, filters: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each facet with a selection: the OR of its selected values' bitmaps."""
    selected: dict[str, int] = {}
    for facet in FACETS:
        values = [value for value in filters.get(facet, ()) if value]
        if values:
            bitmap = 0
            for value in values:
                bitmap |= facets.bitmaps[facet].get(str(value), 0)
            selected[facet] = bitmap
    return selected


def _facet_counts(facets: FacetIndex, matches: int, selected: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """Counts for each facet value under the query and every other facet's selection."""
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        base = matches
        for other, bitmap in selected.items():
            if other != facet:
                base &= bitmap
        counts[facet] = {}
        for value, bitmap in facets.bitmaps[facet].items():
            count = (base & bitmap).bit_count()
            if count:
                counts[facet][value] = count
    return counts


class SearchUnavailable(ServiceUnavailable):
    """The index cannot be read (its tables missing or broken, the database failing): the
    search page and the API say so with a 503 while the rest of the site goes on serving."""


def search(
    *,
    query: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResult:
    """One page of published resources matching the query and the facet filters (AND across
    facets, OR within one), with the facet counts; any text is a valid query."""
    try:
        with savepoint_if_atomic():
            return _search(query=query, filters=filters, sort=sort, page=page, per_page=per_page)
    except DatabaseError as error:
        logger.error("Library search unavailable: %s: %s", type(error).__name__, error)
        raise SearchUnavailable(
            _("The library's search is unavailable right now. Please try again in a few minutes.")
        ) from error


def _search(
    *, query: str, filters: Mapping[str, Sequence[str]] | None, sort: str, page: int, per_page: int
) -> SearchResult:
    facets = _facets()
    terms = query_terms(query)
    languages = content_languages(facets) if terms else []
    sort = sort if sort in ("relevance", "date") and terms else ("relevance" if terms else "date")

    matches = _match_bitmap(facets, _match_expression(terms, languages)) if terms else facets.everything
    selected = _selection(facets, filters or {})
    results = matches
    for bitmap in selected.values():
        results &= bitmap
    total = results.bit_count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page

    if not total:
        ids: list[int] = []
    elif sort == "date":
        ids = [facets.ids[position] for position in _lowest_bits(results, offset, per_page)]
    elif matches.bit_count() <= _rank_limit():
        ids = _ranked_ids(facets, terms, languages, results)[offset : offset + per_page]
    else:
        ids = _tiered_ids(facets, terms, results, offset, per_page)
    return SearchResult(
        hits=_hits(ids, terms, languages),
        total=total,
        page=page,
        pages=pages,
        sort=sort,
        facets=_facet_counts(facets, matches, selected),
    )


def _rank_limit() -> int:
    return getattr(settings, "LIBRARY_SEARCH_RANK_LIMIT", RANK_LIMIT)


def _match_expression(terms: Sequence[Term], languages: Sequence[str]) -> str:
    if _is_postgres():
        return tsquery_expression(terms, languages)
    return fts_expression(terms, languages)


def _title_expression(terms: Sequence[Term]) -> str:
    """Every term in the title, word for word."""
    if _is_postgres():
        return " & ".join(
            "(" + " <-> ".join(f"{_tsquery_lexeme(fold(word))}:A" for word in term.words) + ")"
            for term in terms
        )
    return " AND ".join(f"title : {_fts_string(term.words)}" for term in terms)


def _cached(kind: str, facets: FacetIndex, expression: str, compute: Callable[[], Any]) -> Any:
    """What an expression gives (its matches, their order), kept for the index's generation:
    the same searches come back, and a broad word costs tens of milliseconds to list."""
    key = (kind, facets.generation, expression)
    with _match_lock:
        if key in _match_cache:
            _match_cache.move_to_end(key)
            return _match_cache[key]
    value = compute()
    with _match_lock:
        _match_cache[key] = value
        while len(_match_cache) > MATCH_CACHE_SIZE:
            _match_cache.popitem(last=False)
    return value


def _match_bitmap(facets: FacetIndex, expression: str) -> int:
    """The resources an expression matches, as a bitmap: from this process's memory, from
    another process's work through the shared cache when it matched many, or from the index."""

    def compute() -> int:
        digest = hashlib.sha1(expression.encode(), usedforsecurity=False).hexdigest()
        key = f"library:matches:{facets.generation}:{digest}"
        shared = cache.get(key)
        if shared is not None:
            return int.from_bytes(shared, "little")
        ids = _matching_ids(expression)
        bitmap = _bitmap_of(facets, ids)
        if len(ids) >= getattr(settings, "LIBRARY_SEARCH_SHARED_MATCHES", SHARED_MATCHES):
            cache.set(key, bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little"), SHARED_MATCHES_SECONDS)
        return bitmap

    return _cached("matches", facets, expression, compute)


def _matching_ids(expression: str) -> list[int]:
    # Every word reaches the database quoted: an error here is the index's, not the query's,
    # and search() says the search is unavailable rather than that it found nothing.
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT resource_id FROM library_search WHERE document @@ to_tsquery('simple', %s)",
                [expression],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM library_search_fts WHERE library_search_fts MATCH %s", [expression]
            )
        return [row[0] for row in cursor.fetchall()]


BM25 = "bm25(library_search_fts, " + ", ".join(str(weight) for weight in FTS_WEIGHTS) + ")"
# ts_rank_cd's weights for D (stems), C (file text), B (authors, summary, topics), A (title).
TS_RANK = "ts_rank_cd('{0.05, 0.2, 0.5, 1.0}', document, query)"


def _ranked_ids(
    facets: FacetIndex, terms: Sequence[Term], languages: Sequence[str], results: int
) -> list[int]:
    """The matches in the order of relevance (few enough to rank them all), those in results."""
    expression = _match_expression(terms, languages)
    ranked = _cached("ranked", facets, expression, lambda: _ranking(expression))
    wanted = results.to_bytes((len(facets.ids) + 7) // 8, "little")
    positions = facets.positions
    kept = []
    for resource_id in ranked:
        position = positions.get(resource_id)
        if position is not None and wanted[position >> 3] >> (position & 7) & 1:
            kept.append(resource_id)
    return kept


def _ranking(expression: str) -> list[int]:
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT resource_id FROM library_search, to_tsquery('simple', %s) AS query"  # noqa: S608 - constant
                f" WHERE document @@ query ORDER BY {TS_RANK} DESC, sort_key DESC, resource_id DESC",
                [expression],
            )
        else:
            cursor.execute(
                f"SELECT rowid FROM library_search_fts WHERE library_search_fts MATCH %s ORDER BY {BM25}",  # noqa: S608 - constant
                [expression],
            )
        return [row[0] for row in cursor.fetchall()]


def _tiered_ids(
    facets: FacetIndex, terms: Sequence[Term], results: int, offset: int, limit: int
) -> list[int]:
    """Too many matches to rank each one in time: those with every term in the title first,
    then the others, newest first within each."""
    in_title = results & _match_bitmap(facets, _title_expression(terms))
    first = in_title.bit_count()
    positions = _lowest_bits(in_title, offset, limit)
    if len(positions) < limit:
        positions += _lowest_bits(results & ~in_title, max(0, offset - first), limit - len(positions))
    return [facets.ids[position] for position in positions]


SNIPPETS_SQL = (
    "SELECT rowid, summary,"  # noqa: S608 - constants
    f" snippet(library_search_fts, 2, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS}),"
    f" snippet(library_search_fts, 4, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS})"
    " FROM library_search_fts WHERE library_search_fts MATCH %s"
)


def _hits(ids: list[int], terms: Sequence[Term], languages: Sequence[str]) -> list[Hit]:
    """The page's resources with their snippets, in the order given."""
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    snippets: dict[int, str] = {}
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT resource_id, summary, body FROM library_search WHERE resource_id = ANY(%s)", [ids]
            )
            snippets = {row[0]: python_snippet(row[1], row[2], terms, languages) for row in cursor.fetchall()}
        elif terms:
            cursor.execute(
                SNIPPETS_SQL + f" AND rowid IN ({placeholders})", [_match_expression(terms, languages), *ids]
            )
            snippets = {row[0]: _fts_snippet(*row[1:]) for row in cursor.fetchall()}
        else:
            cursor.execute(
                f"SELECT rowid, summary FROM library_search_fts WHERE rowid IN ({placeholders})",  # noqa: S608 - %s only
                ids,
            )
            snippets = {row[0]: _summary_start(row[1]) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT resource_id, title, slug, kind, year, authors, languages FROM library_search"  # noqa: S608 - %s only
            f" WHERE resource_id IN ({placeholders})",
            ids,
        )
        rows = {row[0]: row for row in cursor.fetchall()}
    return [
        Hit(
            resource_id=resource_id,
            snippet=snippets.get(resource_id, ""),
            title=row[1],
            slug=row[2],
            kind=row[3],
            year=row[4],
            authors=tuple(name for name in row[5].split(AUTHORS_SEPARATOR) if name),
            languages=tuple(row[6].split()),
        )
        for resource_id in ids
        if (row := rows.get(resource_id))
    ]


def _fts_snippet(summary: str, summary_snippet: str, body_snippet: str) -> str:
    for snippet in (summary_snippet, body_snippet):
        if snippet and MARK_START in snippet:
            return _marked_html(snippet)
    return _summary_start(summary or "")


def python_snippet(summary: str, body: str, terms: Sequence[Term], languages: Sequence[str]) -> str:
    """An extract around the first match, for PostgreSQL: the summary's or the file text's, with
    the words that match a term (or one of its stems) marked and everything else escaped."""
    summary, body = summary or "", body or ""
    if not terms:
        return _summary_start(summary)
    wanted: set[str] = set()
    for term in terms:
        wanted |= {fold(word) for word in term.words}
    stems = {s for term in terms for s in term_stems(term, languages)}

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in wanted or any(stem(language, word) in stems for language in languages)

    for text in (summary, body[:MAX_BODY_CHARS]):
        words = list(WORD.finditer(text))
        first = next((index for index, match in enumerate(words) if matches(match.group())), None)
        if first is None:
            continue
        start = max(0, first - SNIPPET_WORDS // 3)
        window = words[start : start + SNIPPET_WORDS]
        pieces, cursor = [], window[0].start()
        for match in window:
            pieces.append(html.escape(text[cursor : match.start()]))
            word = html.escape(match.group())
            pieces.append(f"<mark>{word}</mark>" if matches(match.group()) else word)
            cursor = match.end()
        prefix = "…" if start else ""
        suffix = "…" if start + SNIPPET_WORDS < len(words) else ""
        return prefix + "".join(pieces) + suffix
    return _summary_start(summary)
