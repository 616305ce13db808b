"""The library's demo resources: the publications the seeds name, with what the seeds and the
domain notes say of them and nothing more. A field they say nothing about is left empty (no
invented URLs, DOIs, ISBNs, dates or authors).

The platform holds none of the original publications. Where we have real text about one, it
comes as a small HTML file in the language of that text: the outline of the Code's ten articles
(from the domain notes on the Code) and the project's own description of its 2013 results
(seed 002), in English. Each summary says when the publication itself is not held."""

from html import escape

PROJECT = "Health workers for all and all for health workers (HW4All)"
NOT_HELD = "The platform does not hold the publication itself."
MADE_AVAILABLE_IN_ROMANIAN = (
    "One of the key WHO reference materials that the HW4All project made available in Romanian "
    "in 2013, as part of its operational set of tools for users."
)

CODE_ARTICLES = [
    (1, "Objectives"),
    (2, "Nature and scope"),
    (
        3,
        "Guiding principles (3.5: discourage active recruitment from developing countries facing "
        "critical shortages)",
    ),
    (4, "Responsibilities, rights and recruitment practices"),
    (5, "Health workforce development and health systems sustainability"),
    (6, "Data gathering and research"),
    (7, "Information exchange (each Member State designates a national authority)"),
    (8, "Implementation of the Code"),
    (9, "Monitoring and institutional arrangements"),
    (10, "Partnerships, technical collaboration and financial support"),
]

RESULTS_2013_INTRO = (
    "Currently, Romania has the smallest number of medical personnel in proportion to its "
    "population from the EU member states, and the migration phenomenon continues at an alarming "
    "pace. One needs to take common action at global level for the creation of a sustainable "
    "health-care work force and the strengthening of the health-care systems is needed at global "
    "level."
)
OPERATIONAL_SET_TEXT = (
    "The development and preparation for publication of the operational set for users. This "
    "contains useful tools for the initiation of a constructive dialogue among the stakeholders "
    "for the identification of viable solutions, which to address both the issue of the current "
    "migration crisis of the medical staff from Romania, but also the same issue at European and "
    "global level. The key WHO reference materials, now also available in Romanian, are: the WHO "
    "Global Practice Code for the international recruitment of medical staff, A user’s guide for "
    "the European decision makers, the Kampala Declaration."
)
NATIONAL_ANALYSIS_TEXT = (
    "The development of a health-care human resources analysis at national level – comprehensive "
    "study based on a national survey, the running of semi-structured interviews, the consulting "
    "of the key stakeholders and experts in the area of health-care human resources, with the "
    "identification and write-up of recommendations that will contribute to developing and "
    "advocating for coherent and sustainable health policies, strategies and interventions, which "
    "would help ensure adequate levels of human resources in the long term at the national level, "
    "while also accounting for the European context and the global trends."
)


def html_document(
    title: str, paragraphs: list[str], *, items: list[str] | None = None, language: str = "en"
) -> bytes:
    """A small standalone HTML file; every piece of text is escaped."""
    body = [f"<h1>{escape(title)}</h1>"]
    body += [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs]
    if items:
        body.append("<ol>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ol>")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    ).encode()


CODE_OUTLINE = html_document(
    "WHO Global Code of Practice on the International Recruitment of Health Personnel: "
    "outline of its ten articles",
    [
        "Adopted by the 63rd World Health Assembly, resolution WHA63.16, 21 May 2010 (text: "
        "WHA63/2010/REC/1, Annex 5). Voluntary and global. Member States report every three "
        "years; the Director-General reports to the Assembly.",
        "Article 9.4: the WHO Secretariat may consider reports from stakeholders (as in Article "
        "2.2) — the basis for civil-society reporting.",
        "This outline lists the articles' titles; it is not the text of the Code.",
    ],
    items=[f"Article {number}: {title}" for number, title in CODE_ARTICLES],
)

RESULTS_2013_TITLE = "Health Workers for and All for Health Workers – HW4ALL: 2013 results"

RESOURCES: list[dict] = [
    {
        "key": "who-code",
        "title": "WHO Global Code of Practice on the International Recruitment of Health Personnel",
        "kind": "who-reference",
        "authors": ["World Health Organization"],
        "publisher": "World Health Organization",
        "date": (2010, 5, 21),
        "summary": (
            "Adopted by the 63rd World Health Assembly on 21 May 2010 in resolution WHA63.16 "
            "(text: WHA63/2010/REC/1, Annex 5). A voluntary, global code in ten articles on the "
            "international recruitment of health personnel; Member States report on its "
            "implementation every three years, and civil society and other stakeholders may "
            "report too (Article 9.4).\n\n"
            f"{MADE_AVAILABLE_IN_ROMANIAN} {NOT_HELD} The file here is an outline of its ten "
            "articles."
        ),
        "topics": ["Code implementation", "Recruitment", "Migration"],
        "countries": [],
        "regions": ["global"],
        "files": [("en", "who-global-code-outline.html", "Outline of the ten articles", CODE_OUTLINE)],
    },
    {
        "key": "users-guide",
        "title": "A user’s guide for the European decision makers",
        "kind": "who-reference",
        "authors": [],
        "publisher": "",
        "date": None,
        "summary": (
            "A guide to the WHO Global Code of Practice on the International Recruitment of "
            f"Health Personnel for European decision makers. {MADE_AVAILABLE_IN_ROMANIAN} "
            f"{NOT_HELD}"
        ),
        "topics": ["Code implementation"],
        "countries": [],
        "regions": ["EU"],
        "files": [],
    },
    {
        "key": "kampala",
        "title": "Kampala Declaration and Agenda for Global Action",
        "kind": "who-reference",
        "authors": ["Global Health Workforce Alliance"],
        "publisher": "Global Health Workforce Alliance",
        "date": (2008, None, None),
        "summary": f"{MADE_AVAILABLE_IN_ROMANIAN} {NOT_HELD}",
        "topics": [],
        "countries": [],
        "regions": ["global"],
        "files": [],
    },
    {
        "key": "national-analysis",
        "title": "Health-care human resources analysis at national level: Romania",
        "kind": "report",
        "authors": [PROJECT],
        "publisher": "",
        "date": None,
        "summary": (
            "A comprehensive study of the health-care workforce in Romania, one of the HW4All "
            "project's results for 2013: a national survey, semi-structured interviews and the "
            "consultation of key stakeholders and experts, with recommendations for coherent and "
            "sustainable health policies, strategies and interventions that would help ensure "
            "adequate levels of human resources in the long term, accounting for the European "
            "context and global trends. According to the project, Romania then had the smallest "
            "number of medical personnel in proportion to its population of the EU member states.\n\n"
            f"{NOT_HELD} The file here is the project's own description of it."
        ),
        "topics": ["Migration", "Data and research"],
        "countries": ["RO"],
        "regions": ["EU"],
        "files": [
            (
                "en",
                "hw4all-2013-results-national-analysis.html",
                "Description from the project's 2013 results",
                html_document(RESULTS_2013_TITLE, [RESULTS_2013_INTRO, NATIONAL_ANALYSIS_TEXT]),
            )
        ],
    },
    {
        "key": "users-kit",
        "title": "Operational set of tools for users (user’s kit)",
        "kind": "toolkit",
        "authors": [PROJECT],
        "publisher": "",
        "date": None,
        "summary": (
            "Tools for starting a constructive dialogue among stakeholders on viable solutions to "
            "the migration crisis of medical staff from Romania, and to the same issue at European "
            "and global level; prepared for publication by the HW4All project in 2013. It "
            "includes the key WHO reference materials in Romanian: the WHO Global Code of "
            "Practice, the user’s guide for the European decision makers and the Kampala "
            "Declaration.\n\n"
            f"{NOT_HELD} The file here is the project's own description of it."
        ),
        "topics": ["Code implementation", "Migration"],
        "countries": ["RO"],
        "regions": ["EU", "global"],
        "files": [
            (
                "en",
                "hw4all-2013-results-operational-set.html",
                "Description from the project's 2013 results",
                html_document(RESULTS_2013_TITLE, [RESULTS_2013_INTRO, OPERATIONAL_SET_TEXT]),
            )
        ],
    },
]

# The operational set holds the three WHO reference materials.
RELATED = [("users-kit", "who-code"), ("users-kit", "users-guide"), ("users-kit", "kampala")]
