"""Citations of a resource in BibTeX, RIS and CSL-JSON, and a suggested citation text. The same
record always gives the same output, so exports can be cached and compared."""

import re
import unicodedata

from .records import KIND_LABELS, Author, ResourceRecord

BIBTEX_TYPES = {
    "report": "techreport",
    "policy-brief": "techreport",
    "case-study": "techreport",
    "who-reference": "techreport",
    "toolkit": "misc",
    "statement": "misc",
    "presentation": "misc",
    "video": "misc",
    "dataset": "misc",
}
RIS_TYPES = {
    "report": "RPRT",
    "policy-brief": "RPRT",
    "case-study": "RPRT",
    "who-reference": "GOVDOC",
    "toolkit": "GEN",
    "statement": "GEN",
    "presentation": "SLIDE",
    "video": "VIDEO",
    "dataset": "DATA",
}
CSL_TYPES = {
    "report": "report",
    "policy-brief": "report",
    "case-study": "report",
    "who-reference": "report",
    "toolkit": "document",
    "statement": "document",
    "presentation": "speech",
    "video": "motion_picture",
    "dataset": "dataset",
}
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts those as braces, and a lone one breaks the entry.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Pairs TeX would join into one glyph ("--" into a dash, "``" into a quote): kept apart by "{}".
LATEX_LIGATURE = re.compile(r"(?<=[-`'<>,!?])(?=[-`'<>,])")


def latex_escape(value: str, *, in_name: bool = False) -> str:
    """Text that LaTeX prints as given; Unicode stays as it is (biblatex reads UTF-8). In names
    each escape is braced, BibTeX's "special character", so that name parsing passes over it."""
    escaped = "".join(
        ("{" + LATEX_SPECIALS[ch].removesuffix("{}") + "}" if in_name else LATEX_SPECIALS[ch])
        if ch in LATEX_SPECIALS
        else ch
        for ch in value
    )
    return LATEX_LIGATURE.sub("{}", escaped)


def bibtex_verbatim(value: str) -> str:
    """DOI and URL as biblatex reads them, verbatim; only braces and backslashes, which would end
    the field, are percent-encoded."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_name(author: Author) -> str:
    """Organisations in double braces, so that BibTeX does not read "World Health Organization"
    as a person called Organization; the family name braced whole, particles included."""
    if author.is_organisation:
        return "{" + latex_escape(author.literal, in_name=True) + "}"
    family = "{" + latex_escape(author.family, in_name=True) + "}"
    if not author.given:
        return family
    given = latex_escape(author.given, in_name=True)
    if re.search(r",|\band\b", author.given, re.IGNORECASE):
        given = "{" + given + "}"
    return f"{family}, {given}"


def ascii_word(value: str) -> str:
    return re.sub(
        r"[^a-z0-9]", "", unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    )


def bibtex_key(record: ResourceRecord) -> str:
    """The slug if there is one, else first author, year and first title word: "who2010global"."""
    if record.slug:
        key = ascii_word(record.slug.replace("-", ""))
        if key:
            return key
    author = ""
    if record.authors:
        first = record.authors[0]
        if first.is_organisation:
            words = first.literal.split()
            author = (
                "".join(word[0] for word in words if word[0].isupper()) if len(words) > 1 else first.literal
            )
        else:
            author = first.family
    title_words = [word for word in map(ascii_word, record.title.split()) if word]
    key = ascii_word(author) + str(record.year or "nd") + (title_words[0] if title_words else "")
    return key if key[0].isalpha() else "r" + key


def bibtex(record: ResourceRecord, key: str | None = None) -> str:
    """One BibTeX entry. Reports, policy briefs, case studies and WHO documents are @techreport
    (the publisher as institution); other kinds are @misc, the kind in ``howpublished``."""
    entry_type = BIBTEX_TYPES[record.kind]
    fields: list[tuple[str, str]] = []
    if record.authors:
        fields.append(("author", " and ".join(map(bibtex_name, record.authors))))
    # Double braces keep the title's capitals ("WHO") in styles that lower-case titles.
    fields.append(("title", "{" + latex_escape(record.title) + "}"))
    if entry_type == "techreport":
        if record.kind != "report":
            fields.append(("type", KIND_LABELS[record.kind]))
        if record.publisher:
            fields.append(("institution", latex_escape(record.publisher)))
    else:
        fields.append(("howpublished", KIND_LABELS[record.kind]))
        if record.publisher:
            fields.append(("publisher", latex_escape(record.publisher)))
    if record.year:
        fields.append(("year", str(record.year)))
    if record.month:
        fields.append(("month", MONTH_MACROS[record.month - 1]))
    fields += [
        ("doi", bibtex_verbatim(record.doi)),
        ("isbn", record.isbn),
        ("url", bibtex_verbatim(record.url)),
        ("language", ", ".join(record.languages)),
        ("keywords", latex_escape(", ".join(record.topics))),
        ("abstract", latex_escape(record.summary)),
    ]
    lines = [f"@{entry_type}{{{key or bibtex_key(record)},"]
    for name, value in fields:
        # A month macro, unbraced, is what every BibTeX style understands.
        if name == "month":
            lines.append(f"  month = {value},")
        elif value:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\r\n"


def ris(record: ResourceRecord) -> str:
    """One RIS entry, with CRLF line ends as the format asks. The kind's name goes in M3 ("type
    of work"), so that policy briefs and case studies stay apart from reports on import."""
    lines = [ris_line("TY", RIS_TYPES[record.kind])]
    if record.slug:
        lines.append(ris_line("ID", record.slug))
    lines += [ris_line("AU", str(author)) for author in record.authors]
    lines.append(ris_line("T1", record.title))
    if record.year:
        lines.append(ris_line("PY", str(record.year)))
        month = f"{record.month:02d}" if record.month else ""
        day = f"{record.day:02d}" if record.day else ""
        lines.append(ris_line("DA", f"{record.year}/{month}/{day}/"))
    for tag, value in (
        ("AB", record.summary),
        ("PB", record.publisher),
        ("M3", KIND_LABELS[record.kind]),
        ("DO", record.doi),
        ("SN", record.isbn),
        ("UR", record.url),
        ("LA", "; ".join(record.languages)),
    ):
        if value:
            lines.append(ris_line(tag, value))
    lines += [ris_line("KW", topic) for topic in record.topics]
    lines.append(ris_line("ER", ""))
    return "".join(lines)


def csl_json(record: ResourceRecord) -> dict:
    """One CSL-JSON item, as Zotero and citeproc read it. CSL takes one language: the first."""
    item: dict = {
        "id": record.slug or bibtex_key(record),
        "type": CSL_TYPES[record.kind],
        "title": record.title,
    }
    if CSL_TYPES[record.kind] != record.kind:
        item["genre"] = KIND_LABELS[record.kind]
    if record.authors:
        item["author"] = [
            {"literal": author.literal}
            if author.is_organisation
            else {"family": author.family, **({"given": author.given} if author.given else {})}
            for author in record.authors
        ]
    if record.year:
        item["issued"] = {"date-parts": [record.date_parts()]}
    for name, value in (
        ("publisher", record.publisher),
        ("abstract", record.summary),
        ("DOI", record.doi),
        ("ISBN", record.isbn),
        ("URL", record.url),
        ("language", record.languages[0] if record.languages else ""),
        ("keyword", ", ".join(record.topics)),
    ):
        if value:
            item[name] = value
    return item


def apa_name(author: Author) -> str:
    if author.is_organisation:
        return author.literal
    initials = " ".join(
        "-".join(part[0] + "." for part in name.split("-") if part) for name in author.given.split()
    )
    return f"{author.family}, {initials}" if initials else author.family


def sentence(value: str) -> str:
    return value if value[-1:] in ".?!" else value + "."


def citation_text(record: ResourceRecord, style: str = "apa-like") -> str:
    """A suggested citation in plain text, after APA: authors, (year), title, [kind], publisher
    (left out when it is the only author), DOI link or address."""
    if style != "apa-like":
        raise ValueError(f"Unknown citation style: {style}")
    names = [apa_name(author) for author in record.authors]
    if len(names) > 1:
        names = [", ".join(names[:-1]) + ",", "& " + names[-1]]
    year = f"({record.year})" if record.year else "(n.d.)"
    title = record.title
    if record.kind != "report":
        title += f" [{KIND_LABELS[record.kind]}]"
    parts = (
        [sentence(" ".join(names)), year + ".", sentence(title)] if names else [sentence(title), year + "."]
    )
    sole_author = len(record.authors) == 1 and str(record.authors[0]) == record.publisher
    if record.publisher and not sole_author:
        parts.append(sentence(record.publisher))
    if record.doi:
        parts.append(f"https://doi.org/{record.doi}")
    elif record.url:
        parts.append(record.url)
    return " ".join(parts)
