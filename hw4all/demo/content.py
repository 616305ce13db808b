"""The demo's facts, taken from the source documents in the shared seeds.

Where a source gives no date for an article, the date is an estimate placed by the events the
text names (a World Health Assembly, World Health Day), keeping the source's order, newest first.
"""

import datetime
from typing import TypedDict

# (name, acronym, ISO country or "", type)
OrganisationFacts = tuple[str, str, str, str]


class ProjectFacts(TypedDict):
    title: str
    acronym: str
    slug: str
    start_date: datetime.date
    end_date: datetime.date
    grant_number: str
    summary: str
    description: str
    outputs: str


class EventFacts(TypedDict):
    title: str
    slug: str
    start: datetime.datetime
    end: datetime.datetime
    time_zone: str
    venue: str
    address: str
    summary: str
    body: list[str]  # paragraphs of plain text
    programme: str


class PersonFacts(TypedDict):
    name: str
    organisation: OrganisationFacts
    job_title: str
    bio: str


class PageFacts(TypedDict):
    title: str
    slug: str
    summary: str
    body: list[tuple[str, str]]  # (block type, value) of the body's StreamField


HOME_INTRO = (
    "The Health Workers for All Coalition (HW4All) strives for a strong, connected, global civil "
    "society movement that is able to lead advocacy and realize policy and investment commitments "
    "for the health workforce."
)
HOME_BODY = (
    "<p>We are a lively and democratic civil society community of independent, critical-thinking "
    "activists and organizations across Southern and Northern boundaries, working for a sustainable "
    "health workforce worldwide and for the implementation of the WHO Global Code of Practice on the "
    "International Recruitment of Health Personnel.</p>"
)

# (name, acronym, ISO country or "", type, role in the project)
PROJECT_PARTNERS = [
    ("Wemos", "", "NL", "ngo", "coordinator"),
    ("Amref Health Africa", "Amref", "IT", "ngo", "partner"),
    ("Center for Health Policies and Services", "CHPS", "RO", "ngo", "partner"),
    ("Humanitarian Aid Foundation Redemptoris Missio", "", "PL", "ngo", "partner"),
    ("Health Poverty Action", "HPA", "GB", "ngo", "partner"),
    ("Medicus Mundi International Network", "MMI", "", "network", "partner"),
    ("Memisa", "", "BE", "ngo", "partner"),
    ("Federation of Associations of Medicus Mundi", "FAMME", "ES", "network", "partner"),
    ("terre des hommes", "tdh", "DE", "ngo", "partner"),
]

FUNDER: OrganisationFacts = ("European Union (EuropeAid)", "EU", "", "funder")

PROJECT: ProjectFacts = {
    "title": "Health workers for all and all for health workers",
    "acronym": "HW4All",
    "slug": "hw4all-2013-2015",
    "start_date": datetime.date(2013, 1, 1),
    "end_date": datetime.date(2015, 12, 31),
    "grant_number": "DCI-NSAED/2011/106",
    "summary": (
        "A European civil society initiative that aimed at contributing to a sustainable health "
        "workforce worldwide, coordinated by Wemos from 2013 until early 2016."
    ),
    "description": (
        "<p>Today over 50 countries, mainly in Africa and South Asia, suffer from a critical shortage "
        "of health personnel, while they carry a large part of the global burden of disease. In the "
        "aging societies of European countries, the number of people who need long-term care is "
        "growing, thus fuelling demand for health workers.</p>"
        "<p>In collaboration with organizations in Belgium, the UK, Italy, Germany, Poland, Romania, "
        "Spain and the Netherlands, and with the support of health workers and citizens, the project "
        "called upon politicians and policymakers to implement the WHO Code of Practice on the "
        "International Recruitment of Health Personnel.</p>"
        "<p>It was launched with the opening of the International Health Workers Week (8–12 April "
        "2013) and supported by the WHO Regional Office for Europe. The financing was provided by the "
        "EU/EuropeAid.</p>"
    ),
    "outputs": (
        "<ul><li>Case studies collected in the partner countries</li>"
        "<li>Expert meetings and a petition</li>"
        "<li>An operational set of tools for policy dialogue, with the WHO Code, a user’s guide for "
        "European decision makers and the Kampala Declaration</li>"
        "<li>A national analysis of human resources for health, based on a national survey and "
        "interviews</li>"
        "<li>An online collaboration platform for proposals at national, European and international "
        "levels</li>"
        "<li>Best practices in the recruitment of health staff, validated against the eligibility "
        "criteria agreed by the partnership (4 cases identified in 2013)</li>"
        "<li>The final HW4All report</li></ul>"
    ),
}

# Co-promoters of the 2013 World Health Assembly side event: (name, acronym, country, type)
SIDE_EVENT_CO_PROMOTERS: list[OrganisationFacts] = [
    ("African Regional Advocacy Programme on HRH and Health Systems", "ACOSHED", "", "network"),
    ("Alliance for Ethical International Recruitment Practices", "", "US", "ngo"),
    ("Aspen Institute, Health Worker Migration Initiative", "", "", "academic"),
    ("ECSA Health Community", "ECSA-HC", "", "international"),
    ("European Forum for Primary Care", "EFPC", "", "network"),
    ("Global Health South", "GHS", "", "network"),
    ("Health Workforce Advocacy Initiative", "HWAI", "", "network"),
    ("Medicus Mundi International Network", "MMI", "", "network"),
    ("Regional Network on Equity in Health in Southern Africa", "EQUINET", "", "network"),
    ("WHO, Health Systems Policies & Workforce", "", "", "international"),
    ("WHO Europe", "", "", "international"),
    ("Global Health Workforce Alliance", "GHWA", "", "international"),
    ("Delegation of Switzerland", "", "CH", "government"),
    ("Delegation of the United States of America", "", "US", "government"),
    ("Delegation of the European Union", "", "", "government"),
]

SIDE_EVENT: EventFacts = {
    "title": "WHO Global Code: Stoking Up the Fire for Implementation",
    "slug": "wha66-side-event-who-global-code",
    "start": datetime.datetime(2013, 5, 22, 17, 45, tzinfo=datetime.UTC),
    "end": datetime.datetime(2013, 5, 22, 19, 45, tzinfo=datetime.UTC),
    "time_zone": "Etc/GMT",
    "venue": "Salle IX, Palais des Nations",
    "address": "Geneva, Switzerland",
    "summary": (
        "A side event of the 66th World Health Assembly on the successes and gaps of the "
        "implementation of the WHO Global Code of Practice, three years on since its adoption."
    ),
    "body": [
        "The WHO Global Code of Practice on the International Recruitment of Health Personnel was "
        "adopted by the 63rd World Health Assembly on 21 May 2010. The Code, which is voluntary in "
        "nature, sets forth ten articles advising both source and destination countries on how to "
        "regulate the recruitment of health personnel in a way that mitigates damage to low-income "
        "countries struggling to meet the basic health needs of their populations in a setting of "
        "serious workforce deficits.",
        "The WHO Secretariat’s report “The health workforce: Advances in responding to shortages "
        "and migration, and in preparing for emerging needs” (World Health Assembly document A66/25) "
        "shows that keeping the human resources crisis and the migration issue in the national and "
        "international agendas is still a great challenge.",
        "This WHA side event is organized by the Medicus Mundi International Network on behalf of the "
        "European “Health workers for all and all for health workers” project and the other involved "
        "partners and co-promoters. It is organized with the financial assistance of the European "
        "Union in the framework of the project DCI-NSAED/2011/106.",
    ],
    "programme": (
        "<ul><li>To inform the parallel WHA debate on agenda item 17.4 with the civil society’s "
        "perspective on successes and gaps of Code implementation, three years on since its "
        "adoption</li><li>To present further initiatives focused on the management of health "
        "workers migration</li><li>Case stories of Code implementation, country leadership and "
        "civil society involvement from source and destination countries and regions of health "
        "workers migration</li></ul>"
    ),
}

LAUNCH_EVENT: EventFacts = {
    "title": "International Health Workers Week: launch of the HW4All project",
    "slug": "international-health-workers-week-2013",
    "start": datetime.datetime(2013, 4, 8, 0, 0, tzinfo=datetime.UTC),
    "end": datetime.datetime(2013, 4, 12, 23, 59, tzinfo=datetime.UTC),
    "time_zone": "UTC",
    "venue": "",
    "address": "",
    "summary": (
        "The “Health Workers for All and All for Health Workers” project was launched with the "
        "opening of the International Health Workers Week, 8–12 April 2013."
    ),
    "body": [
        "The project is actively supported by the World Health Organization Regional Office for "
        "Europe, which plays an important role in the efforts of the Global Health Workforce Alliance "
        "to develop a sustainable work force in the health-care area.",
    ],
    "programme": "",
}

STEERING_COMMITTEE_MEMBER: PersonFacts = {
    "name": "Denis Bukenya",
    "organisation": ("Human Rights Research Documentation Center", "HURIC", "", "ngo"),
    "job_title": "Human Rights Research Documentation Center (HURIC) and People's Health Movement",
    "bio": (
        "<p>Denis Bukenya works with the Human Rights Research Documentation Center (HURIC) and the "
        "People's Health Movement, and is a member of the Health Workers for All Coalition Steering "
        "Committee.</p>"
    ),
}

BLOG_AUTHORS = ["Katie Fox", "Soosmita Sinha", "Dr. Ouma Oluga", "Amanda Banda"]

# (title, kind, date, author name or None for the Secretariat, summary, tags, countries)
ARTICLES = [
    (
        "Briefing Recording and Resources - Why and How Civil Society Can Contribute to the 4th Round "
        "of WHO Code Reporting",
        "news",
        datetime.date(2021, 6, 15),
        None,
        "The recording of our Civil Society Briefing on how and why civil society can contribute to the "
        "4th round of reporting on progress of the implementation of the WHO Global Code of Practice on "
        "the International Recruitment of Health Personnel is now live. The 4th round of reporting on "
        "implementation of the WHO Global Code of Practice is currently ongoing. Countries but also civil "
        "society and other independent stakeholders are invited to share reports on progress of Code "
        "implementation.",
        ["WHO Code", "Code reporting"],
        [],
    ),
    (
        "Come Together for Bold Civil Society Action for Human Resources for Health",
        "statement",
        datetime.date(2021, 4, 7),
        None,
        "On this World Health Day, 7 April 2021, the Health Workers for All Coalition (HW4All) releases its "
        "political declaration and invites civil society partners to endorse this statement: “Worldwide, "
        "the crisis in global health is rooted in the unequal distribution of and unequal access to "
        "skilled health and care workers. As recent pandemics have clearly and brutally shown, health "
        "workers themselves are one of the most neglected elements of dismantled and underfinanced "
        "public health systems, in virtually every country.”",
        ["Political declaration", "World Health Day"],
        [],
    ),
    (
        "A Renewed, Lively and Democratic Civil Society Coalition",
        "news",
        datetime.date(2021, 3, 1),
        None,
        "The Health Workers for All Coalition (HW4All) strives for a strong, connected, global civil "
        "society movement that is able to lead advocacy and realize policy and investment commitments for "
        "the health workforce. We herewith relaunch the HW4All Coalition as a lively and democratic civil "
        "society community of independent, critical-thinking activists and organizations across Southern "
        "and Northern boundaries.",
        ["Coalition"],
        [],
    ),
    (
        "On the COVID-19 pandemic and health worker shortages & mobility",
        "statement",
        datetime.date(2020, 5, 18),
        None,
        "Reflections on the WHO Global Code of Practice on the International Recruitment of Health "
        "Personnel. This week, the 73rd World Health Assembly (WHA) is convening virtually to deliberate on "
        "core global health related challenges facing its Member States. Alongside the COVID-19 pandemic, "
        "a key challenge is the global shortage of health workers and how to properly and ethically manage "
        "the international recruitment of health personnel without negative impact on the countries with "
        "critical shortages.",
        ["COVID-19", "WHO Code", "World Health Assembly"],
        [],
    ),
    (
        "Key messages from Public Services International (PSI) on the WHO Code of Practice in the context "
        "of COVID-19",
        "news",
        datetime.date(2020, 5, 12),
        None,
        "The COVID-19 pandemic has shown evidence to the urgent need for better investments in public "
        "health care and in the health workforce in all countries. Public Services International (PSI) "
        "brings 8 key messages on the Relevance and Effectiveness of the WHO Code of Practice on the "
        "Ethical International Recruitment of Health Professionals in the context of COVID-19.",
        ["COVID-19", "WHO Code"],
        [],
    ),
    (
        "Member Spotlight: Denis Bukenya",
        "spotlight",
        datetime.date(2020, 5, 5),
        None,
        "In the first instalment of our new series “Member Spotlight” we highlight the work of Denis "
        "Bukenya from the Human Rights Research Documentation Center (HURIC) and People's Health Movement "
        "and member of the Health Workers for All Coalition Steering Committee.",
        ["Member spotlight"],
        [],
    ),
    (
        "Invest in health workers: for the present COVID-19 crisis and future health system resilience",
        "statement",
        datetime.date(2020, 4, 20),
        None,
        "An urgent request is out today from 137 civil society organisations to major global health "
        "funders to invest in recruitment of health workers in resource limited contexts. The "
        "organisations ask commitments and contributions to pooled, adequate long-term investments in the "
        "health workforce for the short term COVID-19 response, ensuring continued access to primary care "
        "but also future health system resilience.",
        ["COVID-19", "Financing"],
        [],
    ),
    (
        "How does the international migration of health professionals affect gender equity in the health "
        "workforce?",
        "blog",
        datetime.date(2020, 3, 2),
        "Katie Fox",
        "The International Organization on Migration recently launched the World Migration Report 2020 "
        "which found that the number of international migrants, which is currently estimated to be 272 "
        "million, is already higher than anticipated for 2050. This rise in mobility patterns is also "
        "visible in the health sector and the implication of health worker migration on health systems is "
        "well documented. However, we know less about how migration affects health workers themselves, "
        "and how it affects women and men differently.",
        ["Migration", "Gender"],
        [],
    ),
    (
        "Invest in the Health Workforce: That is how we keep the UHC promise",
        "news",
        datetime.date(2019, 10, 10),
        None,
        "The New York High-Level Meeting on Universal Health Coverage held in September 2019 confirmed the "
        "commitments and a political declaration achieve UHC by the year 2030. At country level, the "
        "debate continues on what these commitments mean and, specifically, what actions countries must "
        "take to keep their promise of providing UHC and realize all people’s right to health.",
        ["UHC", "Financing"],
        [],
    ),
    (
        "Statement on Abduction Dr Magombeyi",
        "statement",
        datetime.date(2019, 9, 17),
        None,
        "The Health Workers for All Coalition is gravely concerned about and condemns the abduction of Dr "
        "Peter Magombeyi, the acting president of the Zimbabwe Hospital Doctors Association. Dr Magombeyi "
        "has been missing since Saturday 14th September, after his alleged abduction from his house.",
        ["Human rights"],
        ["ZW"],
    ),
    (
        "Reviewing the Code: Two insights and a concern",
        "news",
        datetime.date(2019, 6, 20),
        None,
        "Nine years after the Code’s adoption, this public hearing kickstarted the second review of its "
        "relevance and effectiveness. It brought together different stakeholders, including from the "
        "World Health Organization (WHO), International Organization for Migration (IOM), civil society, "
        "academia, unions, professional associations, and migrant health workers representatives.",
        ["WHO Code"],
        [],
    ),
    (
        "Three takeaways from the 72nd World Health Assembly",
        "news",
        datetime.date(2019, 5, 31),
        None,
        "The World Health Assembly provided an important opportunity for members of the Health Workers for "
        "All coalition to connect, strategise and engage in joint advocacy. On the side-lines of the "
        "proceedings, members of the Coalition found the opportunity for a short meet-and-greet and "
        "reflect on the past and future of the Coalition, as well as participate in key Human Resources "
        "for Health (HRH)-related side events and bilateral meetings.",
        ["World Health Assembly", "Coalition"],
        [],
    ),
    (
        "What does decent work mean for health workers?",
        "blog",
        datetime.date(2019, 4, 8),
        "Soosmita Sinha",
        "With the World Health Worker Week in progress, there has been a lot of focus on affirming the "
        "pivotal role of health workers in health. Dr Tedros, the Director-General of the World Health "
        "Organization (WHO), aptly stated that “there is no health without health workers”. Safeguarding "
        "the dignity of health workers is crucial in bridging the gap in health worker shortfalls, "
        "meaningfully contributing to Sustainable Development Goals or achieving Universal Health "
        "Coverage.",
        ["Decent work"],
        [],
    ),
    (
        "Isn’t it time to care for the carers?",
        "blog",
        datetime.date(2019, 3, 15),
        "Dr. Ouma Oluga",
        "“Why do you work in healthcare?” Every health worker in the world has been asked this question "
        "at some point in their career or during their training. The default answer usually is that they "
        "want to help patients gain back their health and promote health in communities. However, the "
        "health workers too ask themselves why they work in healthcare. Then it seems that the reasons are "
        "varied.",
        ["Decent work"],
        [],
    ),
    (
        "Investing in the health workforce? Enough with the cheap talk, come up with the money!",
        "blog",
        datetime.date(2019, 2, 20),
        "Amanda Banda",
        "The video clip has been viewed more than 8000 times by now. We see Dr. Mashumba as she literally "
        "sheds tears as she speaks of her frustrations about the lack of basic facilities, medical "
        "equipment and staff at her hospital. Her words keep echoing in my head: “There is no sense of "
        "urgency, no priority. I’ve written a million lists, I’ve knocked on a thousand doors, but nobody "
        "is listening to us. My output are stillbirths and disabled babies.”",
        ["Financing"],
        [],
    ),
]

ABOUT_PAGE: PageFacts = {
    "title": "The Project (2013–2015)",
    "slug": "project",
    "summary": (
        "The project “Health workers for all and all for health workers” was a European civil society "
        "initiative that aimed at contributing to a sustainable health workforce world-wide."
    ),
    "body": [
        ("heading", "The starting point"),
        (
            "paragraph",
            "<p>Today over 50 countries, mainly in Africa and South Asia, suffer from a critical shortage of "
            "health personnel, while they carry a large part of the global burden of disease. In the aging "
            "societies of European countries, the number of people who need long-term care is growing, thus "
            "fuelling demand for health workers. As the labor market becomes more globalized, rising demand "
            "is driving migration and mobility amongst health personnel. The recruitment of health workers "
            "abroad is a way of meeting the domestic demand, but can worsen the shortage of qualified "
            "personnel in both low- and middle-income countries and Europe.</p>"
            "<p>Through advocacy and campaigning, we contribute from Europe to a sustainable health workforce "
            "worldwide. We focus on lasting improvements in national, European and global policy, such as "
            "compliance with international agreements that benefit human resources for health. We develop "
            "and share tools for policy analysis and (inter)action to increase knowledge and understanding of "
            "human resources for health from a global health perspective.</p>",
        ),
        ("heading", "After HW4All: Continued engagement"),
        (
            "paragraph",
            "<p>After the end of the HW4All project, civil society engagement for the implementation of the "
            "WHO Code of Practice has been sustained within the working group on Human Resources for Health "
            "(MMI HRH) of the Medicus Mundi International Network.</p>",
        ),
    ],
}


# The 2021 World Health Day political declaration (seed 003), as a campaign organisations
# endorse. Only the seed's words: no target, signatures or counts are invented.
class CampaignFacts(TypedDict):
    title: str
    slug: str
    opens_at: datetime.datetime
    summary: str
    statement: str


DECLARATION: CampaignFacts = {
    "title": "Come Together for Bold Civil Society Action for Human Resources for Health",
    "slug": "come-together-declaration",
    "opens_at": datetime.datetime(2021, 4, 7, tzinfo=datetime.UTC),
    "summary": (
        "On this World Health Day, 7 April 2021, the Health Workers for All Coalition (HW4All) releases its "
        "political declaration and invites civil society partners to endorse this statement."
    ),
    "statement": (
        "Worldwide, the crisis in global health is rooted in the unequal distribution of and unequal access "
        "to skilled health and care workers. As recent pandemics have clearly and brutally shown, health "
        "workers themselves are one of the most neglected elements of dismantled and underfinanced public "
        "health systems, in virtually every country."
    ),
}
