"""One library resource as plain data, independent of the database: what the citation exports
read and the importers produce. Values are cleaned and checked on construction; every problem
found is reported at once in ``InvalidRecord.problems``."""

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.utils.translation import gettext as _
from django_countries import countries as known_countries

KINDS = (
    "report",
    "policy-brief",
    "toolkit",
    "case-study",
    "who-reference",
    "statement",
    "presentation",
    "video",
    "dataset",
)
# English on purpose: citations are bibliographic data, the same whatever the reader's language.
KIND_LABELS = {
    "report": "Report",
    "policy-brief": "Policy brief",
    "toolkit": "Toolkit",
    "case-study": "Case study",
    "who-reference": "WHO reference document",
    "statement": "Statement",
    "presentation": "Presentation",
    "video": "Video",
    "dataset": "Dataset",
}

DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
)
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
SLUG_PATTERN = re.compile(r"[-\w]+")
SHOWN_LENGTH = 80


class InvalidRecord(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def text_clean(value: str) -> str:
    """One line of text: Unicode NFC, no control characters, runs of white space made one space."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in value)
    return " ".join(value.split())


def paragraphs_clean(value: str) -> str:
    """Like ``text_clean``, but paragraphs (separated by a blank line) are kept."""
    paragraphs = (text_clean(paragraph) for paragraph in re.split(r"\n\s*\n", value.replace("\r\n", "\n")))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def shown(value: str) -> str:
    """A value as quoted back in a message: short enough to read."""
    value = text_clean(value)
    return value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"


def doi_normalise(value: str) -> str:
    """The DOI alone, case folded (DOIs are case-insensitive), without "https://doi.org/" or "doi:"."""
    doi = value.strip()
    lowered = doi.casefold()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = unquote(doi[len(prefix) :])
            break
    else:
        if lowered.startswith("doi:"):
            doi = doi[4:].strip()
    doi = doi.casefold()
    if not DOI_PATTERN.fullmatch(doi):
        raise ValueError(_("The DOI “%(value)s” is not valid.") % {"value": shown(value)})
    return doi


def isbn_normalise(value: str) -> str:
    """The ISBN-10 or ISBN-13 without hyphens or spaces, its check digit verified."""
    isbn = re.sub(r"[\s-]", "", value.upper().removeprefix("ISBN").lstrip(":"))
    valid = False
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        digits = [10 if ch == "X" else int(ch) for ch in isbn]
        valid = sum((10 - position) * digit for position, digit in enumerate(digits)) % 11 == 0
    elif re.fullmatch(r"97[89]\d{10}", isbn):
        valid = sum(int(ch) * (3 if position % 2 else 1) for position, ch in enumerate(isbn)) % 10 == 0
    if not valid:
        raise ValueError(_("The ISBN “%(value)s” is not valid.") % {"value": shown(value)})
    return isbn


def url_check(value: str) -> str:
    """The address as given, if it is a web address (http or https, with a host)."""
    url = value.strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in url
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(
            _("The link “%(value)s” is not a web address (http or https).") % {"value": shown(value)}
        )
    return url


def url_normalise(value: str) -> str:
    """The form of an address that decides "the same resource": scheme and host in lower case,
    no default port, no fragment, no trailing slash."""
    parts = urlsplit(url_check(value))
    host = parts.hostname or ""
    default_port = {"http": 80, "https": 443}[parts.scheme.lower()]
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), parts.query, ""))


@dataclass(frozen=True)
class Author:
    """A person (family and given names) or an organisation (its name, "literal" in CSL terms)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def __post_init__(self):
        for name in ("family", "given", "literal"):
            object.__setattr__(self, name, text_clean(getattr(self, name)))
        if bool(self.family) == bool(self.literal) or (self.given and not self.family):
            raise InvalidRecord([_("An author needs a family name or an organisation name, not both.")])

    @classmethod
    def parse(cls, name: str) -> "Author":
        """ "Family, Given" is a person; a name without a comma is an organisation, as in Zotero's
        and RIS's exports."""
        family, comma, given = name.partition(",")
        return cls(family=family, given=given) if comma else cls(literal=name)

    @property
    def is_organisation(self) -> bool:
        return bool(self.literal)

    def __str__(self) -> str:
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class ResourceRecord:
    """A resource of the library. Lists given for authors, languages, countries and topics are
    stored as tuples; the DOI is stored normalised, the ISBN without hyphens."""

    title: str
    kind: str = "report"
    summary: str = ""
    authors: Sequence[Author] = ()
    publisher: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    languages: Sequence[str] = ()
    countries: Sequence[str] = ()
    topics: Sequence[str] = ()
    licence: str = ""
    doi: str = ""
    isbn: str = ""
    url: str = ""
    slug: str = ""

    def __post_init__(self):
        problems: list[str] = []
        cleaned: dict[str, Any] = {
            "title": text_clean(self.title),
            "summary": paragraphs_clean(self.summary),
            "publisher": text_clean(self.publisher),
            "licence": text_clean(self.licence),
            "slug": self.slug.strip(),
            "authors": tuple(self.authors),
            "languages": tuple(code.strip().lower().replace("_", "-") for code in self.languages),
            "countries": tuple(code.strip().upper() for code in self.countries),
            "topics": tuple(topic for topic in map(text_clean, self.topics) if topic),
        }
        if not cleaned["title"]:
            problems.append(_("The title is missing."))
        if self.kind not in KINDS:
            problems.append(
                _("The kind “%(value)s” is not one the library knows.") % {"value": shown(self.kind)}
            )
        problems += self._date_problems()
        for code in cleaned["languages"]:
            if not LANGUAGE_PATTERN.fullmatch(code):
                problems.append(_("“%(value)s” is not a language code.") % {"value": shown(code)})
        for code in cleaned["countries"]:
            if code not in known_countries:
                problems.append(_("“%(value)s” is not a country code.") % {"value": shown(code)})
        if cleaned["slug"] and not SLUG_PATTERN.fullmatch(cleaned["slug"]):
            problems.append(_("The identifier “%(value)s” is not a slug.") % {"value": shown(self.slug)})
        for name, normalise in (("doi", doi_normalise), ("isbn", isbn_normalise), ("url", url_check)):
            value = getattr(self, name).strip()
            if value:
                try:
                    value = normalise(value)
                except ValueError as error:
                    problems.append(str(error))
            cleaned[name] = value
        if problems:
            raise InvalidRecord(problems)
        for name, value in cleaned.items():
            object.__setattr__(self, name, value)

    def _date_problems(self) -> list[str]:
        if self.year is None:
            return [_("A month or day is given without a year.")] if self.month or self.day else []
        if self.day and not self.month:
            return [_("A day is given without a month.")]
        typed = "-".join(str(part) for part in (self.year, self.month, self.day) if part)
        try:
            datetime.date(self.year, self.month or 1, self.day or 1)
            valid = self.year >= 1000
        except (ValueError, TypeError, OverflowError):
            valid = False
        return [] if valid else [_("The date %(value)s is not a valid date.") % {"value": typed}]

    def date_parts(self) -> list[int]:
        """Year, month and day, as far as they are known (CSL's "date-parts")."""
        parts = []
        for part in (self.year, self.month, self.day):
            if not part:
                break
            parts.append(part)
        return parts

    def date_text(self) -> str:
        """The date in ISO form as far as it is known: "2010", "2010-05" or "2010-05-21"."""
        parts = self.date_parts()
        return "-".join([str(parts[0]), *(f"{part:02d}" for part in parts[1:])]) if parts else ""

    def import_key(self) -> str | None:
        """What makes a second import of the same resource an update: the DOI, else the address."""
        if self.doi:
            return self.doi
        return url_normalise(self.url) if self.url else None
