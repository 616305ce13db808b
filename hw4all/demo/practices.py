"""The demo's eligibility criteria set, in the manner of the EU Public Health Best Practice Portal
as issue 5 describes it: pass/fail exclusion criteria, scored core and qualifier criteria, weights
of 1, and the outcome rules' default thresholds. The guidance texts are plain prompts for
reviewers written for the demo, not quotations from the portal."""

from typing import Any

NAME = "Partnership eligibility criteria"
DESCRIPTION = (
    "The criteria the multi-national partnership agreed on to validate case studies and best "
    "practices in the recruitment and retention of health workers."
)
SCALE_MAX = 4

# (group, title, guidance)
CRITERIA = [
    (
        "exclusion",
        "Relevance",
        "Does the case concern the recruitment or retention of health workers? Fail it if not.",
    ),
    (
        "exclusion",
        "Clear description",
        "Can a reader tell what was done, by whom, where and when? Fail it if the practice itself "
        "is unclear.",
    ),
    (
        "exclusion",
        "Evidence",
        "Does the case give any evidence of its results (data, evaluation, documented outcomes)? "
        "Fail it if it offers claims only.",
    ),
    (
        "exclusion",
        "Ethics",
        "Was the practice carried out ethically, respecting health workers' rights and the people "
        "they serve? Fail it if it raises an unresolved ethical concern.",
    ),
    (
        "core",
        "Effectiveness",
        "How far did the practice reach its objectives, according to the evidence given? "
        "0: not shown; 4: clearly shown.",
    ),
    (
        "core",
        "Equity",
        "Does the practice reduce, or at least not widen, inequalities between groups of health "
        "workers, regions or countries? 0: not addressed; 4: central to the practice.",
    ),
    (
        "core",
        "Alignment with the WHO Code",
        "How well does the practice follow the principles of the WHO Global Code of Practice on "
        "the International Recruitment of Health Personnel? 0: at odds with it; 4: fully aligned.",
    ),
    (
        "qualifier",
        "Transferability",
        "Could the practice be adapted to another country or setting, and does the case say what "
        "that would take? 0: not at all; 4: readily.",
    ),
    (
        "qualifier",
        "Sustainability",
        "Can the practice continue beyond its initial funding or project? 0: no plan; 4: secured.",
    ),
    (
        "qualifier",
        "Participation",
        "Were health workers and other stakeholders involved in designing and running the "
        "practice? 0: not involved; 4: involved throughout.",
    ),
    (
        "qualifier",
        "Cross-sector work",
        "Did the practice bring together sectors beyond health (education, labour, migration, "
        "finance)? 0: health only; 4: several sectors working together.",
    ),
]

# Demo accounts the case studies need beyond the site's demo users: a member of another partner
# to author a case, and a second reviewer from a third country. (email, first name, organisation
# name); the organisations are the project partners in content.PROJECT_PARTNERS.
EXTRA_USERS = [
    ("author@hw4all.example", "Demo", "Author", "Wemos", "Member"),
    ("reviewer2@hw4all.example", "Demo", "Reviewer (Amref)", "Amref Health Africa", "Reviewer"),
]
# Which partner each demo account speaks for.
USER_ORGANISATIONS = {
    "member@hw4all.example": "Center for Health Policies and Services",
    "reviewer@hw4all.example": "Memisa",
    "author@hw4all.example": "Wemos",
    "reviewer2@hw4all.example": "Amref Health Africa",
}

# The case studies, written from what the seeds say about the project's work and nothing more:
# no figure appears that the seeds do not give. `state` is how far the demo takes each through
# the workflow, so every screen has something to show.
CASES: list[dict[str, Any]] = [
    {
        "author": "member@hw4all.example",
        "state": "validated",
        "title": "A national analysis of human resources for health in Romania",
        "summary": (
            "A comprehensive study of Romania's health workforce, built on a national survey, "
            "semi-structured interviews and the advice of key stakeholders and experts, that ends "
            "in recommendations for coherent and sustainable health-workforce policies."
        ),
        "countries": ["RO"],
        "levels": ["national", "central"],
        "themes": ["data-research", "retention"],
        "code_articles": [5, 6],
        "actors": "Center for Health Policies and Services; key stakeholders and experts in human resources for health.",
        "context": (
            "<p>Romania has the smallest number of medical personnel in proportion to its population "
            "of the EU member states, and the migration of its health workers continues at an "
            "alarming pace.</p>"
        ),
        "practice": (
            "<p>The Center for Health Policies and Services ran a national survey, held "
            "semi-structured interviews and consulted the key stakeholders and experts in human "
            "resources for health, then identified and wrote up recommendations.</p>"
        ),
        "results": (
            "<p>The analysis gives recommendations that help develop and advocate coherent and "
            "sustainable health policies, strategies and interventions to keep adequate levels of "
            "human resources for health in the long term at national level, taking the European "
            "context and global trends into account.</p>"
        ),
        "lessons": (
            "<p>Combining a national survey with interviews and expert consultation gives "
            "recommendations that the people who must act on them helped to shape.</p>"
        ),
        "transferability": (
            "<p>The method (survey, interviews, stakeholder consultation, written recommendations) "
            "can be repeated in any country facing health-worker migration.</p>"
        ),
        "sources": "<p>HW4All project, 2013 results (Center for Health Policies and Services).</p>",
        # (exclusion answers, core scores, qualifier scores) per reviewer, in CRITERIA order.
        "reviews": {
            "reviewer@hw4all.example": ((True, True, True, True), (3, 3, 4), (3, 2, 3, 2)),
            "reviewer2@hw4all.example": ((True, True, True, True), (3, 4, 4), (3, 3, 3, 2)),
        },
    },
    {
        "author": "member@hw4all.example",
        "state": "in_review",
        "title": "The WHO reference materials in Romanian: a user's kit for dialogue",
        "summary": (
            "An operational set of tools for users, with the key WHO reference materials translated "
            "into Romanian, to start a constructive dialogue among stakeholders on the migration of "
            "medical staff."
        ),
        "countries": ["RO"],
        "levels": ["national"],
        "themes": ["recruitment", "education-training"],
        "code_articles": [7, 8],
        "actors": "Center for Health Policies and Services; the HW4All project partners.",
        "context": (
            "<p>The migration of medical staff from Romania, and the same issue at European and "
            "global level, needed a dialogue among stakeholders that the key reference texts, "
            "available only in other languages, did not support.</p>"
        ),
        "practice": (
            "<p>The partners prepared an operational set for users and translated the key WHO "
            "reference materials into Romanian: the WHO Global Code of Practice on the "
            "International Recruitment of Health Personnel, a user's guide for European decision "
            "makers, and the Kampala Declaration.</p>"
        ),
        "results": (
            "<p>The tools are available in Romanian for the stakeholders who look for viable "
            "solutions to the migration of medical staff.</p>"
        ),
        "sources": "<p>HW4All project, 2013 results.</p>",
        # Only the second reviewer has submitted: the demo reviewer's review is waiting.
        "reviews": {
            "reviewer2@hw4all.example": ((True, True, True, True), (2, 3, 4), (4, 2, 3, 1)),
        },
    },
    {
        "author": "author@hw4all.example",
        "state": "submitted",
        "title": "Civil society reports on the implementation of the WHO Code",
        "summary": (
            "Civil society and other independent stakeholders report on the progress of the Code's "
            "implementation alongside countries, in each round of reporting."
        ),
        "countries": ["NL"],
        "levels": ["global"],
        "themes": ["data-research"],
        "code_articles": [9],
        "actors": "Civil-society organisations of the Health Workers for All Coalition.",
        "context": (
            "<p>Countries report on the WHO Global Code of Practice every three years; Article 9.4 "
            "lets the WHO Secretariat consider reports from other stakeholders too.</p>"
        ),
        "practice": (
            "<p>The coalition briefed civil society on why and how to contribute to the fourth round "
            "of reporting, and published the recording and resources of the briefing.</p>"
        ),
        "results": (
            "<p>Civil-society organisations have what they need to share their own reports on "
            "progress of Code implementation.</p>"
        ),
        "sources": "<p>Civil Society Briefing on the 4th round of WHO Code reporting (recording and resources).</p>",
    },
    {
        "author": "member@hw4all.example",
        "state": "draft",
        "title": "An online collaboration platform for health-workforce proposals",
        "summary": (
            "An internet-based space where all stakeholders exchange ideas and best practices and "
            "spell out proposals on human resources for health at national, European and "
            "international level."
        ),
        "countries": ["RO"],
        "levels": ["national", "european"],
        "themes": ["data-research"],
        "code_articles": [7],
        "context": (
            "<p>Coherence between development cooperation policies and health-workforce policies "
            "needs the people who work on them to meet and propose together.</p>"
        ),
    },
    {
        "author": "author@hw4all.example",
        "state": "published",
        "title": "Sustained civil-society engagement after the project ended",
        "summary": (
            "After the HW4All project ended, civil-society engagement for the implementation of the "
            "WHO Code continued within the working group on Human Resources for Health of the "
            "Medicus Mundi International Network."
        ),
        "countries": ["NL", "BE", "DE", "ES", "GB", "IT", "PL", "RO"],
        "levels": ["european"],
        "themes": ["recruitment", "data-research"],
        "code_articles": [8, 10],
        "actors": "The HW4All partners; the MMI working group on Human Resources for Health (MMI HRH).",
        "context": (
            "<p>The three-year project ended in early 2016 with all planned activities carried out "
            "at national and EU level.</p>"
        ),
        "practice": (
            "<p>The partners moved their work on the Code into a standing working group of an "
            "international network, so that it did not stop with the project's funding.</p>"
        ),
        "results": (
            "<p>Civil-society engagement for the implementation of the WHO Code of Practice has "
            "been sustained within the MMI HRH working group.</p>"
        ),
        "sources": "<p>HW4All project page: the project (2013–2015) and after.</p>",
    },
]
