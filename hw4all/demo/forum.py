"""The demo's collaboration space, written from what the seeds say: the project's "on-line
collaboration platform" where stakeholders "spell out proposals for addressing the health-care
human resources issue at national, European and international levels", the request of civil
society organisations to global health funders, Romania's national analysis of health-care
human resources, and the working group on Human Resources for Health of the Medicus Mundi
International Network that carried the work on after the project. No figure appears that the
seeds do not give."""

from typing import Any

SPACES: list[dict[str, Any]] = [
    {
        "slug": "global",
        "name": "Global space",
        "kind": "global",
        "description": (
            "Proposals and discussions on a sustainable health workforce worldwide and on the "
            "implementation of the WHO Global Code of Practice on the International Recruitment "
            "of Health Personnel."
        ),
        "is_open": True,
    },
    {
        "slug": "europe",
        "name": "European space",
        "kind": "european",
        "description": (
            "The coherence of European development, health and migration policies with the WHO "
            "Code: proposals to the European Commission, the European Parliament and the Council."
        ),
        "is_open": True,
    },
    {
        "slug": "romania",
        "name": "Romania",
        "kind": "country",
        "country": "RO",
        "description": (
            "The migration of medical staff from Romania and the recommendations of the national "
            "analysis of health-care human resources."
        ),
        "is_open": True,
    },
    {
        "slug": "mmi-hrh",
        "name": "Human Resources for Health working group",
        "kind": "working_group",
        "description": (
            "The working group on Human Resources for Health (MMI HRH) of the Medicus Mundi "
            "International Network, where civil society engagement for the implementation of the "
            "WHO Code continued after the project. Members by invitation."
        ),
        "is_open": False,
    },
]

# Which demo accounts belong to which space; the first listed moderates it.
MEMBERS = {
    "global": ["steering@hw4all.example", "member@hw4all.example", "author@hw4all.example"],
    "europe": ["member@hw4all.example", "author@hw4all.example"],
    "romania": ["member@hw4all.example"],
    "mmi-hrh": ["reviewer@hw4all.example", "author@hw4all.example"],
}

# `state` is how far each proposal goes: draft, open, consideration, adopted.
PROPOSALS: list[dict[str, Any]] = [
    {
        "space": "global",
        "author": "author@hw4all.example",
        "state": "adopted",
        "title": "Invest in health workers: for the present COVID-19 crisis and future health system resilience",
        "problem": (
            "Resource-limited countries cannot recruit the health workers they need for the "
            "COVID-19 response while keeping primary care going, and short-term funding does not "
            "build the workforce their health systems need for the future."
        ),
        "proposed": (
            "Major global health funders should commit to, and contribute to, **pooled, adequate "
            "long-term investments in the health workforce**:\n\n"
            "- for the short-term COVID-19 response;\n"
            "- ensuring continued access to primary care;\n"
            "- and for future health system resilience."
        ),
        "addressees": ["funders"],
        "level": "global",
        "code_articles": [5, 10],
        "reasons": (
            "Adopted as the coalition's position: the request went out to major global health "
            "funders, signed by civil society organisations."
        ),
    },
    {
        "space": "europe",
        "author": "member@hw4all.example",
        "state": "open",
        "title": "Make European development and migration policies coherent with the WHO Code",
        "problem": (
            "European countries recruit health workers from countries that face their own "
            "shortages, while European development policy aims to strengthen those countries' "
            "health systems."
        ),
        "proposed": (
            "The European Commission should check its development cooperation and migration "
            "policies against the WHO Global Code of Practice, and report on how they support "
            "the health workforce of the countries health workers leave."
        ),
        "addressees": ["european_commission", "european_parliament"],
        "level": "european",
        "code_articles": [3, 5, 10],
    },
    {
        "space": "romania",
        "author": "member@hw4all.example",
        "state": "consideration",
        "title": "A national strategy to keep medical staff in Romania",
        "problem": (
            "Medical staff migrate from Romania; the national analysis of health-care human "
            "resources, based on a national survey, interviews and consultations, identified "
            "what drives them to leave."
        ),
        "proposed": (
            "The Ministry of Health should adopt coherent and sustainable health policies, "
            "strategies and interventions that ensure adequate levels of human resources in the "
            "long term, building on the recommendations of the national analysis."
        ),
        "addressees": ["government"],
        "addressee_detail": "Ministry of Health of Romania",
        "level": "national",
        "countries": ["RO"],
        "code_articles": [5, 6],
        "resources": ["Health-care human resources analysis at national level: Romania"],
        "case_studies": ["A national analysis of human resources for health in Romania"],
    },
]

# (space, title, [(author, body, reply to the comment at this index or None)]); the first
# comment's author starts the thread.
THREADS: list[tuple[str, str, list[tuple[str, str, int | None]]]] = [
    (
        "europe",
        "Preparing civil-society reports for the next WHO Code reporting round",
        [
            (
                "author@hw4all.example",
                "Countries report on the Code every three years, and civil society may report "
                "too. Who is drafting a report for their country this round?",
                None,
            ),
            (
                "member@hw4all.example",
                "The Center for Health Policies and Services will draft one for Romania, "
                "building on the national analysis.",
                0,
            ),
        ],
    ),
    (
        "romania",
        "The WHO reference materials in Romanian",
        [
            (
                "member@hw4all.example",
                "The Code, the user's guide for European decision makers and the Kampala "
                "Declaration are now available in Romanian, in the operational set for users. "
                "Which of them should we present first to the Ministry?",
                None,
            ),
        ],
    ),
    (
        "mmi-hrh",
        "Work plan of the working group",
        [
            (
                "reviewer@hw4all.example",
                "A first list of priorities for the working group, to discuss at our next call.",
                None,
            ),
        ],
    ),
]

POLL: dict[str, Any] = {
    "space": "global",
    "question": "Which should the coalition's first priority be for the next Code reporting round?",
    "description": "One vote per member organisation of the space.",
    "kind": "single",
    "electorate": "organisations",
    "options": [
        "Civil-society reports in more countries",
        "Follow-up of the Health Workforce Support and Safeguards List",
        "Bilateral agreements that follow the Code",
    ],
}
