"""The demo's eligibility criteria set, in the manner of the EU Public Health Best Practice Portal
as issue 5 describes it: pass/fail exclusion criteria, scored core and qualifier criteria, weights
of 1, and the outcome rules' default thresholds. The guidance texts are plain prompts for
reviewers written for the demo, not quotations from the portal."""

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
